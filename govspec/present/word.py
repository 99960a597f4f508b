"""A Word file (.docx) of a report's tables as the official template prints them, for agencies that
assemble their report in Word: the title, each section's table (merged header cells as ``w:gridSpan``,
row groups merged down the stub as ``w:vMerge``), and the date.  Written as plain WordprocessingML with
Python's own ``zipfile`` (no Word library needed); ``govspec validate`` reads it back to the same report.
"""

from __future__ import annotations

import io
import zipfile
from xml.sax.saxutils import escape

from govspec.io.values import value_text, xml_safe
from govspec.present.layout import LayoutCell, LayoutTable, layout
from govspec.present.wording import date_words
from govspec.present.workbook import _title
from govspec.spec.compiler import CompiledSpec

CONTENT_TYPES = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">
<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>
<Default Extension="xml" ContentType="application/xml"/>
<Override PartName="/word/document.xml"
 ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>
</Types>"""
RELS = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"
 Target="word/document.xml"/>
</Relationships>"""
W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
BORDERS = ('<w:tblBorders>' + "".join(f'<w:{side} w:val="single" w:sz="4" w:space="0" w:color="000000"/>'
                                      for side in ("top", "left", "bottom", "right", "insideH", "insideV"))
           + "</w:tblBorders>")


def report_docx(spec: CompiledSpec, document: dict) -> bytes:
    """The .docx bytes of ``document``'s tables; blank cells stay empty."""
    tables = document.get("tables") or {}
    meta = document.get("report") or {}
    body = [_paragraph(_title(meta), bold=True, size=32)]
    for table in layout(spec):
        body.append(_paragraph(table.title, bold=True))
        body.append(_table(table, tables))
    date = date_words(meta)
    if date:
        body.append(_paragraph(date))
    xml = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document {W}><w:body>'
           + "".join(body) + "<w:sectPr/></w:body></w:document>")
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES)
        archive.writestr("_rels/.rels", RELS)
        archive.writestr("word/document.xml", xml)
    return out.getvalue()


def _paragraph(text: str, bold: bool = False, size: int | None = None) -> str:
    props = ("<w:b/>" if bold else "") + (f'<w:sz w:val="{size}"/>' if size else "")
    run_props = f"<w:rPr>{props}</w:rPr>" if props else ""
    return f'<w:p><w:r>{run_props}<w:t xml:space="preserve">{escape(xml_safe(text))}</w:t></w:r></w:p>'


def _table(table: LayoutTable, values: dict) -> str:
    cover: dict[tuple[int, int], int] = {}  # (row, grid column) merged down from above -> its column span
    for r, row in enumerate(table.rows):
        for cell in row:
            for below in range(r + 1, r + cell.rowspan):
                cover[(below, cell.column)] = cell.colspan
    rows = []
    for r, row in enumerate(table.rows):
        starts = {cell.column: cell for cell in row}
        cells = []
        column = 0
        while column < table.width:
            if (r, column) in cover:  # a cell merged down from a row above
                cells.append(_cell("", cover[(r, column)], "continue"))
                column += cover[(r, column)]
            elif column in starts:
                cell = starts[column]
                cells.append(_cell(_text(cell, values), cell.colspan, "restart" if cell.rowspan > 1 else None))
                column += cell.colspan
            else:
                cells.append(_cell("", 1))
                column += 1
        rows.append("<w:tr>" + "".join(cells) + "</w:tr>")
    grid = "".join('<w:gridCol w:w="800"/>' for _ in range(table.width))
    return (f'<w:tbl><w:tblPr><w:tblW w:w="0" w:type="auto"/>{BORDERS}</w:tblPr><w:tblGrid>{grid}</w:tblGrid>'
            + "".join(rows) + "</w:tbl>")


def _cell(text: str, span: int, merge: str | None = None) -> str:
    props = (f'<w:gridSpan w:val="{span}"/>' if span > 1 else "") + \
        (f'<w:vMerge w:val="{merge}"/>' if merge else "")
    return f"<w:tc><w:tcPr>{props}</w:tcPr>{_paragraph(text)}</w:tc>"


def _text(cell: LayoutCell, values: dict) -> str:
    if cell.kind != "value":
        return cell.text
    table, row, column = (cell.cell_id or "..").split(".")
    value = (values.get(table) or {}).get(row, {}).get(column)
    return "" if value is None else value_text(value)
