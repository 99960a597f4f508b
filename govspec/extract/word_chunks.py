"""Parts of a .docx that Word imports as it opens the file (``w:altChunk``): a web page — HTML, or a web archive
(.mht) — that tools exporting a page "to Word" put in a .docx whole (html-docx-js in a browser, docx4j on a server),
often the whole report, with nothing else in the body.  Read as the page is read (:mod:`govspec.extract.webpage`), its
lines and rows set in the body where the chunk stands as the paragraphs and tables Word makes of them: so they are
read, numbered and placed as the document's own (a cell covered by a span stays merged away, and the cells after it
keep their columns).  A chunk of another kind (a .docx, RTF, plain text) or one the document does not hold is not read.
"""

from __future__ import annotations

import posixpath
import xml.etree.ElementTree as ElementTree
from collections.abc import Callable

REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
RELATIONSHIP = "{http://schemas.openxmlformats.org/package/2006/relationships}Relationship"
RELATIONSHIPS = "word/_rels/document.xml.rels"


def imported(raw: bytes, document: ElementTree.Element, source: str, namespace: str,
             part: Callable[[bytes, str, str], ElementTree.Element]) -> None:
    """Each ``w:altChunk`` of ``document`` replaced by the paragraphs and tables of the page it names (``namespace``:
    the .docx's, ``part``: how the .docx's XML parts are parsed, within the limits)."""
    chunk_tag = f"{namespace}altChunk"
    places = [(parent, index, child) for parent in document.iter() for index, child in enumerate(parent)
              if child.tag == chunk_tag]
    if not places:
        return
    from govspec.extract.limits import check_text
    targets = _targets(raw, source, part)
    members = [targets.get(chunk.get(REL, "")) for _, _, chunk in places]
    pages = {member: _blocks(raw, member, source) for member in dict.fromkeys(members) if member}  # each read once
    # a page named a thousand times is a thousand pages' text: bounded as one report's, before any is set in the body
    check_text(sum(_characters(pages[member]) for member in members if member))
    for (parent, index, _chunk), member in reversed(list(zip(places, members))):  # from the last: the places
        parent[index:index + 1] = _as_word(pages[member], namespace) if member else []  # before it stay put


def _characters(blocks: list) -> int:
    return sum(len(block[1]) if block[0] == "text" else sum(len(text) for _, text in block[3]) for block in blocks)


def _targets(raw: bytes, source: str, part: Callable[[bytes, str, str], ElementTree.Element]) -> dict[str, str]:
    """The parts the document's relationships name, by id, as paths in the zip: those the package holds (a chunk the
    document names but does not hold shows nothing, in Word either)."""
    import io
    import zipfile
    names = set(zipfile.ZipFile(io.BytesIO(raw)).namelist())
    if RELATIONSHIPS not in names:
        return {}
    found = {}
    for relationship in part(raw, RELATIONSHIPS, source).iter(RELATIONSHIP):
        target = relationship.get("Target", "")
        if relationship.get("TargetMode") == "External" or not target:
            continue
        path = posixpath.normpath(target[1:] if target.startswith("/") else posixpath.join("word", target))
        if path in names:
            found[relationship.get("Id", "")] = path
    return found


def _blocks(raw: bytes, member: str, source: str) -> list:
    """A chunk's page as its lines and rows (:func:`govspec.extract.webpage.html_blocks`); none for a chunk that is no
    web page."""
    from govspec.extract.archive_page import is_archive, page_text
    from govspec.extract.limits import open_zip_member
    from govspec.extract.webpage import html_blocks
    from govspec.io.decoding import decode
    data = open_zip_member(raw, member, source, "a Word document")
    if data[:2] == b"PK" or data.lstrip()[:5] == b"{\\rtf":
        return []  # a .docx inside the .docx, or RTF: not a page
    text = page_text(data, source) if is_archive(data) else decode(data, source)[0]
    return html_blocks(text)


def _as_word(blocks: list, namespace: str) -> list[ElementTree.Element]:
    def paragraph(parent: ElementTree.Element | None, text: str) -> ElementTree.Element:
        element = ElementTree.Element(f"{namespace}p") if parent is None else \
            ElementTree.SubElement(parent, f"{namespace}p")
        run = ElementTree.SubElement(element, f"{namespace}r")
        ElementTree.SubElement(run, f"{namespace}t").text = text
        return element

    out: list[ElementTree.Element] = []
    table, number = None, None
    for block in blocks:
        if block[0] == "text":
            out.append(paragraph(None, block[1]))
            table = None
            continue
        _, table_number, _row, cells = block
        if table is None or table_number != number:
            table, number = ElementTree.Element(f"{namespace}tbl"), table_number
            out.append(table)
        row = ElementTree.SubElement(table, f"{namespace}tr")
        column = 0
        for at, text in cells:
            for _ in range(column, at):  # a cell covered by a span: merged away, so that this one keeps its column
                covered = ElementTree.SubElement(ElementTree.SubElement(row, f"{namespace}tc"), f"{namespace}tcPr")
                ElementTree.SubElement(covered, f"{namespace}vMerge")
            paragraph(ElementTree.SubElement(row, f"{namespace}tc"), text)
            column = max(column, at) + 1
    return out
