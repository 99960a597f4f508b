"""A report's tables drawn as the template draws them, with the cells of each finding marked.

HTML: merged header cells (column groups), row groups as merged cells in the stub, the stated identity
in the stub of section 三; a marked cell has a colour *and* a symbol (✗ error, ! warning), so it prints
in black and white, and its findings' messages show on hover and in a list beside the table.
Markdown: the same tables flattened, marked cells written ``✗ 3``, for pasting into a document.
"""

from __future__ import annotations

import html
from decimal import Decimal

from govspec.check.report import Report
from govspec.findings import message
from govspec.io.values import NOT_SEEN, CellText, value_text
from govspec.present.layout import LayoutTable, layout
from govspec.present.reporters import equation_text
from govspec.present.wording import WORDS, date_words
from govspec.spec.compiler import PREVIOUS, CompiledSpec

MARKED = ("rule-violated", "negative-value", "wrong-type")
SYMBOL = {"error": "✗", "warning": "!"}
CSS = """
body{font-family:"Noto Sans CJK SC","Microsoft YaHei",sans-serif;margin:1.5em;color:#222}
table.report{border-collapse:collapse;margin:.5em 0 1em 0;font-size:14px}
table.report th,table.report td{border:1px solid #888;padding:3px 6px;text-align:center}
table.report td.num{text-align:right;font-variant-numeric:tabular-nums}
td.mark-error{background:#f8d0d0;font-weight:bold;outline:2px solid #c00}
td.mark-warning{background:#fbe8b8;font-weight:bold;outline:2px dashed #a60}
td.cell-unseen{background:repeating-linear-gradient(45deg,#eee,#eee 4px,#fff 4px,#fff 8px);color:#555;font-weight:bold}
td.cell-blank{background:#f4f4f4}
p.govspec-verdict.v-failed b{color:#b00} p.govspec-verdict.v-incomplete b{color:#a60}
ul.findings li{margin:.2em 0}
@media print{tr{break-inside:avoid;page-break-inside:avoid} table.report{break-inside:auto}}
.sym{margin-right:.2em}
"""


UNSEEN_MARK = "?"  # a cell not read from the source; read back, it is not placed (so still not seen)


def display(value) -> str:
    """A cell as the page shows it: numbers grouped by thousands (``1,285``; extraction reads them back),
    text from a CSV file as written."""
    if value is NOT_SEEN:
        return ""
    if isinstance(value, int) and not isinstance(value, bool):
        return f"{value:,}"
    if isinstance(value, Decimal):
        return format(value, ",f")
    return value.text if isinstance(value, CellText) else value_text(value)


def title(report: Report) -> str:
    """The report's title as reports print it (``淮安市人民政府2024年度政府信息公开工作年度报告``), which
    extraction reads back; the source when agency or year is not known."""
    agency, year = report.metadata.get("agency"), report.metadata.get("year")
    if isinstance(agency, str) and agency.strip() and isinstance(year, int):
        return f"{agency.strip()}{year}年度政府信息公开工作年度报告"
    return report.source


def verdict_line(report: Report, lang: str = "zh") -> str:
    """``结论: 不通过 (错误 2，警告 0，提示 0); 未检查的规则: …`` — the same words as ``govspec validate``."""
    from govspec.present.text_report import not_evaluated_text
    w = WORDS[lang]
    counts = w["sep"].join(f"{w[s]} {report.count(s)}" for s in ("error", "warning", "info"))
    return f"{w['verdict']}: {w[report.verdict]} ({counts}); {not_evaluated_text(report, lang)}".rstrip("; ")


def date_line(report: Report) -> str:
    """The publication date as reports print it under the signature (read back as ``published``)."""
    return date_words(report.metadata)


def plain_values(report: Report, document: dict) -> dict:
    """The report as a document of typed values (text read as its cell's type; unusable values left
    blank), for the Word and Excel writers; ``report`` must keep its values (``keep_values``)."""
    tables: dict = {}
    for cell in report.spec.cells:
        value = (report.all_values or {}).get(cell.id)
        tables.setdefault(cell.table.id, {}).setdefault(cell.row.id, {})[cell.column.id] = value
    return {"spec": report.spec.id, "version": report.spec.version, "report": dict(report.metadata),
            "tables": tables, "unseen": list(report.unseen)}


def cell_values(spec: CompiledSpec, document: dict) -> dict:
    """cell id → the value to draw; cells the source did not show (``unseen``) → :data:`UNSEEN_MARK`."""
    tables = document.get("tables") or {}
    unseen = set(document.get("unseen") or ())
    out = {}
    for cell in spec.cells:
        rows = tables.get(cell.table.id)
        columns = rows.get(cell.row.id) if isinstance(rows, dict) else None
        out[cell.id] = columns.get(cell.column.id) if isinstance(columns, dict) else None
        if cell.id in unseen:
            out[cell.id] = CellText(UNSEEN_MARK, "")
    return out


def marks(report: Report) -> dict:
    """cell id → the findings that mark it (errors and warnings that point at cells, not accepted)."""
    out: dict = {}
    for finding in report.findings:
        if finding.code in MARKED and finding.severity in SYMBOL and finding.accepted is None:
            for cell in finding.cells:
                if not cell.startswith(PREVIOUS):
                    out.setdefault(cell, []).append(finding)
    return out


def _pick(item, lang: str) -> str:
    return (item.label if lang == "zh" else item.en) or ""


def table_html(spec: CompiledSpec, table: LayoutTable, values: dict, marked: dict, lang: str = "zh") -> str:
    """One table of the official layout (:mod:`govspec.present.layout`) as HTML, the cells of findings marked."""
    parts = []
    for row in table.rows:
        cells = []
        for cell in row:
            spans = (f' colspan="{cell.colspan}"' if cell.colspan > 1 else "") + \
                (f' rowspan="{cell.rowspan}"' if cell.rowspan > 1 else "")
            if cell.kind != "value" or cell.cell_id is None:
                kind = {"block": ' class="block"', "label": ' class="row"'}.get(cell.kind, "")
                cells.append(f"<th{spans}{kind if cell.kind != 'label' or cell.rowspan == 1 else ''}>"
                             f"{html.escape(cell.text)}</th>")
                continue
            cell_id = cell.cell_id
            raw = display(values.get(cell_id))
            text = html.escape(raw)
            state = " cell-unseen" if raw == UNSEEN_MARK else " cell-blank" if raw == "" else ""
            findings = marked.get(cell_id)
            if findings:
                severity = "error" if any(f.severity == "error" for f in findings) else "warning"
                tip = html.escape(" / ".join(message(f, lang) for f in findings), quote=True)
                cells.append(f'<td class="num mark-{severity}{state}" data-cell="{cell_id}" title="{tip}">'
                             f'<span class="sym">{SYMBOL[severity]}</span>{text}</td>')
            else:
                cells.append(f'<td class="num{state}" data-cell="{cell_id}">{text}</td>')
        parts.append("<tr>" + "".join(cells) + "</tr>")
    return f'<table class="report" data-table="{table.table_id}">' + "".join(parts) + "</table>"


def _findings_html(report: Report, table_id: str, lang: str) -> str:
    items = []
    for finding in report.findings:
        cells = [c for c in finding.cells if not c.startswith(PREVIOUS)]
        if not cells or finding.code not in MARKED or cells[0].split(".")[0] != table_id:
            continue
        equation = equation_text(report.spec, finding, lang)
        accepted = "（已接受）" if finding.accepted is not None else ""
        items.append(f'<li class="finding-{finding.severity}"><span class="sym">{SYMBOL.get(finding.severity, "·")}'
                     f"</span><code>{html.escape(finding.check or finding.code)}</code> "
                     f"{html.escape(message(finding, lang))}{accepted}"
                     + (f"<br><small>{html.escape(equation)}</small>" if equation else "") + "</li>")
    return f'<ul class="findings">{"".join(items)}</ul>' if items else ""


def table_titles(spec: CompiledSpec, lang: str = "zh"):
    """Each table with the title it has in the report: its section's heading."""
    sections = {s.id: s for s in spec.spec.sections}
    for table in spec.spec.tables:
        section = sections.get(table.section) if table.section else None
        yield table, _pick(section, lang) if section else _pick(table, lang)


def report_html_body(report: Report, document: dict, lang: str = "zh") -> str:
    spec = report.spec
    values = cell_values(spec, document)
    marked = marks(report)
    parts = []
    for table in layout(spec, lang):
        parts.append(f"<h3>{html.escape(table.title)}</h3>")
        parts.append(table_html(spec, table, values, marked, lang))
        parts.append(_findings_html(report, table.table_id, lang))
    return "".join(parts)


def render_html(report: Report, document: dict, lang: str = "zh") -> str:
    """The report's tables as the template draws them, its verdict at the top; ``govspec validate`` reads
    the page back to the same values (marks, verdict and findings lists are govspec's own and skipped)."""
    name = title(report)
    date = date_line(report)
    return (f'<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8"><title>{html.escape(name)}</title>'
            f"<style>{CSS}</style></head><body><h2>{html.escape(name)}</h2>"
            f'<p class="govspec-verdict v-{report.verdict}"><b>{html.escape(verdict_line(report, lang))}</b> · '
            f"{html.escape(report.spec.spec.ref)}</p>"
            + report_html_body(report, document, lang)
            + (f'<p class="date">{html.escape(date)}</p>' if date else "") + "</body></html>\n")


def render_markdown(report: Report, document: dict, lang: str = "zh") -> str:
    spec = report.spec
    values = cell_values(spec, document)
    marked = marks(report)
    lines = [f"## {title(report)}", "", f"> {verdict_line(report, lang)} · {spec.spec.ref}", ""]
    for table, heading in table_titles(spec, lang):
        lines += [f"### {heading}", ""]
        for block in table.blocks:
            if block.id:
                lines += [f"**{_pick(block, lang)}**", ""]
            header = [(block.stub or "") if lang == "zh" and block.stub and not block.id else
                      ("信息内容" if lang == "zh" and block.id else "")]
            for column in block.columns:
                path = [_pick(g, lang) for g in block.group_path(block.column_groups, column.group)]
                header.append("/".join(path + [_pick(column, lang)]))
            lines.append("| " + " | ".join(h.replace("|", "\\|") for h in header) + " |")
            lines.append("|" + "---|" * len(header))
            opened: set = set()
            for row in block.rows:
                for group in block.group_path(block.row_groups, row.group):  # a row group: a row of its own
                    if group.id not in opened:
                        opened.add(group.id)
                        lines.append("| " + _pick(group, lang).replace("|", "\\|") + " |" + " |" * len(block.columns))
                cells = [_pick(row, lang)]
                for column in block.columns:
                    cell_id = f"{table.id}.{row.id}.{column.id}"
                    text = display(values.get(cell_id))
                    findings = marked.get(cell_id)
                    if findings:
                        severity = "error" if any(f.severity == "error" for f in findings) else "warning"
                        text = f"{SYMBOL[severity]} {text}"
                    cells.append(text)
                lines.append("| " + " | ".join(c.replace("|", "\\|") for c in cells) + " |")
            lines.append("")
        for finding in report.findings:
            cells = [c for c in finding.cells if not c.startswith(PREVIOUS)]
            if cells and finding.code in MARKED and cells[0].split(".")[0] == table.id:
                equation = equation_text(spec, finding, lang)
                lines.append(f"- {SYMBOL.get(finding.severity, '·')} `{finding.check or finding.code}` "
                             f"{message(finding, lang)}" + (f": {equation}" if equation else ""))
        lines.append("")
    date = date_line(report)
    if date:
        lines.append(date)
    return "\n".join(lines).rstrip() + "\n"
