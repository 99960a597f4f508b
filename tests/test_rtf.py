"""RTF documents: read as the grid their tables draw, as a .docx is.  The made 淮安 report is written here as Word
writes RTF (each row defined by its cells' right edges and merges, Chinese as ``\\uN`` with a fallback, or as GBK
bytes), so each test names the one property it weighs."""

from __future__ import annotations

import xml.etree.ElementTree as ElementTree
import zipfile
from pathlib import Path

import pytest

from govspec.errors import InstanceError
from govspec.extract import extract_file
from govspec.extract.grid import PICTURE, GridRow, GridText
from govspec.extract.rtf import read_rtf

DOCS = Path(__file__).resolve().parent / "documents"
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
HEAD = (r"{\rtf1\ansi\ansicpg936\deff0{\fonttbl{\f0\fnil\fcharset134 SimSun;}{\f1\fswiss\fcharset0 Arial;}}"
        r"{\colortbl;\red0\green0\blue0;}{\*\generator Riched20;}\viewkind4\uc1")


def escaped(text: str, gbk: bool = False) -> str:
    """Text as RTF writes it: ASCII as it is, other characters as \\uN with a one-byte fallback (or as GBK bytes)."""
    out = []
    for char in text:
        if char in "\\{}":
            out.append("\\" + char)
        elif ord(char) < 128:
            out.append(char)
        elif gbk:
            out.append("".join(f"\\'{byte:02x}" for byte in char.encode("gbk")))
        else:
            code = ord(char)
            out.append(f"\\u{code - 65536 if code > 32767 else code}?")
    return "".join(out)


def from_docx(path: Path, gbk: bool = False) -> str:
    """The made .docx's paragraphs and tables as RTF: each row's cells by their grid columns (``w:gridSpan``) as right
    edges, a cell merged into the one above (``w:vMerge``) as ``\\clvmrg``."""
    body = ElementTree.fromstring(zipfile.ZipFile(path).read("word/document.xml")).find(f"{W}body")
    out = [HEAD]

    def text_of(element) -> str:
        return "".join(t.text or "" for t in element.iter(f"{W}t"))
    for element in body:
        if element.tag == f"{W}p":
            out.append(r"\pard\plain\f0 " + escaped(text_of(element), gbk) + r"\par" + "\n")
        elif element.tag == f"{W}tbl":
            for tr in element.iter(f"{W}tr"):
                definition, cells, column = [r"\trowd\trgaph108\trleft0"], [], 0
                for tc in tr.findall(f"{W}tc"):
                    span = tc.find(f"{W}tcPr/{W}gridSpan")
                    column += int(span.get(f"{W}val")) if span is not None else 1
                    merge = tc.find(f"{W}tcPr/{W}vMerge")
                    if merge is not None:
                        definition.append(r"\clvmrg" if merge.get(f"{W}val", "continue") == "continue" else r"\clvmgf")
                    definition.append(rf"\cellx{column * 1000}")
                    paragraphs = [escaped(text_of(p), gbk) for p in tc.findall(f"{W}p")]
                    cells.append(r"\pard\intbl " + r"\par ".join(paragraphs) + r"\cell ")
                out.append("".join(definition) + "\n" + "".join(cells) + r"\row" + "\n")
            out.append(r"\pard\par" + "\n")
    return "".join(out) + "}"


@pytest.mark.parametrize("gbk", [False, True])
def test_an_rtf_document_is_read_as_its_docx_is_every_value_in_the_same_grid_cell(tmp_path, gbk):
    path = tmp_path / "report.doc"  # what reporting systems export as "Word"
    path.write_text(from_docx(DOCS / "made-huaian-city-2024.docx", gbk), encoding="ascii")
    found, docx = extract_file(path), extract_file(DOCS / "made-huaian-city-2024.docx")
    assert len(found.values) == 200 and found.values == docx.values and found.provenance == docx.provenance
    assert found.report == docx.report and found.kind == "rtf"


def rows(body: str) -> list[tuple]:
    return [tuple(text for text, _ in item.cells) for item in read_rtf((HEAD + body + "}").encode("ascii"), "made.rtf")
            if isinstance(item, GridRow)]


def one_cell(content: str) -> str:
    [[text]] = rows(r"\trowd\cellx1000 \pard\intbl " + content + r"\cell\row")
    return text


def test_text_is_read_as_the_document_shows_it():
    assert one_cell(r"{\field{\*\fldinst { = 2+3 }}{\fldrslt {5}}}") == "5"  # a field's result, not its code
    assert one_cell(r"1{\v 2}3") == "1 3"  # hidden text parts the digits around it
    assert one_cell(r"{\deleted 5}6") == " 6"  # deleted with changes tracked
    assert one_cell(r"{\strike 94}4") == " 4"  # a number corrected in place
    assert one_cell(r"{\strike 94}") == "~~94~~"  # struck only: no value, no blank
    assert one_cell(r"\u34892?\u20844?") == "行公"  # Unicode, its fallback skipped
    assert one_cell(r"\uc2\u34892\'d0\'d0") == "行"  # a fallback of two bytes
    assert one_cell(r"\'d0\'d0\'d5\'fe") == "行政"  # GBK bytes of the document's code page, two to a character
    assert one_cell(r"12\line 34") == "12 34"
    assert one_cell("\\'d0\r\n\\'d0") == "行"  # a character's two bytes either side of a line break of the file
    assert one_cell(r"\u-10176?\u-9216?") == "\U00020000"  # a character beyond the BMP, as two \u halves
    assert one_cell(r"{\pict\bin4 }{\}}7") == "7"  # a picture's binary data: its bytes are no braces
    assert one_cell(r"{\*\shppict{\pict\pngblip 89504e47}}{\nonshppict{\pict 0102}}") == PICTURE


def test_merged_cells_are_left_out_and_the_others_keep_their_grid_column():
    body = (r"\trowd\cellx1000\cellx2000\cellx3000 \pard\intbl 三\cell 予以公开\cell 5\cell\row"
            r"\trowd\clvmrg\cellx1000\cellx2000\cellx3000 \pard\intbl \cell 部分公开\cell 6\cell\row"
            r"\trowd\cellx1000\clmrg\cellx2000\cellx3000 \pard\intbl 合计\cell \cell 9\cell\row"
            r"\trowd\cellx2000\cellx3000 \pard\intbl 总计\cell 8\cell\row")
    found = read_rtf((HEAD + body.replace("三", r"\u19977?") + "}").encode("utf-8"), "made.rtf")
    wheres = [[where for _, where in item.cells] for item in found if isinstance(item, GridRow)]
    assert wheres == [["table 1 row 1 col 1", "table 1 row 1 col 2", "table 1 row 1 col 3"],
                      ["table 1 row 2 col 2", "table 1 row 2 col 3"], ["table 1 row 3 col 1", "table 1 row 3 col 3"],
                      ["table 1 row 4 col 1", "table 1 row 4 col 3"]]


def test_paragraphs_outside_tables_and_destinations_not_the_body_are_read_as_they_should():
    body = r"{\header 第1页}{\*\userprops x}\pard 标题\par\pard\par 正文{\footnote 注}结束\par}"
    raw = (HEAD + escaped(body).replace("\\\\", "\\").replace("\\{", "{").replace("\\}", "}")).encode("ascii")
    texts = [item.text for item in read_rtf(raw, "made.rtf") if isinstance(item, GridText)]
    assert texts == ["标题", "正文结束"]


def test_a_hostile_rtf_document_is_refused_with_why_never_a_crash():
    with pytest.raises(InstanceError, match="groups at once"):
        read_rtf(HEAD.encode() + b"{" * 20_000 + b"x" + b"}" * 20_000 + b"}", "made.rtf")
    assert read_rtf(b"{\\rtf1 " + b"}" * 50 + b"x", "made.rtf") is not None  # more groups closed than opened
