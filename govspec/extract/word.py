"""Word files (.docx): the document's XML read directly — paragraphs in order, tables as the grid they
draw, following ``w:gridSpan`` (a cell over several grid columns) and ``w:vMerge`` (a cell continued
from the row above, left out as a merged-away cell).  Runs (``w:r``) within a paragraph are one text;
paragraphs and line breaks within a cell are kept apart, so digits are never joined across them.
Hidden text (``w:vanish``) is not read."""

from __future__ import annotations

import xml.etree.ElementTree as ElementTree

from govspec.errors import InstanceError
from govspec.extract.grid import GridRow, GridText, Item
from govspec.extract.limits import open_zip_member

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def read_docx(raw: bytes, source: str) -> list[Item]:
    xml = open_zip_member(raw, "word/document.xml", source, "a Word document")
    if b"<!DOCTYPE" in xml[:4096] or b"<!ENTITY" in xml:
        raise InstanceError("the Word document declares XML entities, which a .docx never does: refused",
                            zh="Word 文档声明了 XML 实体（.docx 从不如此）：拒绝读取",
                            source=source)
    try:
        root = ElementTree.fromstring(xml)
    except ElementTree.ParseError as exc:
        raise InstanceError(f"the Word document's XML is broken ({exc})",
                            zh=f"Word 文档的 XML 已损坏（{exc}）", source=source) from None
    body = root.find(f"{W}body")
    items: list[Item] = []
    tables = 0
    for element in (body if body is not None else []):
        if element.tag == f"{W}p":
            text = _paragraph(element)
            if text.strip():
                items.append(GridText(text, f"paragraph {len(items) + 1}"))
        elif element.tag == f"{W}tbl":
            tables += 1
            items.extend(_table(element, tables))
    return items


def _paragraph(p: ElementTree.Element) -> str:
    parts: list[str] = []
    for run in p.iter(f"{W}r"):
        props = run.find(f"{W}rPr")
        if props is not None and props.find(f"{W}vanish") is not None:
            continue  # hidden text
        for node in run:
            if node.tag == f"{W}t":
                parts.append(node.text or "")
            elif node.tag in (f"{W}br", f"{W}cr", f"{W}tab"):
                parts.append(" ")
    return "".join(parts)


def _table(tbl: ElementTree.Element, number: int) -> list[Item]:
    rows: list[Item] = []
    for index, tr in enumerate(tbl.findall(f"{W}tr"), 1):
        column = 0
        props = tr.find(f"{W}trPr")
        before = props.find(f"{W}gridBefore") if props is not None else None
        if before is not None:
            column += _int(before.get(f"{W}val"))
        cells = []
        for tc in tr.findall(f"{W}tc"):
            tc_props = tc.find(f"{W}tcPr")
            span = 1
            merged_away = False
            if tc_props is not None:
                grid_span = tc_props.find(f"{W}gridSpan")
                if grid_span is not None:
                    span = max(1, _int(grid_span.get(f"{W}val")))
                v_merge = tc_props.find(f"{W}vMerge")
                merged_away = v_merge is not None and v_merge.get(f"{W}val", "continue") == "continue"
            if not merged_away:
                text = " ".join(_paragraph(p) for p in tc.findall(f".//{W}p"))
                cells.append((text, f"table {number} row {index} col {column + 1}"))
            column += span
        rows.append(GridRow(tuple(cells)))
    return rows


def _int(value: str | None) -> int:
    try:
        return int(value or 0)
    except ValueError:
        return 0
