"""Old Word files (.doc, Word 97–2003 binary): read as the grid their tables draw, as a .docx is.

The made 淮安 .doc is the real file's values saved by a word processor; the others are built here, byte by byte, as Word
97 writes them (an OLE2 container holding ``WordDocument`` and ``1Table``), so that each test names the one property it
weighs: the marks that end a cell or a row, a row's definition of its cells, fields, hidden, deleted and struck text,
pictures, tables within tables.
"""

from __future__ import annotations

import struct
from pathlib import Path

import pytest

from govspec.errors import InstanceError
from govspec.extract import extract_file
from govspec.extract.grid import PICTURE, GridRow, GridText
from govspec.extract.word97 import read_doc

DOCS = Path(__file__).resolve().parent / "documents"

# --- a Word 97 file, built ------------------------------------------------------------------------------------------


def sprm(code: int, operand: bytes) -> bytes:
    return struct.pack("<H", code) + operand


IN_TABLE, TTP = sprm(0x2416, b"\x01"), sprm(0x2417, b"\x01")
VANISH, DELETED, STRIKE, SPECIAL = (sprm(code, b"\x01") for code in (0x083C, 0x0800, 0x0837, 0x0855))


def itap(depth: int) -> bytes:
    return sprm(0x6649, struct.pack("<i", depth))


def row_definition(edges: list[int], flags: list[int]) -> bytes:
    """``sprmTDefTable``: the cells' edges and each cell's merge flags (0x02 merged into the one before, 0x20 merged
    into the one above, 0x60 the first of cells merged down)."""
    body = bytes([len(flags)]) + struct.pack(f"<{len(edges)}h", *edges) + \
        b"".join(struct.pack("<H", flag) + bytes(18) for flag in flags)
    return sprm(0xD608, struct.pack("<H", len(body) + 1) + body)


class P:
    """A paragraph: its runs (text, character properties), the mark that ends it, its properties."""

    def __init__(self, runs, mark: str = "\r", props: bytes = b"") -> None:
        self.runs = [(runs, b"")] if isinstance(runs, str) else runs
        self.mark, self.props = mark, props


def table(rows: list[list], width: int = 1000, depth: int = 1) -> list[P]:
    """A table's paragraphs: each cell's text (None: merged into the cell above) and each row's end."""
    cell_props = IN_TABLE + (itap(depth) if depth > 1 else b"")
    end = "\x07" if depth == 1 else "\r"
    cell_mark, row_mark = (b"", TTP) if depth == 1 else (sprm(0x244B, b"\x01"), sprm(0x244C, b"\x01"))
    paragraphs = []
    for row in rows:
        for text in row:
            paragraphs.append(P(text or "", end, cell_props + cell_mark))
        edges = [i * width for i in range(len(row) + 1)]
        flags = [0x20 if text is None else 0 for text in row]
        paragraphs.append(P("", end, cell_props + row_mark + row_definition(edges, flags)))
    return paragraphs


def fkp_pages(entries: list, paragraphs: bool) -> list[tuple[int, bytes]]:
    pages, chunk = [], []
    for entry in entries:
        if chunk and _fkp(chunk + [entry], paragraphs) is None:
            pages.append((chunk[0][0], _fkp(chunk, paragraphs)))
            chunk = []
        chunk.append(entry)
    pages.append((chunk[0][0], _fkp(chunk, paragraphs)))
    return pages


def _fkp(entries: list, paragraphs: bool) -> bytes | None:
    crun = len(entries)
    page = bytearray(512)
    struct.pack_into(f"<{crun + 1}I", page, 0, *[e[0] for e in entries], entries[-1][1])
    head, top = 4 * (crun + 1) + (13 if paragraphs else 1) * crun, 511
    for index, (_, _, grpprl) in enumerate(entries):
        if paragraphs:
            body = b"\0\0" + grpprl  # the paragraph's style, then its properties
            blob = bytes([(len(body) + 1) // 2]) + body if len(body) % 2 else b"\0" + bytes([len(body) // 2]) + body
        else:
            blob = bytes([len(grpprl)]) + grpprl
        top = (top - len(blob)) & ~1
        if top < head:
            return None
        page[top:top + len(blob)] = blob
        page[4 * (crun + 1) + (13 if paragraphs else 1) * index] = top // 2
    page[511] = crun
    return bytes(page)


def word97(paragraphs: list[P], nfib: int = 0xC1, flags: int = 0x0200, names=("WordDocument", "1Table"),
           before: dict | None = None) -> bytes:
    """A .doc of ``paragraphs`` (text from byte 1024 of ``WordDocument``, as UTF-16); ``before``: entries the container
    lists before the document's streams."""
    text, chpx, papx = "", [], []

    def fc() -> int:  # where the next character goes: UTF-16 units (two for a character beyond the BMP)
        return 1024 + len(text.encode("utf-16-le"))
    for paragraph in paragraphs:
        start = fc()
        for run, props in paragraph.runs:
            chpx.append((fc(), fc() + len(run.encode("utf-16-le")), props))
            text += run
        chpx.append((fc(), fc() + 2, b""))
        text += paragraph.mark
        papx.append((start, fc(), paragraph.props))
    body = bytearray(1024) + text.encode("utf-16-le")
    body += bytes(-len(body) % 512)
    table_stream = bytearray()
    units = len(text.encode("utf-16-le")) // 2  # characters, as Word counts them
    clx = b"\x02" + struct.pack("<I", 4 * 2 + 8) + struct.pack("<2i", 0, units) + struct.pack("<HIH", 0, 1024, 0)
    table_stream += clx
    places = {}
    for name, entries, kind in (("chpx", chpx, False), ("papx", papx, True)):
        pages = fkp_pages(entries, kind)
        first = len(body) // 512
        for _, page in pages:
            body += page
        plc = struct.pack(f"<{len(pages) + 1}I", *[fc for fc, _ in pages], entries[-1][1]) + \
            struct.pack(f"<{len(pages)}I", *range(first, first + len(pages)))
        places[name] = (len(table_stream), len(plc))
        table_stream += plc
    fib = bytearray(1024)
    struct.pack_into("<HHHHHH", fib, 0, 0xA5EC, nfib, 0, 0x0804, 0, flags)
    struct.pack_into("<H", fib, 32, 14)
    struct.pack_into("<H", fib, 62, 22)
    struct.pack_into("<i", fib, 64 + 12, units)  # ccpText: the main story
    struct.pack_into("<H", fib, 152, 93)
    for index, name in ((12, "chpx"), (13, "papx"), (33, "clx")):
        struct.pack_into("<II", fib, 154 + 8 * index, *(places[name] if name != "clx" else (0, len(clx))))
    body[:1024] = fib
    return compound({**(before or {}), names[0]: bytes(body), names[1]: bytes(table_stream)})


def compound(streams: dict) -> bytes:
    """An OLE2 container of ``streams`` (each at least 4096 bytes: none in the mini stream; a dict is a storage holding
    streams of its own, as an embedded object's), the entries of each storage chained as right siblings."""
    sectors: list[bytes] = []
    fat: list[int] = []
    entries: list[list] = [["Root Entry", 5, 0xFFFFFFFE, 0, 0xFFFFFFFF, 0xFFFFFFFF]]  # name, type, start, size, right, child

    def add(level: dict) -> int:
        first = len(entries)
        numbers = []
        for name, data in level.items():
            numbers.append(len(entries))
            entries.append([name, 1, 0, 0, 0xFFFFFFFF, 0xFFFFFFFF])
            if isinstance(data, dict):
                entries[numbers[-1]][5] = add(data)
                continue
            data += bytes(max(4096, -(-len(data) // 512) * 512) - len(data))
            entries[numbers[-1]][1:4] = [2, len(sectors), len(data)]
            start = len(sectors)
            sectors.extend(data[at:at + 512] for at in range(0, len(data), 512))
            fat.extend([*range(start + 1, len(sectors)), 0xFFFFFFFE])
        for number, after in zip(numbers, numbers[1:]):
            entries[number][4] = after
        return first
    entries[0][5] = add(streams)
    directory = bytearray()
    for name, kind, start, size, right, child in entries:
        entry = bytearray(128)
        encoded = (name + "\0").encode("utf-16-le")
        entry[:len(encoded)] = encoded
        struct.pack_into("<HBB", entry, 64, len(encoded), kind, 1)
        struct.pack_into("<III", entry, 68, 0xFFFFFFFF, right, child)
        struct.pack_into("<II", entry, 116, start, size)
        directory += entry
    directory += bytes(-len(directory) % 512)
    first_directory = len(sectors)
    sectors += [bytes(directory[at:at + 512]) for at in range(0, len(directory), 512)]
    fat += list(range(first_directory + 1, len(sectors))) + [0xFFFFFFFE]
    fat_sectors = -(-(len(sectors) + 1) // 128)
    first_fat = len(sectors)
    fat += [0xFFFFFFFD] * fat_sectors
    fat += [0xFFFFFFFF] * (fat_sectors * 128 - len(fat))
    sectors += [struct.pack("<128I", *fat[at:at + 128]) for at in range(0, len(fat), 128)]
    header = bytearray(512)
    header[:8] = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
    struct.pack_into("<HHHHH", header, 0x18, 0x3E, 3, 0xFFFE, 9, 6)
    struct.pack_into("<II", header, 0x2C, fat_sectors, first_directory)
    struct.pack_into("<IIIII", header, 0x38, 4096, 0xFFFFFFFE, 0, 0xFFFFFFFE, 0)
    struct.pack_into("<109I", header, 0x4C, *(list(range(first_fat, first_fat + fat_sectors)) +
                                              [0xFFFFFFFF] * (109 - fat_sectors)))
    return bytes(header) + b"".join(sectors)


def rows(raw: bytes) -> list[tuple]:
    return [item.cells for item in read_doc(raw, "made.doc") if isinstance(item, GridRow)]


# --- the made 淮安 file -------------------------------------------------------------------------------------------


def test_the_made_word_97_file_is_read_as_its_docx_is_every_value_in_the_same_grid_cell():
    doc, docx = extract_file(DOCS / "made-huaian-city-2024.doc"), extract_file(DOCS / "made-huaian-city-2024.docx")
    assert len(doc.values) == 200 and doc.values == docx.values
    assert doc.provenance == docx.provenance  # the same table, row and grid column (from each row's definition)
    assert doc.report == docx.report and not doc.left_out and doc.kind == "doc"


# --- tables: what ends a cell, a row; merged cells ------------------------------------------------------------


def test_an_empty_cell_and_the_end_of_a_row_are_told_apart_by_the_marks_properties():
    raw = word97([P("标题"), *table([["一、本年新收", "", "3"], ["二、上年结转", "1", "2"]]), P("完")])
    assert rows(raw) == [(("一、本年新收", "table 1 row 1 col 1"), ("", "table 1 row 1 col 2"), ("3", "table 1 row 1 col 3")),
                         (("二、上年结转", "table 1 row 2 col 1"), ("1", "table 1 row 2 col 2"), ("2", "table 1 row 2 col 3"))]
    texts = [item.text for item in read_doc(raw, "made.doc") if isinstance(item, GridText)]
    assert texts == ["标题", "完"]


def test_a_cell_merged_into_the_one_above_or_before_is_left_out_and_the_others_keep_their_grid_column():
    paragraphs = table([["三、办理结果", "（一）予以公开", "5"], [None, "（二）部分公开", "6"]])
    wide = [P("合计", "\x07", IN_TABLE), P("", "\x07", IN_TABLE), P("9", "\x07", IN_TABLE),
            P("", "\x07", IN_TABLE + TTP + row_definition([0, 1000, 2000, 3000], [0, 0x02, 0]))]  # merged into 合计
    vertical = sprm(0xD62B, bytes([2, 0, 1]))  # sprmTVertMerge: the first cell merged into the one above
    later = [P("", "\x07", IN_TABLE), P("（三）不予公开", "\x07", IN_TABLE), P("7", "\x07", IN_TABLE),
             P("", "\x07", IN_TABLE + TTP + row_definition([0, 1000, 2000, 3000], [0, 0, 0]) + vertical)]
    spanning = [P("总计", "\x07", IN_TABLE), P("8", "\x07", IN_TABLE),
                P("", "\x07", IN_TABLE + TTP + row_definition([0, 2000, 3000], [0, 0]))]  # one cell over two columns
    found = rows(word97(paragraphs + wide + later + spanning))
    assert found[1] == (("（二）部分公开", "table 1 row 2 col 2"), ("6", "table 1 row 2 col 3"))
    assert found[2] == (("合计", "table 1 row 3 col 1"), ("9", "table 1 row 3 col 3"))
    assert found[3] == (("（三）不予公开", "table 1 row 4 col 2"), ("7", "table 1 row 4 col 3"))
    assert found[4] == (("总计", "table 1 row 5 col 1"), ("8", "table 1 row 5 col 3"))


def test_a_row_whose_definition_does_not_name_its_cells_keeps_every_cell_in_order():
    paragraphs = [P("a", "\x07", IN_TABLE), P("", "\x07", IN_TABLE), P("1", "\x07", IN_TABLE),
                  P("", "\x07", IN_TABLE + TTP + row_definition([0, 1000, 2000], [0x20, 0]))]  # two cells defined
    assert rows(word97(paragraphs)) == [(("a", "table 1 row 1 col 1"), ("", "table 1 row 1 col 2"),
                                         ("1", "table 1 row 1 col 3"))]


def test_a_row_whose_cells_hold_tables_lays_a_report_out_and_its_tables_are_read():
    inner = table([["行政许可", "12"], ["行政处罚", "3"]], depth=2)
    raw = word97([P("标题"), P("年度报告", "\r", IN_TABLE), *inner, P("", "\x07", IN_TABLE),
                  P("", "\x07", IN_TABLE + TTP + row_definition([0, 5000], [0]))])
    items = read_doc(raw, "made.doc")
    assert [item.text for item in items if isinstance(item, GridText)] == ["标题", "年度报告"]
    assert rows(raw) == [(("行政许可", "table 2 row 1 col 1"), ("12", "table 2 row 1 col 2")),
                         (("行政处罚", "table 2 row 2 col 1"), ("3", "table 2 row 2 col 2"))]


# --- text as the document shows it ----------------------------------------------------------------------------


def cell_of(runs) -> str:
    [[(text, _where)]] = rows(word97([P(runs, "\x07", IN_TABLE), P("", "\x07", IN_TABLE + TTP +
                                                                   row_definition([0, 1000], [0]))]))
    return text


def test_a_field_shows_its_result_not_its_code():
    assert cell_of("\x13 = 2+3 \x145\x15") == "5"
    assert cell_of("\x13 IF \x13 PAGE \x142\x15 = 2 \x14 7\x15") == " 7"


def test_hidden_deleted_and_struck_text_is_not_read_and_parts_the_digits_around_it():
    assert cell_of([("1", b""), ("2", VANISH), ("3", b"")]) == "1 3"
    assert cell_of([("5", DELETED), ("6", b"")]) == " 6"
    assert cell_of([("94", STRIKE), ("4", b"")]) == "  4"
    assert cell_of([("94", STRIKE)]) == "~~94~~"  # struck only: no value, and no blank


def test_a_cell_showing_only_a_picture_is_a_picture_not_a_blank():
    assert cell_of([("\x01", SPECIAL)]) == PICTURE
    assert cell_of([("\x01", SPECIAL), ("12", b"")]) == "12"
    assert cell_of([("\x01", b"")]) == ""  # a control character that is no picture: nothing shown


def test_a_character_beyond_the_basic_plane_does_not_shift_the_formatting_of_what_follows():
    """Such a character (𠀀, U+20000: in names of places) takes two UTF-16 units of the file: counted as one, every
    property after it was looked up for the character before."""
    assert cell_of([("𠀀𠀁", b""), ("9", STRIKE), ("4", b"")]) == "𠀀𠀁 4"
    found = rows(word97([P("𠀀𠀀𠀀", "\x07", IN_TABLE), P("", "\x07", IN_TABLE),
                         P("", "\x07", IN_TABLE + TTP + row_definition([0, 1000, 2000], [0, 0]))]))
    assert found == [(("𠀀𠀀𠀀", "table 1 row 1 col 1"), ("", "table 1 row 1 col 2"))]


def test_breaks_and_tabs_part_the_text_they_stand_in():
    assert cell_of("12\x0b34") == "12 34"
    assert cell_of("12\t34") == "12 34"


# --- what is refused, what is damaged ---------------------------------------------------------------------------


def test_a_word_95_file_and_a_file_with_a_password_are_refused_with_the_command_that_converts_them():
    paragraphs = [P("标题")]
    with pytest.raises(InstanceError, match="Word 6 or Word 95.*--convert-to docx made.doc"):
        read_doc(word97(paragraphs, nfib=0x65), "made.doc")
    with pytest.raises(InstanceError, match="protected by a password"):
        read_doc(word97(paragraphs, flags=0x0300), "made.doc")


def test_the_documents_streams_are_found_whatever_their_case_and_an_embedded_objects_are_not_taken_for_them():
    """Found on Apache POI's sample files: a container may name its streams in capitals or in lower case (names compare
    without case), and a document embedding another Word file holds that file's ``WordDocument`` and ``1Table`` in a
    storage of its own (``ObjectPool``), listed first: taken for the document's, they read as damaged."""
    paragraphs = table([["行政许可", "12"]])
    expected = [(("行政许可", "table 1 row 1 col 1"), ("12", "table 1 row 1 col 2"))]
    assert rows(word97(paragraphs, names=("WORDDOCUMENT", "1TABLE"))) == expected
    embedded = word97([P("另一份文件")])  # its streams, as an embedded object keeps them
    from govspec.extract.ole2 import Compound
    inner = Compound(embedded)
    pool = {"ObjectPool": {"_1269427461": {"WordDocument": inner.stream("WordDocument"), "1Table": inner.stream("1Table")}}}
    assert rows(word97(paragraphs, before=pool)) == expected


def test_a_damaged_file_is_said_to_be_damaged_never_a_crash():
    raw = word97(table([["a", "1"]]))
    with pytest.raises(InstanceError, match="damaged"):
        read_doc(raw[:2048], "made.doc")
    deep = word97([P("x", "\x07", IN_TABLE + itap(1 << 30))])  # nested deeper than Word nests: no billion tables
    with pytest.raises(InstanceError, match="damaged"):
        read_doc(deep, "made.doc")


# --- Word 2003 XML (what systems that fill in a Word template write, often named .doc) ----------------------------


def wordml(docx: Path, wrap: str = "wx:sect") -> str:
    """The body of a .docx as Word 2003 XML: the 2003 namespace, ``w:vmerge``, the body wrapped in Word's hints."""
    import zipfile
    xml = zipfile.ZipFile(docx).read("word/document.xml").decode("utf-8")
    xml = xml.replace("http://schemas.openxmlformats.org/wordprocessingml/2006/main",
                      "http://schemas.microsoft.com/office/word/2003/wordml").replace("w:vMerge", "w:vmerge")
    xml = xml.replace("<w:document ", '<?mso-application progid="Word.Document"?><w:wordDocument '
                      'xmlns:wx="http://schemas.microsoft.com/office/word/2003/auxHint" ', 1)
    xml = xml.replace("</w:document>", "</w:wordDocument>")
    opening = "".join(f"<{tag}>" for tag in wrap.split())
    closing = "".join(f"</{tag}>" for tag in reversed(wrap.split()))
    return xml.replace("<w:body>", "<w:body>" + opening, 1).replace("</w:body>", closing + "</w:body>", 1)


def test_a_word_2003_xml_file_named_doc_is_read_as_its_docx_is(tmp_path):
    path = tmp_path / "report.doc"
    path.write_text(wordml(DOCS / "made-huaian-city-2024.docx", "wx:sect wx:sub-section"), encoding="utf-8")
    found, docx = extract_file(path), extract_file(DOCS / "made-huaian-city-2024.docx")
    assert len(found.values) == 200 and found.values == docx.values and found.provenance == docx.provenance
    assert found.kind == "wordml" and "content is Word 2003 XML" in (found.note or "")


def test_a_word_2003_xml_file_declaring_entities_or_broken_is_refused_with_why(tmp_path):
    from govspec.extract.wordml import read_wordml
    text = wordml(DOCS / "made-huaian-city-2024.docx")
    with pytest.raises(InstanceError, match="declares XML entities"):
        read_wordml('<!DOCTYPE x [<!ENTITY a "b">]>' + text, "report.xml")
    with pytest.raises(InstanceError, match="broken"):
        read_wordml(text[:-40], "report.xml")
    deep = text.replace("<w:body>", "<w:body>" + "<wx:sect>" * 50_000, 1).replace(
        "</w:body>", "</wx:sect>" * 50_000 + "</w:body>", 1)  # Word's hints nested deeper than Python recurses
    assert len(read_wordml(deep, "report.xml")) == len(read_wordml(text, "report.xml"))
