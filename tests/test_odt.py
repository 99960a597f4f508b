"""OpenDocument text (.odt): read as the grid its tables draw, as a .docx is.  The made 淮安 report is written here as
an office suite writes ODF — a cell spanning columns followed by the cells it covers, one spanning rows covering the
cells below it — so each test names the one property it weighs."""

from __future__ import annotations

import xml.etree.ElementTree as ElementTree
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

import pytest

from govspec.errors import InstanceError
from govspec.extract import extract_file
from govspec.extract.grid import PICTURE, GridRow, GridText
from govspec.extract.odt import read_odt

DOCS = Path(__file__).resolve().parent / "documents"
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
NAMESPACES = ('xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
              'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
              'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
              'xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" '
              'xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0" '
              'xmlns:draw="urn:oasis:names:tc:opendocument:xmlns:drawing:1.0" '
              'xmlns:xlink="http://www.w3.org/1999/xlink"')
STYLES = ('<office:automatic-styles><style:style style:name="T1" style:family="text"><style:text-properties '
          'text:display="none"/></style:style><style:style style:name="T2" style:family="text"><style:text-properties '
          'style:text-line-through-style="solid"/></style:style><style:style style:name="T3" style:family="text" '
          'style:parent-style-name="T2"/></office:automatic-styles>')


def odt(body: str, path: Path, styles: str = STYLES, mimetype_first: bool = True) -> Path:
    content = (f'<?xml version="1.0" encoding="UTF-8"?><office:document-content {NAMESPACES}>{styles}'
               f"<office:body><office:text>{body}</office:text></office:body></office:document-content>")
    with zipfile.ZipFile(path, "w") as out:
        if mimetype_first:
            out.writestr("mimetype", "application/vnd.oasis.opendocument.text")
        out.writestr("content.xml", content)
        out.writestr("META-INF/manifest.xml", "<manifest/>")
        if not mimetype_first:
            out.writestr("mimetype", "application/vnd.oasis.opendocument.text")
    return path


def from_docx(path: Path) -> str:
    """The made .docx's body as ODF: a cell over several grid columns followed by covered cells, a cell that others
    continue downwards (``w:vMerge``) spanning those rows, which hold covered cells in its place."""
    body = ElementTree.fromstring(zipfile.ZipFile(path).read("word/document.xml")).find(f"{W}body")
    out = []

    def text_of(element) -> str:
        return escape("".join(t.text or "" for t in element.iter(f"{W}t")))
    for element in body:
        if element.tag == f"{W}p":
            out.append(f"<text:p>{text_of(element)}</text:p>")
        elif element.tag == f"{W}tbl":
            grid = []  # per row: [(column, span, merge, paragraphs)]
            for tr in element.iter(f"{W}tr"):
                row, column = [], 0
                for tc in tr.findall(f"{W}tc"):
                    span = tc.find(f"{W}tcPr/{W}gridSpan")
                    span = int(span.get(f"{W}val")) if span is not None else 1
                    merge = tc.find(f"{W}tcPr/{W}vMerge")
                    merge = None if merge is None else merge.get(f"{W}val", "continue")
                    row.append((column, span, merge, [text_of(p) for p in tc.findall(f"{W}p")]))
                    column += span
                grid.append(row)
            out.append("<table:table>")
            for r, row in enumerate(grid):
                out.append("<table:table-row>")
                for column, span, merge, paragraphs in row:
                    if merge == "continue":
                        out.append("<table:covered-table-cell/>" * span)
                        continue
                    down = 1
                    while r + down < len(grid) and any(c == column and m == "continue" for c, _, m, _ in grid[r + down]):
                        down += 1
                    spans = (f' table:number-columns-spanned="{span}"' if span > 1 else "") + \
                        (f' table:number-rows-spanned="{down}"' if down > 1 else "")
                    text = "".join(f"<text:p>{p}</text:p>" for p in paragraphs)
                    out.append(f"<table:table-cell{spans}>{text}</table:table-cell>" + "<table:covered-table-cell/>" * (span - 1))
                out.append("</table:table-row>")
            out.append("</table:table>")
    return "".join(out)


def test_an_opendocument_text_is_read_as_its_docx_is_every_value_in_the_same_grid_cell(tmp_path):
    path = odt(from_docx(DOCS / "made-huaian-city-2024.docx"), tmp_path / "report.odt", mimetype_first=False)
    found, docx = extract_file(path), extract_file(DOCS / "made-huaian-city-2024.docx")
    assert len(found.values) == 200 and found.values == docx.values and found.provenance == docx.provenance
    assert found.report == docx.report and found.kind == "odt"


def items_of(body: str, tmp_path: Path) -> list:
    return read_odt(odt(body, tmp_path / "made.odt").read_bytes(), "made.odt")


def cell_of(content: str, tmp_path: Path) -> str:
    [row] = [item for item in items_of(f"<table:table><table:table-row><table:table-cell>{content}</table:table-cell>"
                                       "</table:table-row></table:table>", tmp_path) if isinstance(item, GridRow)]
    return row.cells[0][0]


def test_text_is_read_as_the_document_shows_it(tmp_path):
    assert cell_of('<text:p>1<text:span text:style-name="T1">2</text:span>3</text:p>', tmp_path) == "1 3"  # hidden
    assert cell_of('<text:p><text:span text:style-name="T2">94</text:span>4</text:p>', tmp_path) == " 4"  # struck
    assert cell_of('<text:p><text:span text:style-name="T3">94</text:span></text:p>', tmp_path) == "~~94~~"  # its parent's
    assert cell_of("<text:p>12<text:s/>34</text:p>", tmp_path) == "12 34"
    assert cell_of("<text:p>12<text:line-break/>34</text:p><text:p>5</text:p>", tmp_path) == "12 34 5"
    assert cell_of('<text:p>7<text:note><text:note-citation>1</text:note-citation><text:note-body><text:p>注</text:p>'
                   "</text:note-body></text:note></text:p>", tmp_path) == "7 "
    assert cell_of('<text:p><draw:frame><draw:image xlink:href="Pictures/1.png"/></draw:frame></text:p>', tmp_path) == PICTURE
    assert cell_of("<text:p>规章<text:page-number>3</text:page-number></text:p>", tmp_path) == "规章3"  # a field shows


def test_repeated_cells_and_rows_are_each_a_cell_and_a_row_and_covered_cells_are_left_out(tmp_path):
    items = items_of('<table:table><table:table-row table:number-rows-repeated="2"><table:table-cell '
                     'table:number-columns-spanned="2"><text:p>合计</text:p></table:table-cell><table:covered-table-cell/>'
                     '<table:table-cell table:number-columns-repeated="2"/><table:table-cell><text:p>9</text:p>'
                     "</table:table-cell></table:table-row></table:table><text:list><text:list-item><text:p>完</text:p>"
                     "</text:list-item></text:list>", tmp_path)
    rows = [[where for _, where in item.cells] for item in items if isinstance(item, GridRow)]
    assert rows == [[f"table 1 row {r} col {c}" for c in (1, 3, 4, 5)] for r in (1, 2)]
    assert [item.text for item in items if isinstance(item, GridText)] == ["完"]


def test_a_hostile_opendocument_is_refused_with_why_never_a_crash(tmp_path):
    with pytest.raises(InstanceError, match="repeats a row"):
        items_of('<table:table><table:table-row table:number-rows-repeated="1000000000"><table:table-cell/>'
                 "</table:table-row></table:table>", tmp_path)
    with pytest.raises(InstanceError, match="more than 2000000 cells"):
        items_of('<table:table>' + '<table:table-row table:number-rows-repeated="1000000"><table:table-cell/>'
                 "</table:table-row>" * 3 + "</table:table>", tmp_path)
    deep = "<text:span>" * 50_000 + "7" + "</text:span>" * 50_000
    assert cell_of(f"<text:p>{deep}</text:p>", tmp_path) == "7"
