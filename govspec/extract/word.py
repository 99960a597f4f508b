"""Word files (.docx): the document's XML read directly — paragraphs in order, tables as the grid they
draw, following ``w:gridSpan`` (a cell over several grid columns) and ``w:vMerge`` (a cell continued
from the row above, left out as a merged-away cell).  Runs (``w:r``) within a paragraph are one text;
paragraphs and line breaks within a cell are kept apart, so digits are never joined across them.

Read as the document reads with its changes accepted: hidden text (``w:vanish``) is not read, nor what changes
tracked delete or move away (``w:del``, ``w:moveFrom``, a row marked deleted), nor text struck out
(``w:strike``: a number corrected in place, 94 struck and 4, is 4; a cell of struck text only is ``~~94~~``, no
value) — hidden or struck on the run or through its styles (:mod:`govspec.extract.word_styles`); each parts the
text around it.  Content controls (``w:sdt``, the fields of a form to fill in) and custom
XML (``w:customXml``) are read through, wherever they wrap paragraphs, tables, rows or cells (skipped, a cell
left its row one cell short, and so unread).  Of markup-compatible alternatives (``mc:AlternateContent``: a text
box drawn two ways) only the first is read, not the fallback copy.  A row whose cells hold tables lays a report
out: what they hold is read as a body is (:func:`_table`)."""

from __future__ import annotations

import xml.etree.ElementTree as ElementTree
from collections.abc import Iterator

from govspec.errors import InstanceError
from govspec.extract.grid import GridRow, GridText, Item, cell_text
from govspec.extract.limits import holds_member, open_zip_member
from govspec.extract.word_chunks import imported
from govspec.extract.word_styles import NONE, Styles, read_styles

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"
_NOT_SHOWN = (f"{MC}Fallback", f"{W}del", f"{W}moveFrom")  # a drawing's second copy; tracked deletions and moves away


STRICT = "{http://purl.oclc.org/ooxml/wordprocessingml/main}"  # Strict Open XML: the same elements, another namespace


def read_docx(raw: bytes, source: str) -> list[Item]:
    document = _part(raw, "word/document.xml", source)
    styles = _part(raw, "word/styles.xml", source) if holds_member(raw, "word/styles.xml") else None
    for root in (document, styles):
        if root is not None and root.tag.startswith(STRICT):  # a .docx saved as "Strict Open XML"
            renamed(root, STRICT)
    imported(raw, document, source, W, _part)  # pages the document imports (w:altChunk), as Word makes them
    return read_body(document.find(f"{W}body"), read_styles(styles))


def renamed(root: ElementTree.Element, namespace: str, names: dict[str, str] | None = None,
            wrappers: frozenset[str] = frozenset()) -> None:
    """Every element and attribute of ``namespace`` under the .docx's names (``names``: the local names that differ),
    and the elements ``wrappers`` read through, their children in their place (without recursion: a hostile file may
    nest elements deeper than Python recurses)."""
    names = names or {}
    stack = [root]
    while stack:
        element = stack.pop()
        if element.tag.startswith(namespace):
            name = element.tag[len(namespace):]
            element.tag = W + names.get(name, name)
        for key in [key for key in element.attrib if key.startswith(namespace)]:
            element.attrib[W + key[len(namespace):]] = element.attrib.pop(key)
        children = list(element)
        if wrappers and any(child.tag in wrappers for child in children):
            flat: list[ElementTree.Element] = []
            waiting = children[::-1]
            while waiting:
                child = waiting.pop()
                if child.tag in wrappers:
                    waiting.extend(list(child)[::-1])
                else:
                    flat.append(child)
            element[:] = flat
            children = flat
        stack.extend(children)


def read_body(body: ElementTree.Element | None, styles: Styles) -> list[Item]:
    """The paragraphs and table rows of a document's body (``w:body``), in order."""
    items: list[Item] = []
    _blocks(body if body is not None else [], items, [0], 0, styles)
    return items


def _part(raw: bytes, member: str, source: str) -> ElementTree.Element:
    """One part of the .docx, parsed, within the limits; one that declares entities (a .docx never does) or is not
    XML is refused."""
    xml = open_zip_member(raw, member, source, "a Word document")
    if b"<!DOCTYPE" in xml[:4096] or b"<!ENTITY" in xml:
        raise InstanceError(f"the Word document declares XML entities in {member}, which a .docx never does: refused",
                            zh=f"Word 文档在 {member} 中声明了 XML 实体（.docx 从不如此）：拒绝读取", source=source)
    try:
        return ElementTree.fromstring(xml)
    except ElementTree.ParseError as exc:
        raise InstanceError(f"the Word document's XML is broken in {member} ({exc})",
                            zh=f"Word 文档的 XML 已损坏（{member}：{exc}）", source=source) from None


LAYOUT_DEPTH = 8  # tables within tables read as layout this deep; deeper ones (hostile files) as one cell's text


def _blocks(parent, items: list[Item], tables: list[int], depth: int, styles: Styles) -> None:
    """The paragraphs and tables of a body — or of a table's cells used for layout — appended to ``items`` in
    order; ``tables`` counts the tables numbered so far."""
    for element in _unwrapped(parent):
        if element.tag == f"{W}p":
            text = _paragraph(element, styles)
            if text.strip():
                items.append(GridText(text, f"paragraph {len(items) + 1}"))
        elif element.tag == f"{W}tbl":
            tables[0] += 1
            _table(element, tables[0], items, tables, depth, styles)


def _unwrapped(elements) -> list[ElementTree.Element]:
    """The children of a body, table or row, with content controls and custom XML read through (without
    recursion: a hostile file may nest them deeper than Python recurses)."""
    found: list[ElementTree.Element] = []
    stack = [iter(elements)]
    while stack:
        for element in stack[-1]:
            if element.tag == f"{W}sdt":
                content = element.find(f"{W}sdtContent")
                if content is not None:
                    stack.append(iter(content))
                    break
            elif element.tag == f"{W}customXml":
                stack.append(iter(element))
                break
            else:
                found.append(element)
        else:
            stack.pop()
    return found


def _runs(element: ElementTree.Element) -> Iterator[ElementTree.Element | None]:
    """The runs within ``element`` in document order (those of a text box anchored in a run after it), without
    the fallback copy of markup-compatible alternatives nor text deleted or moved away with changes tracked (and
    without recursion, as above); None where a paragraph of a text box begins or ends (:func:`_edges_closed`)."""
    stack = [iter(element)]
    while stack:
        for child in stack[-1]:
            if child.tag in _NOT_SHOWN:
                continue
            if child is _END:
                yield None
                continue
            if child.tag == f"{W}r":
                yield child
            elif child.tag == f"{W}p":
                yield None
                stack.append(_closed(child))
                break
            stack.append(iter(child))
            break
        else:
            stack.pop()


def _closed(paragraph: ElementTree.Element) -> Iterator:
    """The children of a paragraph within a paragraph (in a text box), then a mark where it ends."""
    yield from paragraph
    yield _END


_END = ElementTree.Element("end of a paragraph in a text box")


def _paragraph(p: ElementTree.Element, styles: Styles = NONE, struck: list[str] | None = None) -> str:
    """The paragraph's text as shown.  Hidden runs are not read, and runs struck out (a number corrected in place)
    go to ``struck`` — by their own properties or their styles' (:mod:`govspec.extract.word_styles`); both part the
    text around them, so that digits are never joined across them."""
    parts: list[str] = []
    style = p.find(f"{W}pPr/{W}pStyle")
    paragraph_style = style.get(f"{W}val") if style is not None else None
    for run in _runs(p):
        if run is None:
            parts.append(_EDGE)  # a paragraph of a text box begins or ends
            continue
        props = run.find(f"{W}rPr")
        if styles.run_has("vanish", props, paragraph_style):
            parts.append(" ")  # hidden text
            continue
        into = parts
        if any(styles.run_has(name, props, paragraph_style) for name in ("strike", "dstrike")):
            parts.append(" ")
            into = struck if struck is not None else []
        for node in run:
            if node.tag == f"{W}t":
                into.append(node.text or "")
            elif node.tag in (f"{W}br", f"{W}cr", f"{W}tab"):
                into.append(" ")
    return _edges_closed(parts)


_EDGE = "\x00"  # where a paragraph of a text box begins or ends (control characters are no text of a paragraph)


def _edges_closed(parts: list[str]) -> str:
    """The paragraph's text, a text box's paragraphs read where they are anchored: as one text with the text around
    them (a title laid out with a text box, 淮安市 and a box holding 人民政府, reads 淮安市人民政府), except between the
    characters of numbers, which a box's edge parts (12 beside a box holding 3 is never 123)."""
    text = "".join(parts)
    if _EDGE not in text:
        return text
    pieces = text.split(_EDGE)
    out = pieces[0]
    for piece in pieces[1:]:
        before, after = out.rstrip()[-1:], piece.lstrip()[:1]
        out += (" " if _numeric(before) and _numeric(after) else "") + piece
    return out


def _numeric(char: str) -> bool:
    """A character of a number as written: a digit, or a point or comma (``3,`` beside a box holding ``001``)."""
    return char.isdigit() or (char != "" and char in ",.，．")


def _table(tbl: ElementTree.Element, number: int, items: list[Item], tables: list[int], depth: int,
           styles: Styles) -> None:
    """A table's rows appended to ``items``.  A row with a table in a cell lays out what its cells hold (a report
    wrapped in a one-cell table, as exports from web pages make it): their paragraphs and tables are read as a
    body's, not as one cell's text."""
    for index, tr in enumerate((row for row in _unwrapped(tbl) if row.tag == f"{W}tr"), 1):
        props = tr.find(f"{W}trPr")
        if props is not None and props.find(f"{W}del") is not None:
            continue  # a row deleted with changes tracked: not in the document as it reads
        row_cells = [cell for cell in _unwrapped(tr) if cell.tag == f"{W}tc"]
        if depth < LAYOUT_DEPTH and any(child.tag == f"{W}tbl" for cell in row_cells for child in _unwrapped(cell)):
            for cell in row_cells:
                _blocks(cell, items, tables, depth + 1, styles)
            continue
        column = 0
        before = props.find(f"{W}gridBefore") if props is not None else None
        if before is not None:
            column += _int(before.get(f"{W}val"))
        cells = []
        for tc in row_cells:
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
                struck: list[str] = []
                text = cell_text(" ".join(_paragraph(p, styles, struck) for p in _cell_paragraphs(tc)), struck,
                                 _shows_picture(tc))
                cells.append((text, f"table {number} row {index} col {column + 1}"))
            column += span
        items.append(GridRow(tuple(cells)))


# a picture (DrawingML's blip, VML's image data) or an embedded object: what it shows is not text.  Not a shape
# without a picture — the line a diagonal header cell is drawn with shows no content.
_PICTURES = {"{http://schemas.openxmlformats.org/drawingml/2006/main}blip", "{urn:schemas-microsoft-com:vml}imagedata",
             f"{W}object"}


def _shows_picture(tc: ElementTree.Element) -> bool:
    """Whether a cell shows a picture or an embedded object."""
    return any(element.tag in _PICTURES for element in tc.iter())


def _cell_paragraphs(tc: ElementTree.Element) -> Iterator[ElementTree.Element]:
    """A cell's own paragraphs, in order — a text box's are read within the paragraph it is anchored in, once — and
    those of a table in the cell deeper than :data:`LAYOUT_DEPTH` (a hostile file: read as the cell's text)."""
    for element in _unwrapped(tc):
        if element.tag == f"{W}p":
            yield element
        elif element.tag == f"{W}tbl":
            yield from element.iter(f"{W}p")


def _int(value: str | None) -> int:
    try:
        return int(value or 0)
    except ValueError:
        return 0
