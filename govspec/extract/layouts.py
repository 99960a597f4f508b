"""Writing an instance out as a published report's tables would look: Markdown, plain text, HTML.

The layouts are the ones real reports use (docs/extraction.md): one table row per line with ``|`` (also without
outer pipes, as html2text writes, or with a merged cell given once and the place it also covers left empty, as
markdownify writes it) or with tabs (a table copied as text), Pandoc's grid tables, one cell per line
written ``cell |``, one cell per paragraph, and plain HTML tables.  Used to test extraction (write a report out,
extract it, compare).  :mod:`govspec.render` draws the official layout.
"""

from __future__ import annotations

import html
from decimal import Decimal

from govspec.spec.compiler import CompiledSpec

LAYOUTS = ("markdown", "cell-per-line", "paragraphs", "html", "spaced", "fragments", "instructions", "tabs", "grid",
           "bare-markdown", "pandas", "pandas-text", "merged-markdown")
BLANKS = ("markdown", "cell-per-line", "html", "fragments", "instructions", "tabs", "grid",
          "bare-markdown", "pandas", "pandas-text", "merged-markdown")  # layouts that can show a blank cell
INSTRUCTIONS = "（按本单位实际情况填写）"  # a filling instruction printed after a row label


def _text(value) -> str:
    if value is None:
        return ""
    return format(value, "f") if isinstance(value, Decimal) else str(value)


def _grid_rows(spec: CompiledSpec, document: dict):
    """(kind, cells) rows in template order: headings, block headers, column headers, value rows."""
    tables = document.get("tables", {})
    sections = {s.id: s for s in spec.spec.sections}
    for table in spec.spec.tables:
        section = sections.get(table.section) if table.section else None
        yield "heading", [section.label if section else table.label]
        for block in table.blocks:
            if block.id:
                yield "block", [block.label]
                yield "header", [block.stub or "", *(c.label for c in block.columns)]
            else:
                groups = [g.label for g in block.column_groups.values()]
                if groups:
                    yield "header", ["", *groups]
                yield "header", ["", *(c.label for c in block.columns)]
            seen_groups: set = set()
            for row in block.rows:
                for group in block.group_path(block.row_groups, row.group):
                    if group.id not in seen_groups:
                        seen_groups.add(group.id)
                        yield "group", [group.label]
                values = tables.get(table.id, {}).get(row.id, {})
                yield "row", [row.label or "", *(_text(values.get(c.id)) for c in block.columns)]


def render(spec: CompiledSpec, document: dict, layout: str = "markdown") -> str:
    if layout == "html":
        return _html(spec, document)
    if layout in ("pandas", "pandas-text"):
        return _pandas(spec, document, layout == "pandas-text")
    lines = []
    first = False  # the first row of a table (under its heading)
    for kind, cells in _grid_rows(spec, document):
        if kind in ("heading",):
            lines.append(cells[0])
            first = True
        elif layout == "bare-markdown":  # html2text: no outer pipes, a separator under each table's first row
            lines.append("| ".join(cells) + "  ")
            if first:
                lines.append("|".join(["---"] * len(cells)) + "  ")
            first = False
        elif layout == "merged-markdown":  # markdownify: a merged cell given once, the place it also covers left empty
            if kind in ("header", "row") and len(cells) > 2:  # the first column merged over two places
                cells = [*cells[:2], "", *cells[2:]]
            lines.append("| " + " | ".join(cells) + " |")
        elif layout in ("markdown", "instructions"):
            if kind == "row" and layout == "instructions" and cells[0]:
                cells = [cells[0] + INSTRUCTIONS, *cells[1:]]
            lines.append("| " + " | ".join(cells) + " |")
        elif layout == "tabs":  # a table copied out of a browser, Word or Excel: cells set apart by tabs
            lines.append("\t".join(cells))
        elif layout == "grid":  # Pandoc's grid table: each row between borders, its label wrapped every 6 characters
            pieces = [cells[0][k:k + 6] for k in range(0, len(cells[0]), 6)] or [""]
            border = "+" + "----+" * len(cells)
            if not lines or not lines[-1].startswith("+"):
                lines.append(border)
            lines.append("| " + " | ".join([pieces[0], *cells[1:]]) + " |")
            lines.extend("| " + " | ".join([piece, *[""] * (len(cells) - 1)]) + " |" for piece in pieces[1:])
            lines.append(border)
        elif layout == "spaced":  # text copied out of a PDF: cells set apart by spaces, blanks not shown
            lines.append(" ".join(c for c in cells if c))
        elif layout == "fragments":  # PDF to Markdown: each row a table of its own, its label on a loose line
            if kind == "row":
                if cells[0]:
                    lines.append(cells[0])
                values = cells[1:]
                lines += ["| " + " | ".join(f"数据{i + 1}" for i in range(len(values))) + " |",
                          "|" + "---|" * len(values), "| " + " | ".join(values) + " |", ""]
            else:
                lines.extend(c for c in cells if c)
        elif layout == "cell-per-line":
            lines.extend((f"{c} |" if c else "|") for c in cells if c or kind == "row")
        else:  # paragraphs
            lines.extend(f"{c}\n" for c in cells if c)
    return "\n".join(lines) + "\n"


def _html(spec: CompiledSpec, document: dict) -> str:
    out = ["<html><body>"]
    current_open = False
    for kind, cells in _grid_rows(spec, document):
        if kind == "heading":
            if current_open:
                out.append("</table>")
            out.append(f"<h2>{html.escape(cells[0])}</h2><table>")
            current_open = True
        elif kind in ("block", "group"):
            out.append(f'<tr><td colspan="4">{html.escape(cells[0])}</td></tr>')
        else:
            tag = "th" if kind == "header" else "td"
            out.append("<tr>" + "".join(f"<{tag}>{html.escape(c)}</{tag}>" for c in cells) + "</tr>")
    if current_open:
        out.append("</table>")
    out.append("</body></html>")
    return "\n".join(out) + "\n"


def _pandas(spec: CompiledSpec, document: dict, text: bool = False) -> str:
    """A sheet read by pandas (``read_excel(header=None)``) and written with ``to_markdown`` — one table as wide as the
    widest row, its columns numbered in the header, a cell with no value ``nan``, blanks and the sheet's empty cells
    alike — or with ``to_string(index=False, header=False)`` (``text``): the cells set apart by spaces, ``NaN``."""
    rows = [cells for _, cells in _grid_rows(spec, document)]
    width = max(map(len, rows))
    if text:
        return "\n".join("  ".join([c or "NaN" for c in cells] + ["NaN"] * (width - len(cells))) for cells in rows) + "\n"
    lines = ["| " + " | ".join(map(str, range(width))) + " |", "|" + ":---|" * width]
    lines += ["| " + " | ".join([c or "nan" for c in cells] + ["nan"] * (width - len(cells))) + " |" for cells in rows]
    return "\n".join(lines) + "\n"
