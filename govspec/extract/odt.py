"""OpenDocument text (.odt: what LibreOffice and the office suites of domestic desktops write, and WPS on request), read
as the grid its tables draw, as a .docx is.

The document's body (``content.xml``) in order: paragraphs and headings, lists' paragraphs, and tables.  A table's cells
each take a grid column — a cell spanning several (``table:number-columns-spanned``) is followed by the cells it covers
(``table:covered-table-cell``), which ODF writes out and which are left out here, as a merged-away cell is in a .docx;
cells and rows repeated (``number-columns-repeated``, ``number-rows-repeated``: how empty stretches are written) are each
a cell and a row.  Text is read as the document shows it: a field's shown text, spaces (``text:s``), tabs and line breaks
as spaces; text hidden (``text:display="none"``, ``text:hidden-text``) not read, and text struck out
(``style:text-line-through-style``) kept apart as in a .docx — each parts the digits around it; notes and tracked
deletions (kept apart from the body by the format) not read, nor text boxes (a ``draw:frame``'s).  A cell that shows
only a picture is a picture, no blank.
A row whose cells hold tables lays a report out: what they hold is read as a body is.
"""

from __future__ import annotations

import xml.etree.ElementTree as ElementTree

from govspec.errors import InstanceError
from govspec.extract.grid import GridRow, GridText, Item, cell_text, shown_as
from govspec.extract.limits import MAX_CELLS, check_cells, holds_member, open_zip_member
from govspec.extract.office_xml import office_root

OFFICE = "{urn:oasis:names:tc:opendocument:xmlns:office:1.0}"
TEXT = "{urn:oasis:names:tc:opendocument:xmlns:text:1.0}"
TABLE = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"
STYLE = "{urn:oasis:names:tc:opendocument:xmlns:style:1.0}"
FO = "{urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0}"
DRAW = "{urn:oasis:names:tc:opendocument:xmlns:drawing:1.0}"
PARAGRAPHS = (f"{TEXT}p", f"{TEXT}h")
WRAPPERS = (f"{TEXT}list", f"{TEXT}list-item", f"{TEXT}list-header", f"{TEXT}section", f"{TABLE}table-header-rows",
            f"{TABLE}table-rows", f"{TABLE}table-row-group", f"{TEXT}index-body")
NOT_SHOWN = (f"{TEXT}note", f"{TEXT}tracked-changes", f"{TEXT}hidden-text", f"{TEXT}hidden-paragraph",
             f"{TEXT}sequence-decls", f"{OFFICE}forms", f"{TEXT}index-title-template", f"{OFFICE}annotation")
LAYOUT_DEPTH = 8  # tables within tables read as layout this deep (as in a .docx)


def read_odt(raw: bytes, source: str) -> list[Item]:
    """The paragraphs and table rows of an OpenDocument text, in order."""
    content = _root(raw, "content.xml", source)
    looks = _looks(content, _root(raw, "styles.xml", source) if holds_member(raw, "styles.xml") else None)
    body = content.find(f"{OFFICE}body/{OFFICE}text")
    reader = _Reader(looks, source)
    reader.blocks(body if body is not None else [], 0)
    return reader.items


def _root(raw: bytes, member: str, source: str) -> ElementTree.Element:
    text = open_zip_member(raw, member, source, "an OpenDocument text").decode("utf-8", "replace")
    return office_root(text, source, f"{OFFICE}document-content" if member == "content.xml" else
                       f"{OFFICE}document-styles", (f"OpenDocument text ({member})", f"OpenDocument 文本（{member}）"),
                       "a word processor")


def _looks(content: ElementTree.Element, styles: ElementTree.Element | None) -> dict[str, tuple[bool, bool]]:
    """Each text and paragraph style: whether it hides its text, whether it strikes it out (with the styles it is
    based on)."""
    own: dict[str, tuple[bool | None, bool | None]] = {}
    parents: dict[str, str] = {}
    for root in (styles, content):
        for style in root.iter(f"{STYLE}style") if root is not None else ():
            name = style.get(f"{STYLE}name")
            if not name:
                continue
            props = style.find(f"{STYLE}text-properties")
            hidden = strike = None
            if props is not None:
                display = props.get(f"{TEXT}display")
                hidden = display == "none" if display is not None else None
                line = props.get(f"{STYLE}text-line-through-style")
                strike = line not in ("none", "") if line is not None else None
            own[name] = (hidden, strike)
            parent = style.get(f"{STYLE}parent-style-name")
            if parent:
                parents[name] = parent
    looks = {}
    for name in own:
        hidden = strike = None
        seen = set()
        at: str | None = name
        while at is not None and at not in seen and (hidden is None or strike is None):
            seen.add(at)
            mine = own.get(at, (None, None))
            hidden = mine[0] if hidden is None else hidden
            strike = mine[1] if strike is None else strike
            at = parents.get(at)
        looks[name] = (bool(hidden), bool(strike))
    return looks


class _Reader:
    def __init__(self, looks: dict[str, tuple[bool, bool]], source: str) -> None:
        self.looks, self.source = looks, source
        self.items: list[Item] = []
        self.tables = 0
        self.cells = 0

    def blocks(self, parent, depth: int) -> None:
        """The paragraphs and tables in ``parent`` appended to the items (lists and sections read through, without
        recursion)."""
        waiting = list(parent)[::-1]
        while waiting:
            element = waiting.pop()
            if element.tag in PARAGRAPHS:
                text, _struck, _picture = self.paragraph(element)
                if text.strip():
                    self.items.append(GridText(text, f"paragraph {len(self.items) + 1}"))
            elif element.tag == f"{TABLE}table":
                self.table(element, depth)
            elif element.tag in WRAPPERS:
                waiting.extend(list(element)[::-1])

    def paragraph(self, element: ElementTree.Element) -> tuple[str, str, bool]:
        """A paragraph's text as shown, its text struck out, and whether it shows a picture."""
        shown: list[str] = []
        struck: list[str] = []
        picture = False
        waiting: list = [(element, False, False, False)]  # (node, closing, hidden, strike)
        while waiting:
            node, closing, hidden, strike = waiting.pop()
            if closing:
                if node.tail and node is not element:
                    shown_as(node.tail, hidden, strike, shown, struck)
                continue
            tag = node.tag
            if node is not element:
                parent_hidden, parent_strike = hidden, strike
                waiting.append((node, True, parent_hidden, parent_strike))  # its tail: in its parent's look
                if tag in NOT_SHOWN:
                    shown.append(" ")
                    continue
                if tag == f"{DRAW}frame":
                    picture = picture or node.find(f"{DRAW}image") is not None
                    shown.append(" ")
                    continue
                if tag == f"{TEXT}s":
                    shown.append(" ")
                    continue
                if tag in (f"{TEXT}tab", f"{TEXT}line-break"):
                    shown.append(" ")
                    continue
                style = node.get(f"{TEXT}style-name")
                if style in self.looks:
                    look = self.looks[style]
                    hidden, strike = hidden or look[0], strike or look[1]
            else:
                look = self.looks.get(node.get(f"{TEXT}style-name") or "", (False, False))
                hidden, strike = look
            if node.text:
                shown_as(node.text, hidden, strike, shown, struck)
            waiting.extend((child, False, hidden, strike) for child in reversed(node))
        return "".join(shown), "".join(struck), picture

    def table(self, table: ElementTree.Element, depth: int) -> None:
        self.tables += 1
        number = self.tables
        rows = []
        waiting = list(table)[::-1]
        while waiting:
            element = waiting.pop()
            if element.tag == f"{TABLE}table-row":
                rows.extend([element] * _repeated(element, "rows", self.source))
                check_cells(len(rows), self.source, tables=True)  # rows repeated past any report's (a cell each at least)
            elif element.tag in WRAPPERS:
                waiting.extend(list(element)[::-1])
        for index, row in enumerate(rows, 1):
            cells = [cell for cell in row if cell.tag in (f"{TABLE}table-cell", f"{TABLE}covered-table-cell")]
            if depth < LAYOUT_DEPTH and any(child.tag == f"{TABLE}table" for cell in cells for child in cell):
                for cell in cells:  # a row laying a report out: what its cells hold read as a body is
                    self.blocks(cell, depth + 1)
                continue
            found = []
            column = 0
            for cell in cells:
                for _ in range(_repeated(cell, "columns", self.source)):
                    column += 1
                    self.cells += 1
                    check_cells(self.cells, self.source, tables=True)
                    if cell.tag == f"{TABLE}table-cell":
                        found.append((self.cell_text(cell), f"table {number} row {index} col {column}"))
            self.items.append(GridRow(tuple(found)))

    def cell_text(self, cell: ElementTree.Element) -> str:
        texts, struck, picture = [], [], False
        waiting = list(cell)[::-1]
        while waiting:
            element = waiting.pop()
            if element.tag in PARAGRAPHS:
                text, crossed, shows = self.paragraph(element)
                texts.append(text)
                struck.append(crossed)
                picture = picture or shows
            elif element.tag in WRAPPERS or element.tag == f"{TABLE}table":  # a table deeper than layout: its text
                waiting.extend(list(element)[::-1])
            elif element.tag in (f"{TABLE}table-row", f"{TABLE}table-cell"):
                waiting.extend(list(element)[::-1])
        return cell_text(" ".join(texts), [" ".join(s for s in struck if s)], picture)


def _repeated(element: ElementTree.Element, what: str, source: str) -> int:
    """How many times a row or cell stands (``number-rows-repeated``, ``number-columns-repeated``), at least once."""
    try:
        count = int(element.get(f"{TABLE}number-{what}-repeated", "1"))
    except ValueError:
        return 1
    if count > MAX_CELLS:
        raise InstanceError(f"a table of the document repeats a {what[:-1]} {count} times: refused",
                            zh=f"文档中的表格将一{'行' if what == 'rows' else '列'}重复 {count} 次：拒绝读取", source=source)
    return max(1, count)
