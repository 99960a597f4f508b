"""A report's tables drawn as the template draws them, with the cells of each finding marked.

HTML: merged header cells (column groups), row groups as merged cells in the stub, the stated identity
in the stub of section 三; a marked cell has a colour *and* a symbol (✗ error, ! warning), so it prints
in black and white, and its findings' messages show on hover and in a list beside the table.
Markdown: the same tables flattened, marked cells written ``✗ 3``, for pasting into a document.
"""

from __future__ import annotations

import html

from govspec.check.report import Report
from govspec.findings import message
from govspec.io.values import NOT_SEEN, CellText, value_text
from govspec.present.reporters import equation_text
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
ul.findings li{margin:.2em 0}
.sym{margin-right:.2em}
"""


def display(value) -> str:
    if value is NOT_SEEN:
        return ""
    return value.text if isinstance(value, CellText) else value_text(value)


def cell_values(spec: CompiledSpec, document: dict) -> dict:
    tables = document.get("tables") or {}
    out = {}
    for cell in spec.cells:
        rows = tables.get(cell.table.id)
        columns = rows.get(cell.row.id) if isinstance(rows, dict) else None
        out[cell.id] = columns.get(cell.column.id) if isinstance(columns, dict) else None
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


def _header_rows(block, stub_columns: int, stub: str, lang: str) -> list[str]:
    paths = [block.group_path(block.column_groups, c.group) for c in block.columns]
    depth = max(len(p) for p in paths) + 1
    rows = []
    for level in range(depth):
        cells = []
        if level == 0:
            cells.append(f'<th rowspan="{depth}" colspan="{stub_columns}">{html.escape(stub)}</th>')
        index = 0
        while index < len(block.columns):
            path, column = paths[index], block.columns[index]
            if level < len(path):
                group = path[level]
                span = 1
                while index + span < len(block.columns) and level < len(paths[index + span]) and \
                        paths[index + span][level] is group:
                    span += 1
                cells.append(f'<th colspan="{span}">{html.escape(_pick(group, lang))}</th>')
                index += span
                continue
            if level == len(path):
                cells.append(f'<th rowspan="{depth - level}">{html.escape(_pick(column, lang))}</th>')
            index += 1
        rows.append("<tr>" + "".join(cells) + "</tr>")
    return rows


def table_html(spec: CompiledSpec, table, values: dict, marked: dict, lang: str = "zh") -> str:
    parts = []
    for block in table.blocks:
        groups_of = {r.id: block.group_path(block.row_groups, r.group) for r in block.rows}
        depth = max((len(g) for g in groups_of.values()), default=0)
        stub = (block.stub or "") if lang == "zh" else ""
        if block.id:
            parts.append(f'<tr><th colspan="{depth + 1 + len(block.columns)}" class="block">'
                         f'{html.escape(_pick(block, lang))}</th></tr>')
        parts.extend(_header_rows(block, depth + 1, stub, lang))
        counts: dict = {}
        for row in block.rows:
            for group in groups_of[row.id]:
                counts[group.id] = counts.get(group.id, 0) + 1
        opened: set = set()
        for row in block.rows:
            cells = []
            for group in groups_of[row.id]:
                if group.id not in opened:
                    opened.add(group.id)
                    cells.append(f'<th rowspan="{counts[group.id]}">{html.escape(_pick(group, lang))}</th>')
            span = depth + 1 - len(groups_of[row.id])
            cells.append(f'<th colspan="{span}" class="row">{html.escape(_pick(row, lang))}</th>')
            for column in block.columns:
                cell_id = f"{table.id}.{row.id}.{column.id}"
                if cell_id not in spec.cell_index:
                    cells.append("<td></td>")
                    continue
                text = html.escape(display(values.get(cell_id)))
                findings = marked.get(cell_id)
                if findings:
                    severity = "error" if any(f.severity == "error" for f in findings) else "warning"
                    tip = html.escape(" / ".join(message(f, lang) for f in findings), quote=True)
                    cells.append(f'<td class="num mark-{severity}" data-cell="{cell_id}" title="{tip}">'
                                 f'<span class="sym">{SYMBOL[severity]}</span>{text}</td>')
                else:
                    cells.append(f'<td class="num" data-cell="{cell_id}">{text}</td>')
            parts.append("<tr>" + "".join(cells) + "</tr>")
    return f'<table class="report" data-table="{table.id}">' + "".join(parts) + "</table>"


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
    for table, title in table_titles(spec, lang):
        parts.append(f"<h3>{html.escape(title)}</h3>")
        parts.append(table_html(spec, table, values, marked, lang))
        parts.append(_findings_html(report, table.id, lang))
    return "".join(parts)


def render_html(report: Report, document: dict, lang: str = "zh") -> str:
    meta = report.metadata
    title = " ".join(str(x) for x in (meta.get("agency"), meta.get("year")) if x) or report.source
    return (f'<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8"><title>{html.escape(title)}</title>'
            f"<style>{CSS}</style></head><body><h2>{html.escape(title)} — {html.escape(report.spec.spec.ref)}</h2>"
            + report_html_body(report, document, lang) + "</body></html>\n")


def render_markdown(report: Report, document: dict, lang: str = "zh") -> str:
    spec = report.spec
    values = cell_values(spec, document)
    marked = marks(report)
    lines = []
    for table, title in table_titles(spec, lang):
        lines += [f"### {title}", ""]
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
            for row in block.rows:
                label = "/".join([_pick(g, lang) for g in block.group_path(block.row_groups, row.group)] +
                                 [_pick(row, lang)])
                cells = [label]
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
    return "\n".join(lines).rstrip() + "\n"
