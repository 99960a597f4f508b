"""Reports as files: PDF, Word and Excel read directly, by their content, exactly — and old formats,
scanned PDFs and hostile containers refused with a message and exit code 3."""

import io
import json
import math
import random
import shutil
import sys
import zipfile
from decimal import Decimal
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import in_english

from govspec.cli.main import main
from govspec.extract import extract_file, extract_parts, findings

ROOT = Path(__file__).resolve().parent.parent
DOCS = Path(__file__).parent / "documents"
SHARED = ROOT.parent / "shared" / "samples"
sys.path.insert(0, str(ROOT / "benchmarks"))
import bench_extract  # noqa: E402  (the measurement script is the scorer)

EXPECTED = {  # file: (cells placed, all of them right)
    "huaian-city-2024.pdf": 200,
    "made-huaian-city-2024.docx": 200,
    "made-huaian-city-2024.doc": 200,
    "made-huaian-city-2024.pdf": 193,  # the clipped row 2.申请人逾期未按收费… is left out, never guessed
    "made-huaian-city-2024.xlsx": 200,
    "made-huaian-city-2024.xls": 200,
}


def run(*args):
    return CliRunner().invoke(main, in_english(args), catch_exceptions=False)


def test_vendored_documents_match_shared():
    if not SHARED.exists():
        pytest.skip("../shared is not beside this checkout")
    assert (DOCS / "huaian-city-2024.pdf").read_bytes() == (SHARED / "huaian-city-2024.pdf").read_bytes()
    for name in EXPECTED:
        if name.startswith("made-"):
            assert (DOCS / name).read_bytes() == (SHARED / "documents" / name).read_bytes(), name


@pytest.fixture(scope="module")
def scored():
    return {row["file"]: row for row in bench_extract.score_pairs(bench_extract.documents(DOCS))["rows"]}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_every_labelled_document_reads_exactly(scored, name):
    row = scored[name]
    assert row["template"] == "2021/2021"
    assert row["correct"] == row["extracted"] == EXPECTED[name] and row["invented"] == 0 and not row["wrong"]


def test_the_real_pdf_validates_with_its_agency_and_year():
    result = run("validate", DOCS / "huaian-city-2024.pdf", "--format", "json")
    assert result.exit_code == 0, result.output
    [report] = json.loads(result.output)["reports"]
    assert report["verdict"] == "passed" and report["not_reported"] == []
    assert report["report"]["agency"] == "淮安市人民政府" and report["report"]["year"] == 2024
    extraction = extract_file(DOCS / "huaian-city-2024.pdf")
    assert extraction.provenance["applications.received.total"]["where"].startswith("page ")
    assert " table " in extraction.provenance["applications.received.total"]["where"]


class _Unnamed:
    """pdfium as seen through a PDF whose fonts do not say which characters some glyphs are (no Unicode map):
    every ``hidden`` character comes back as ``code``: 0, as pdfium gives such a glyph, or a control character
    that a broken Unicode map names instead."""

    def __init__(self, real, hidden: str, code: int = 0) -> None:
        self.real, self.hidden, self.code = real, hidden, code

    def __getattr__(self, name):
        return getattr(self.real, name)

    def FPDFText_GetUnicode(self, page, index):  # noqa: N802 - pdfium's name
        code = self.real.FPDFText_GetUnicode(page, index)
        return self.code if chr(code) in self.hidden else code


@pytest.mark.parametrize("code", [0, 1])
def test_a_pdf_glyph_without_its_character_is_never_dropped_from_a_number_or_a_name(monkeypatch, code):
    """A printed digit whose character the PDF does not name would turn 44?228 into 44228 if dropped: the value
    is left out and shown with the unknown character, the agency's name (淮 unnamed) is not read in part, and
    nothing placed differs from the document read with every character named."""
    from govspec.extract import pdf
    named = extract_file(DOCS / "huaian-city-2024.pdf")
    monkeypatch.setattr(pdf, "pdfium_c", _Unnamed(pdf.pdfium_c, "淮7", code))
    unnamed = extract_file(DOCS / "huaian-city-2024.pdf")
    with_seven = {cell for cell, value in named.values.items() if "7" in str(value)}
    assert len(with_seven) >= 10 and len(named.values) == 200
    assert {cell: value for cell, value in unnamed.values.items() if named.values.get(cell) != value} == {}
    assert not with_seven & set(unnamed.values) and len(unnamed.values) >= 150
    assert "agency" not in unnamed.report and unnamed.report["year"] == 2024
    shown = [entry["text"] for entry in unnamed.left_out if "\ufffd" in entry["text"]]
    assert len(shown) >= len(with_seven) and "44\ufffd228" in shown


def _wrapped_in_controls(raw: bytes) -> bytes:
    """The made DOCX as a form to fill in: its first table inside a content control (``w:sdt``), the second cell
    of every row inside one too, and every third row inside custom XML."""
    import xml.etree.ElementTree as ElementTree
    w = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"

    def wrap(parent, child, tag):
        at = list(parent).index(child)
        parent.remove(child)
        outer = ElementTree.Element(w + tag)
        inner = ElementTree.SubElement(outer, w + "sdtContent") if tag == "sdt" else outer
        inner.append(child)
        parent.insert(at, outer)

    source = zipfile.ZipFile(io.BytesIO(raw))
    root = ElementTree.fromstring(source.read("word/document.xml"))
    body = root.find(w + "body")
    tables = body.findall(w + "tbl")
    for table in tables:
        for number, row in enumerate(table.findall(w + "tr")):
            cells = row.findall(w + "tc")
            if len(cells) > 1:
                wrap(row, cells[1], "sdt")
            if number % 3 == 2:
                wrap(table, row, "customXml")
    wrap(body, tables[0], "sdt")
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for item in source.infolist():
            data = ElementTree.tostring(root) if item.filename == "word/document.xml" else source.read(item)
            target.writestr(item, data)
    return out.getvalue()


@pytest.mark.parametrize("vanish,read", [('<w:vanish w:val="0"/>', 3001), ('<w:vanish w:val="false"/>', 3001),
                                         ("<w:vanish/>", None), ('<w:vanish w:val="1"/>', None)])
def test_a_word_run_is_hidden_only_when_its_hidden_toggle_is_on(tmp_path, vanish, read):
    """``<w:vanish w:val="0"/>`` says the run is shown (Word writes it to undo a style's hiding): it was taken as
    hidden, and the cell showing 3001 read as a printed blank.  A hidden run leaves its cell blank, as shown."""
    path = rewritten("made-huaian-city-2024.docx", tmp_path / "vanish.docx", "word/document.xml", lambda xml: xml.replace(
        b"<w:r><w:t>3001</w:t>", f"<w:r><w:rPr>{vanish}</w:rPr><w:t>3001</w:t>".encode(), 1))
    assert extract_file(path).values["applications.received.natural_person"] == read


_STYLES = (b'<w:style w:type="character" w:styleId="Hid"><w:name w:val="Hid"/><w:rPr><w:vanish/></w:rPr></w:style>'
           b'<w:style w:type="character" w:styleId="Hid2"><w:basedOn w:val="Hid"/></w:style>'
           b'<w:style w:type="character" w:styleId="Shown"><w:basedOn w:val="Hid"/><w:rPr><w:vanish w:val="0"/>'
           b'</w:rPr></w:style>'
           b'<w:style w:type="character" w:styleId="Old"><w:rPr><w:strike/></w:rPr></w:style>'
           b'<w:style w:type="paragraph" w:styleId="HidPara"><w:rPr><w:vanish/></w:rPr></w:style>'
           b'<w:style w:type="character" w:styleId="Loop1"><w:basedOn w:val="Loop2"/></w:style>'
           b'<w:style w:type="character" w:styleId="Loop2"><w:basedOn w:val="Loop1"/></w:style></w:styles>')


def _styled(path: Path, run: bytes, paragraph_style: bytes = b"") -> Path:
    """The made DOCX with a run ``run`` added after 3001 in its cell (styles as in :data:`_STYLES`)."""
    with zipfile.ZipFile(DOCS / "made-huaian-city-2024.docx") as source, zipfile.ZipFile(path, "w") as out:
        for info in source.infolist():
            data = source.read(info)
            if info.filename == "word/document.xml":
                data = data.replace(b"<w:r><w:t>3001</w:t></w:r>", b"<w:r><w:t>3001</w:t></w:r>" + run, 1)
                if paragraph_style:
                    at = data.index(b"<w:r><w:t>3001</w:t>")
                    start = data.rindex(b"<w:pPr>", 0, at) + len(b"<w:pPr>")
                    data = data[:start] + b'<w:pStyle w:val="' + paragraph_style + b'"/>' + data[start:]
            elif info.filename == "word/styles.xml":
                data = data.replace(b"</w:styles>", _STYLES)
            out.writestr(info, data)
    return path


@pytest.mark.parametrize("run, paragraph_style, read", [
    (b'<w:r><w:rPr><w:rStyle w:val="Hid"/></w:rPr><w:t>9</w:t></w:r>', b"", 3001),   # hidden by its style
    (b'<w:r><w:rPr><w:rStyle w:val="Hid2"/></w:rPr><w:t>9</w:t></w:r>', b"", 3001),  # by the style it is based on
    (b'<w:r><w:rPr><w:rStyle w:val="Old"/></w:rPr><w:t>9</w:t></w:r>', b"", 3001),   # struck out by its style
    (b'<w:r><w:rPr><w:rStyle w:val="Hid"/><w:vanish w:val="0"/></w:rPr><w:t>9</w:t></w:r>', b"", 30019),  # shown
    (b'<w:r><w:rPr><w:rStyle w:val="Shown"/></w:rPr><w:t>9</w:t></w:r>', b"", 30019),  # its style undoes its base's
    (b'<w:r><w:rPr><w:rStyle w:val="Loop1"/></w:rPr><w:t>9</w:t></w:r>', b"", 30019),  # styles based on each other
    (b"", b"HidPara", None),  # the whole paragraph hidden by its style: the cell is blank, as Word shows it
])
def test_a_word_run_hidden_or_struck_out_by_its_style_is_not_read(tmp_path, run, paragraph_style, read):
    """A digit hidden (or struck out) through a character style, not on the run itself, was read: 3001 and a hidden 9
    were 30019.  A run or a paragraph is hidden or struck by its own properties, or else by its style and the styles
    it is based on, the nearest that says; a run shown beside 3001 is one text with it, as Word shows it."""
    result = extract_file(_styled(tmp_path / "styled.docx", run, paragraph_style))
    assert result.values["applications.received.natural_person"] == read


def test_word_styles_that_declare_entities_or_are_broken_are_refused(tmp_path):
    entities = rewritten("made-huaian-city-2024.docx", tmp_path / "entities.docx", "word/styles.xml",
                         lambda xml: xml.replace(b"<w:styles", b'<!DOCTYPE x [<!ENTITY a "b">]><w:styles', 1))
    result = run("validate", entities)
    assert result.exit_code == 3 and "declares XML entities in word/styles.xml" in result.output, result.output
    broken = rewritten("made-huaian-city-2024.docx", tmp_path / "broken.docx", "word/styles.xml",
                       lambda xml: xml[:-20])
    result = run("validate", broken)
    assert result.exit_code == 3 and "XML is broken in word/styles.xml" in result.output, result.output


def test_word_content_controls_are_read_through(tmp_path):
    """Forms to fill in wrap fields in content controls: a cell inside one, skipped, left its row one cell short
    (109 values unread).  The made DOCX with its cells, rows and a table wrapped reads as it does bare."""
    bare = extract_file(DOCS / "made-huaian-city-2024.docx")
    wrapped_path = tmp_path / "form.docx"
    wrapped_path.write_bytes(_wrapped_in_controls((DOCS / "made-huaian-city-2024.docx").read_bytes()))
    wrapped = extract_file(wrapped_path)
    assert len(bare.values) == 200 and wrapped.values == bare.values and wrapped.left_out == bare.left_out
    assert wrapped.report == bare.report


def _laid_out_in_a_table(raw: bytes, depth: int = 1) -> bytes:
    """The made DOCX with its whole body wrapped in a one-cell table ``depth`` times (exports of web pages lay a
    report out so)."""
    import xml.etree.ElementTree as ElementTree
    w = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    source = zipfile.ZipFile(io.BytesIO(raw))
    root = ElementTree.fromstring(source.read("word/document.xml"))
    body = root.find(w + "body")
    content = [child for child in body if child.tag != w + "sectPr"]
    for child in content:
        body.remove(child)
    for _ in range(depth):
        table = ElementTree.Element(w + "tbl")
        cell = ElementTree.SubElement(ElementTree.SubElement(table, w + "tr"), w + "tc")
        cell.extend(content)
        ElementTree.SubElement(cell, w + "p")  # a cell ends with a paragraph
        content = [table]
    body.insert(0, content[0])
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for item in source.infolist():
            target.writestr(item, ElementTree.tostring(root) if item.filename == "word/document.xml" else source.read(item))
    return out.getvalue()


@pytest.mark.parametrize("depth", [1, 3])
def test_a_word_report_laid_out_in_a_table_reads_as_it_does_bare(tmp_path, depth):
    bare = extract_file(DOCS / "made-huaian-city-2024.docx")
    path = tmp_path / "laid-out.docx"
    path.write_bytes(_laid_out_in_a_table((DOCS / "made-huaian-city-2024.docx").read_bytes(), depth))
    laid_out = extract_file(path)
    assert len(laid_out.values) == 200 and laid_out.values == bare.values and laid_out.report == bare.report


def test_word_tables_nested_past_the_layout_depth_are_read_without_a_crash(tmp_path):
    path = tmp_path / "deep.docx"
    path.write_bytes(_laid_out_in_a_table((DOCS / "made-huaian-city-2024.docx").read_bytes(), 300))
    result = run("validate", path)
    assert result.exit_code in (1, 3, 4) and "Traceback" not in result.output


def _with_tracked_changes(raw: bytes) -> bytes:
    """The made DOCX as a colleague left it with changes tracked: before every row of its tables, a copy of the
    row with other numbers, deleted (``w:trPr/w:del``); in every cell, a run deleted (``w:del``) and a run moved
    away (``w:moveFrom``) holding digits."""
    import copy
    import xml.etree.ElementTree as ElementTree
    w = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    source = zipfile.ZipFile(io.BytesIO(raw))
    root = ElementTree.fromstring(source.read("word/document.xml"))
    for table in root.iter(w + "tbl"):
        for row in list(table.findall(w + "tr")):
            old = copy.deepcopy(row)
            for text in old.iter(w + "t"):
                text.text = "".join(str((int(c) + 1) % 10) if c.isdigit() else c for c in text.text or "")
            props = old.find(w + "trPr")
            if props is None:
                props = ElementTree.Element(w + "trPr")
                old.insert(0, props)
            ElementTree.SubElement(props, w + "del")
            table.insert(list(table).index(row), old)
            for paragraph in row.iter(w + "p"):
                for tag, inner in (("del", "delText"), ("moveFrom", "t")):
                    change = ElementTree.SubElement(paragraph, w + tag)
                    ElementTree.SubElement(ElementTree.SubElement(change, w + "r"), w + inner).text = "7"
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for item in source.infolist():
            target.writestr(item, ElementTree.tostring(root) if item.filename == "word/document.xml" else source.read(item))
    return out.getvalue()


def test_a_word_report_with_changes_tracked_reads_as_it_does_with_them_accepted(tmp_path):
    bare = extract_file(DOCS / "made-huaian-city-2024.docx")
    path = tmp_path / "tracked.docx"
    path.write_bytes(_with_tracked_changes((DOCS / "made-huaian-city-2024.docx").read_bytes()))
    tracked = extract_file(path)
    assert len(tracked.values) == 200 and tracked.values == bare.values and tracked.left_out == bare.left_out


def test_word_numbers_struck_out_are_never_read_nor_joined(tmp_path):
    """A number corrected in place — the old one struck out (``w:strike``) before the new one in the same cell —
    reads as the new one, never as the digits joined; a cell of struck text only keeps its column and is left
    out; hidden text parts digits too."""
    import xml.etree.ElementTree as ElementTree
    w = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    raw = (DOCS / "made-huaian-city-2024.docx").read_bytes()
    source = zipfile.ZipFile(io.BytesIO(raw))
    root = ElementTree.fromstring(source.read("word/document.xml"))
    numbers = [t for t in root.iter(w + "t") if (t.text or "").strip().isdigit()]
    runs = {child: parent for parent in root.iter(w + "p") for child in parent if child.tag == w + "r"}
    owner = {t: run for run in runs for t in run.iter(w + "t")}
    for t in numbers[:20]:  # 9 then the number struck out, before it
        run = owner[t]
        old = ElementTree.Element(w + "r")
        ElementTree.SubElement(ElementTree.SubElement(old, w + "rPr"), w + "strike")
        ElementTree.SubElement(old, w + "t").text = "9" + t.text
        paragraph = runs[run]
        paragraph.insert(list(paragraph).index(run), old)
    alone = owner[numbers[20]]  # struck out, with nothing else in its cell
    props = alone.find(w + "rPr")
    if props is None:
        props = ElementTree.Element(w + "rPr")
        alone.insert(0, props)
    ElementTree.SubElement(props, w + "dstrike")
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for item in source.infolist():
            target.writestr(item, ElementTree.tostring(root) if item.filename == "word/document.xml" else source.read(item))
    path = tmp_path / "struck.docx"
    path.write_bytes(out.getvalue())
    bare = extract_file(DOCS / "made-huaian-city-2024.docx")
    struck = extract_file(path)
    assert {cell: value for cell, value in struck.values.items() if bare.values[cell] != value} == {}
    assert len(struck.values) == 199 and [item["text"] for item in struck.left_out] == [f"~~{numbers[20].text.strip()}~~"]


def test_a_word_text_box_drawn_two_ways_is_read_once():
    import xml.etree.ElementTree as ElementTree

    from govspec.extract.word import _paragraph
    p = ElementTree.fromstring(
        '<w:p xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
        'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006"><w:r><w:t>淮安市</w:t></w:r>'
        '<w:r><mc:AlternateContent><mc:Choice Requires="wps"><w:drawing><w:txbxContent><w:p><w:r><w:t>人民政府</w:t>'
        '</w:r></w:p></w:txbxContent></w:drawing></mc:Choice><mc:Fallback><w:pict><w:txbxContent><w:p><w:r>'
        '<w:t>人民政府</w:t></w:r></w:p></w:txbxContent></w:pict></mc:Fallback></mc:AlternateContent></w:r></w:p>')
    assert _paragraph(p) == "淮安市人民政府"


def _scanned_copy(pages=None, image: bool = True) -> bytes:
    """The real 淮安 PDF as a scanner with OCR makes it: each page (of ``pages``; all when None) an image, its text
    an invisible layer over it (``image=False``: the text made invisible, no image)."""
    import pypdfium2
    import pypdfium2.raw as pdfium_c
    document = pypdfium2.PdfDocument(DOCS / "huaian-city-2024.pdf")
    for number, page in enumerate(document):
        if pages is not None and number not in pages:
            continue
        for obj in page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_TEXT], max_depth=5):
            pdfium_c.FPDFTextObj_SetTextRenderMode(obj.raw, pdfium_c.FPDF_TEXTRENDERMODE_INVISIBLE)
        if image:
            width, height = page.get_size()
            _insert_image(document, page, (0, 0, width, height), (255, 255, 255, 255))
        page.gen_content()
    return _saved(document)


def _insert_image(document, page, box: tuple, colour: tuple) -> None:
    """An image of one colour drawn over ``box`` (left, bottom, right, top) of ``page``."""
    import pypdfium2
    import pypdfium2.raw as pdfium_c
    picture = pypdfium2.PdfImage.new(document)
    bitmap = pypdfium2.PdfBitmap.new_native(8, 8, pdfium_c.FPDFBitmap_BGR)
    bitmap.fill_rect(colour, 0, 0, 8, 8)
    picture.set_bitmap(bitmap)
    left, bottom, right, top = box
    picture.set_matrix(pypdfium2.PdfMatrix().scale(right - left, top - bottom).translate(left, bottom))
    page.insert_obj(picture)


def _saved(document) -> bytes:
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def test_a_scanned_pdf_whose_only_text_is_an_ocr_layer_is_refused_and_says_why(tmp_path):
    """OCR text is a machine's reading of page images, not what was written: not read (OCR is out of scope)."""
    path = tmp_path / "scanned.pdf"
    path.write_bytes(_scanned_copy())
    result = run("validate", path)
    assert result.exit_code == 3 and "invisible layer recognised" in result.output and "OCR" in result.output
    chinese = run("validate", path, "--lang", "zh")
    assert chinese.exit_code == 3 and "不可见文字层" in chinese.output


def test_ocr_text_of_one_scanned_page_is_not_read_and_the_rest_is(tmp_path):
    named = extract_file(DOCS / "huaian-city-2024.pdf")
    path = tmp_path / "one-page-scanned.pdf"
    path.write_bytes(_scanned_copy(pages={2}))
    mixed = extract_file(path)
    on_page_3 = {cell for cell, where in named.provenance.items() if where["where"].startswith("page 3 ")}
    assert on_page_3 and not on_page_3 & set(mixed.values)
    assert {cell: value for cell, value in mixed.values.items() if named.values[cell] != value} == {}
    assert set(mixed.values) == set(named.values) - on_page_3
    [said] = [entry for entry in mixed.left_out if entry["where"] == "page 3"]
    assert "scanned image" in said["reason"] and "OCR" in said["reason_zh"] and said["text"]
    assert [f.code for f in findings(mixed)].count("value-not-placed") == len(mixed.left_out)


def test_invisible_text_without_a_page_image_is_still_read(tmp_path):
    """Text drawn invisibly over vector drawings (not over a scanned image) is the document's own text."""
    path = tmp_path / "invisible.pdf"
    path.write_bytes(_scanned_copy(image=False))
    assert extract_file(path).values == extract_file(DOCS / "huaian-city-2024.pdf").values


def test_word_markup_nested_deeper_than_python_recurses_is_read_without_a_crash():
    import xml.etree.ElementTree as ElementTree

    from govspec.extract.word import _paragraph, _unwrapped
    w = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    deep = 5000
    body = ElementTree.fromstring(f"<w:body {w}>" + "<w:customXml>" * deep + "<w:p/>" + "</w:customXml>" * deep
                                  + "</w:body>")
    assert [e.tag.split("}")[1] for e in _unwrapped(body)] == ["p"]
    p = ElementTree.fromstring(f"<w:p {w}>" + "<w:hyperlink>" * deep + "<w:r><w:t>1</w:t></w:r>"
                               + "</w:hyperlink>" * deep + "<w:r><w:t>2</w:t></w:r></w:p>")
    assert _paragraph(p) == "12"


def test_the_made_pdf_leaves_out_its_clipped_row_and_says_so():
    result = extract_file(DOCS / "made-huaian-city-2024.pdf")
    [left_out] = result.left_out
    assert left_out["text"].startswith("2.申请人逾期未按收费通知要求缴") and "cannot be tied to a row" in left_out["reason"]
    assert not any(c.startswith("applications.other_unpaid_fee.") for c in result.values)
    validated = run("validate", DOCS / "made-huaian-city-2024.pdf", "--format", "json")
    assert validated.exit_code == 4  # the row's checks could not be evaluated: incomplete, not passed
    [report] = json.loads(validated.output)["reports"]
    assert report["verdict"] == "incomplete"
    assert any(f["code"] == "value-not-placed" for f in report["findings"])


def _borders_drawn_again(offsets: tuple, vertical: bool, horizontal: bool) -> bytes:
    """The real 淮安 PDF with each ruling line of its tables drawn again ``offsets`` points to the right (vertical) or
    above (horizontal): what Word and WPS write when neighbouring cells draw their own edges a point or two apart, or
    rows' edges do not quite line up (a real WPS PDF of 洪泽区, 2023: its table 4's edges at 310.25, 311.0, 312.1 and
    312.25 points), or a border is double."""
    import pypdfium2

    from govspec.extract.pdf import _rulings
    document = pypdfium2.PdfDocument(DOCS / "huaian-city-2024.pdf")
    for number, page in enumerate(document):
        horizontals, verticals = _rulings(page, number + 1)
        for at, start, end in verticals if vertical else ():
            for offset in offsets:
                _stroke(page, (at + offset, start), (at + offset, end))
        for at, start, end in horizontals if horizontal else ():
            for offset in offsets:
                _stroke(page, (start, at + offset), (end, at + offset))
        page.gen_content()
    return _saved(document)


def _stroke(page, start: tuple, end: tuple) -> None:
    import pypdfium2.raw as pdfium_c
    path = pdfium_c.FPDFPageObj_CreateNewPath(*start)
    pdfium_c.FPDFPath_LineTo(path, *end)
    pdfium_c.FPDFPath_SetDrawMode(path, pdfium_c.FPDF_FILLMODE_NONE, True)
    pdfium_c.FPDFPageObj_SetStrokeWidth(path, 0.5)
    pdfium_c.FPDFPage_InsertObject(page.raw, path)


@pytest.mark.parametrize("offsets,vertical,horizontal", [((2.0,), True, False), ((0.9, 1.8), True, False),
                                                        ((2.0,), False, True), ((1.4, 2.8), True, True)])
def test_a_border_drawn_twice_a_point_or_two_apart_is_one_border(tmp_path, offsets, vertical, horizontal):
    """Found on a real WPS PDF (洪泽区, 2023): a border drawn twice two points apart made a column too narrow for any
    character between them, so the row of table 4's 15 values had 16 cells and was left out."""
    path = tmp_path / "twice.pdf"
    path.write_bytes(_borders_drawn_again(offsets, vertical, horizontal))
    result = extract_file(path)
    assert result.values == extract_file(DOCS / "huaian-city-2024.pdf").values and len(result.values) == 200
    assert not result.left_out


def _borders_as_bars(thickness: float, one_path: bool) -> bytes:
    """The real 淮安 PDF with each ruling line of its tables drawn as a filled rectangle ``thickness`` points thick, as
    Word draws its borders: each its own path, or all of a page's in ``one_path``."""
    import pypdfium2
    import pypdfium2.raw as pdfium_c

    from govspec.extract.pdf import _rulings
    document = pypdfium2.PdfDocument(DOCS / "huaian-city-2024.pdf")
    half = thickness / 2
    for number, page in enumerate(document):
        horizontals, verticals = _rulings(page, number + 1)
        for obj in list(page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_PATH], max_depth=1)):
            page.remove_obj(obj)
        boxes = [(x0 - half, y - half, x1 + half, y + half) for y, x0, x1 in horizontals] + \
                [(x - half, y0 - half, x + half, y1 + half) for x, y0, y1 in verticals]
        path = None
        for left, bottom, right, top in boxes:
            if path is None or not one_path:
                path = pdfium_c.FPDFPageObj_CreateNewPath(left, bottom)
                pdfium_c.FPDFPath_SetDrawMode(path, pdfium_c.FPDF_FILLMODE_WINDING, False)
                pdfium_c.FPDFPage_InsertObject(page.raw, path)
            else:
                pdfium_c.FPDFPath_MoveTo(path, left, bottom)
            for x, y in ((right, bottom), (right, top), (left, top)):
                pdfium_c.FPDFPath_LineTo(path, x, y)
            pdfium_c.FPDFPath_Close(path)
        page.gen_content()
    return _saved(document)


@pytest.mark.parametrize("thickness", [1.5, 3.0, 4.5, 6.0])
@pytest.mark.parametrize("one_path", [False, True])
def test_a_border_drawn_as_a_filled_bar_is_one_line_however_thick(tmp_path, thickness, one_path):
    """Word draws a table's borders as filled rectangles; one thicker than 2 points (Word's 2¼, 3, 4½ and 6 point
    borders) was read as its two long edges, with a row or column too narrow for any character between them."""
    path = tmp_path / "bars.pdf"
    path.write_bytes(_borders_as_bars(thickness, one_path))
    result = extract_file(path)
    assert result.values == extract_file(DOCS / "huaian-city-2024.pdf").values and len(result.values) == 200
    assert not result.left_out


def _rows_ruled_only(frame: bool) -> bytes:
    """The real 淮安 PDF with its tables' lines between columns taken out: only the lines between rows are drawn, and
    (``frame``) the table's left and right edges — a page printed with its cells' bottom borders and its table's frame."""
    import pypdfium2
    import pypdfium2.raw as pdfium_c

    from govspec.extract.pdf import _rulings
    document = pypdfium2.PdfDocument(DOCS / "huaian-city-2024.pdf")
    for number, page in enumerate(document):
        horizontals, verticals = _rulings(page, number + 1)
        for obj in list(page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_PATH], max_depth=1)):
            page.remove_obj(obj)
        for at, start, end in horizontals:
            _stroke(page, (start, at), (end, at))
        edges = (min(x for x, _, _ in verticals), max(x for x, _, _ in verticals)) if verticals else ()
        for at, start, end in verticals if frame else ():
            if any(abs(at - edge) < 2 for edge in edges):
                _stroke(page, (at, start), (at, end))
        page.gen_content()
    return _saved(document)


@pytest.mark.parametrize("frame", [False, True])
def test_a_table_ruled_between_rows_only_is_read_as_lines_of_text(tmp_path, frame):
    """A table drawn without lines between its columns is lines of text, each a label and its values in spaces. With a
    frame round it, each row was one cell holding the whole line, which was read as one text: 80 of 200 cells, not
    193. A row whose one cell is withheld (a group's label, centred over several rows, runs over the line between two
    of them) is said, not passed over."""
    path = tmp_path / "rows.pdf"
    path.write_bytes(_rows_ruled_only(frame))
    result = extract_file(path)
    right = extract_file(DOCS / "huaian-city-2024.pdf").values
    assert all(right[cell] == value for cell, value in result.values.items())
    assert len(result.values) >= (179 if frame else 193)
    withheld = [item for item in result.left_out if "it is the whole row" in item["reason"]]
    assert len(withheld) == (2 if frame else 0) and all(item["where"].startswith("page 4 table") for item in withheld)


def _turned(quarter: int, pages: set | None = None) -> bytes:
    """The real 淮安 PDF with the content of its ``pages`` (all when None) written ``quarter`` quarter turns round,
    anticlockwise, each page set to be shown upright (``/Rotate``): what a PDF printer makes of a landscape page."""
    import pypdfium2
    turns = {1: lambda w, h: pypdfium2.PdfMatrix(0, 1, -1, 0, h, 0), 2: lambda w, h: pypdfium2.PdfMatrix(-1, 0, 0, -1, w, h),
             3: lambda w, h: pypdfium2.PdfMatrix(0, -1, 1, 0, 0, w)}
    document = pypdfium2.PdfDocument(DOCS / "huaian-city-2024.pdf")
    for number, page in enumerate(document):
        if pages is not None and number not in pages:
            continue
        width, height = page.get_size()
        for obj in list(page.get_objects(max_depth=1)):
            obj.transform(turns[quarter](width, height))
        if quarter % 2:
            page.set_mediabox(0, 0, height, width)
        page.set_rotation((4 - quarter) * 90 % 360)
        page.gen_content()
    return _saved(document)


@pytest.mark.parametrize("quarter,pages", [(1, None), (2, None), (3, None), (1, {2, 3})])
def test_a_page_whose_text_runs_sideways_or_upside_down_is_read_as_it_is_written(tmp_path, quarter, pages):
    """A landscape table printed to PDF is often a portrait page whose content is written a quarter turn round: its
    lines of text ran down the page and were read a character at a time, and the report was refused."""
    path = tmp_path / "turned.pdf"
    path.write_bytes(_turned(quarter, pages))
    result = extract_file(path)
    assert result.values == extract_file(DOCS / "huaian-city-2024.pdf").values and len(result.values) == 200
    assert result.report == {"agency": "淮安市人民政府", "year": 2024} and not result.left_out


def test_characters_at_a_slant_do_not_turn_a_page():
    from govspec.extract.pdf_turn import quarter, turn_of
    assert [quarter(math.radians(a)) for a in (0, 5, 85, 90, 180, 270, 355, 45, 30)] == [0, 0, 3, 3, 2, 1, 0, None, None]
    assert quarter(-1) is None
    assert turn_of([10, 0, 0, 0]) == 0 and turn_of([3, 4, 0, 0]) == 1 and turn_of([4, 4, 0, 0]) == 0
    assert turn_of([0, 0, 0, 0]) == 0


def test_a_narrow_column_drawn_beside_every_border_is_a_column_and_nothing_is_misplaced(tmp_path):
    """Lines six points apart part a column (a character fits): rows then have a cell more than their labels' values,
    and are left out with the reason — never read into the neighbouring column."""
    path = tmp_path / "narrow.pdf"
    path.write_bytes(_borders_drawn_again((6.0,), True, False))
    result = extract_file(path)
    right = extract_file(DOCS / "huaian-city-2024.pdf").values
    assert len(result.values) < 200 and all(right[cell] == value for cell, value in result.values.items())
    assert result.left_out


@pytest.mark.parametrize("name,where", [("made-huaian-city-2024.docx", "table "), ("made-huaian-city-2024.xlsx", "sheet "),
                                        ("made-huaian-city-2024.xls", "sheet ")])
def test_word_and_excel_validate_with_provenance(name, where):
    result = run("validate", DOCS / name, "--format", "json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["reports"][0]["verdict"] == "passed"
    provenance = extract_file(DOCS / name).provenance["applications.received.total"]["where"]
    assert provenance.startswith(where)
    if where == "sheet ":
        assert provenance == "sheet 年报统计表 J23"  # 一、本年新收 row, 总计 column (checked in Excel)


def test_the_official_blank_template_is_read_and_incomplete():
    result = extract_file(DOCS / "official-template-2021-blank.docx")
    assert result.spec is not None and result.spec.version == "2021"
    assert all(v is None for v in result.values.values())
    assert run("validate", DOCS / "official-template-2021-blank.docx").exit_code == 4


def test_an_old_word_file_is_read_and_an_old_file_holding_no_word_document_gets_the_conversion_command(tmp_path):
    assert run("validate", DOCS / "made-huaian-city-2024.doc").exit_code == 0  # tests/test_old_word_files.py
    other = tmp_path / "other.doc"
    other.write_bytes(without_word_document(DOCS / "made-huaian-city-2024.doc"))
    result = run("validate", other)
    assert result.exit_code == 3
    assert "soffice --headless --convert-to docx other.doc" in result.output


def without_word_document(path: Path) -> bytes:
    """An OLE2 file that holds neither a workbook nor a Word document (its ``WordDocument`` stream renamed)."""
    raw = path.read_bytes()
    name = "WordDocument".encode("utf-16-le")
    assert raw.count(name) == 1
    return raw.replace(name, "WordDocumenX".encode("utf-16-le"))


def test_files_are_read_by_their_content_whatever_their_name(tmp_path):
    wrong = tmp_path / "report.doc"
    shutil.copy(DOCS / "made-huaian-city-2024.docx", wrong)
    result = run("validate", wrong, "--format", "json")
    assert result.exit_code == 0
    [report] = json.loads(result.output)["reports"]
    [note] = [f for f in report["findings"] if f["code"] == "read-by-content"]
    assert "named .doc but its content is docx" in note["message"]
    page_as_doc = tmp_path / "page.doc"  # a page saved as .doc (Word's "web page", a site's export)
    page = CliRunner().invoke(main, ["render", str(DOCS.parent.parent / "examples" / "huaian-city-2024.json")])
    page_as_doc.write_text(page.stdout, encoding="utf-8")
    result = run("validate", page_as_doc, "--format", "json")
    assert result.exit_code == 0 and "named .doc but its content is html: read as html" in result.output
    workbook_as_doc = tmp_path / "workbook.doc"  # an old binary file: by its content too, Word or Excel
    shutil.copy(DOCS / "made-huaian-city-2024.xls", workbook_as_doc)
    result = run("validate", workbook_as_doc, "--format", "json")
    assert result.exit_code == 0 and "named .doc but its content is xls" in result.output
    pdf_as_txt = tmp_path / "report.txt"
    shutil.copy(DOCS / "huaian-city-2024.pdf", pdf_as_txt)
    assert run("validate", pdf_as_txt).exit_code == 0


def test_a_folder_of_documents_is_validated(tmp_path):
    for name in ("huaian-city-2024.pdf", "made-huaian-city-2024.docx", "made-huaian-city-2024.xlsx"):
        shutil.copy(DOCS / name, tmp_path / name)
    result = run("validate", tmp_path, "--format", "json")
    assert result.exit_code == 0
    assert [r["verdict"] for r in json.loads(result.output)["reports"]] == ["passed"] * 3


def test_a_workbook_with_one_sheet_per_body_gives_one_report_per_sheet(tmp_path):
    from openpyxl import Workbook, load_workbook
    source = load_workbook(DOCS / "made-huaian-city-2024.xlsx")
    book = Workbook()
    book.remove(book.active)
    for name in ("淮安市", "清江浦区"):
        sheet = book.create_sheet(name)
        for row in source.active.iter_rows():
            for cell in row:
                sheet.cell(cell.row, cell.column, cell.value)
        for merged in source.active.merged_cells.ranges:
            sheet.merge_cells(str(merged))
    path = tmp_path / "province.xlsx"
    book.save(path)
    parts = extract_parts(path)
    assert [p.source for p in parts] == [f"{path}#淮安市", f"{path}#清江浦区"]
    assert all(len(p.values) == 200 for p in parts)
    result = run("validate", path, "--format", "json")
    assert [r["source"] for r in json.loads(result.output)["reports"]] == [f"{path}#淮安市", f"{path}#清江浦区"]


def sections_on_sheets(path, order=(0, 1, 2), notes: bool = False):
    """The made workbook with its sections 二, 三 and 四 each on a sheet of its own (values as shown, merged cells
    unmerged), the sheets in ``order``; ``notes``: a sheet of notes first."""
    from openpyxl import Workbook, load_workbook
    source = load_workbook(DOCS / "made-huaian-city-2024.xlsx").active
    rows = [[cell.value for cell in row] for row in source.iter_rows()]
    cuts = [i for i, row in enumerate(rows) if str(row[0]).startswith(("三、收到和处理", "四、政府信息公开行政复议"))]
    sections = [rows[:cuts[0]], rows[cuts[0]:cuts[1]], rows[cuts[1]:]]
    book = Workbook()
    book.remove(book.active)
    if notes:
        book.create_sheet("说明").append(["说明：本报告的统计表分三张工作表填报。"])
    for number in order:
        sheet = book.create_sheet(["主动公开", "依申请公开", "复议诉讼"][number])
        for row in sections[number]:
            sheet.append(row)
    book.save(path)
    return path


@pytest.mark.parametrize("order, notes", [((0, 1, 2), False), ((0, 1, 2), True), ((1, 2, 0), False)])
def test_a_workbook_whose_sections_are_on_sheets_of_their_own_is_one_report(tmp_path, order, notes):
    """A sheet each for 二, 三 and 四: read a sheet at a time, that was a report of section 二 with 190 cells unseen,
    one of section 三 without a body, and section 四 passed over.  Read one after the other, they are the report."""
    path = sections_on_sheets(tmp_path / "sections.xlsx", order, notes)
    [whole] = extract_parts(path)
    assert whole.source == str(path)
    assert whole.values == extract_file(DOCS / "made-huaian-city-2024.xlsx").values and len(whole.values) == 200
    assert not whole.left_out and not whole.incomplete
    places = {whole.provenance[cell]["where"].split()[1] for cell in
              ("proactive_disclosure.rules.issued", "applications.received.total", "review_litigation.cases.review_total")}
    assert places == {"主动公开", "依申请公开", "复议诉讼"}  # each value's place names its sheet
    result = run("validate", path, "--format", "json")
    [report] = json.loads(result.output)["reports"]
    assert result.exit_code == 0 and report["verdict"] == "passed" and report["source"] == str(path)
    if order[0] == 0:
        assert whole.report["agency"] == "淮安市人民政府" and whole.report["year"] == 2024


def test_a_whole_report_beside_a_sheet_of_notes_stays_a_sheet_of_its_own(tmp_path):
    from openpyxl import load_workbook
    book = load_workbook(DOCS / "made-huaian-city-2024.xlsx")
    book.create_sheet("填报说明").append(["填报说明：2023年度的数据见去年的报告。"])
    path = tmp_path / "notes.xlsx"
    book.save(path)
    parts = extract_parts(path)
    assert [p.source for p in parts] == [f"{path}#年报统计表", f"{path}#填报说明"]
    assert len(parts[0].values) == 200 and parts[1].spec is None


def test_a_hidden_sheet_is_not_read_and_is_said(tmp_path):
    """Excel does not show a hidden sheet (here last year's table, every number off by one): it is not read as a
    report of its own, nor as a copy of the shown one, and what it holds is said where it starts."""
    from openpyxl import load_workbook
    book = load_workbook(DOCS / "made-huaian-city-2024.xlsx")
    last_year = book.copy_worksheet(book.worksheets[0])
    last_year.title = "去年"
    for row in last_year.iter_rows():
        for cell in row:
            if isinstance(cell.value, int):
                cell.value += 1
    last_year.sheet_state = "hidden"
    book.create_sheet("下拉列表").sheet_state = "veryHidden"  # a helper sheet holding nothing: nothing to say
    path = tmp_path / "hidden.xlsx"
    book.save(path)
    parts = extract_parts(path)
    assert [p.source for p in parts] == [str(path)] and len(parts[0].values) == 200
    assert [(item["where"], item["text"][:7]) for item in parts[0].left_out] == [("sheet 去年 A1", "淮安市人民政府")]
    result = run("validate", path, "--format", "json")
    [report] = json.loads(result.output)["reports"]
    assert result.exit_code == 0 and report["verdict"] == "passed"
    said = [f for f in report["findings"] if f["code"] == "value-not-placed"]
    assert [f["position"] for f in said] == [f"{path}: sheet 去年 A1"] and "hidden in the workbook" in said[0]["message"]
    assert not [f for f in report["findings"] if f["code"].startswith("duplicate")]


def made_with_hidden(path, column=None, row=None):
    """The made workbook with a hidden column inserted before ``column``, or a hidden row after ``row``, holding
    other numbers (as a publisher hides last year's figures); merged ranges move with their cells."""
    from openpyxl import Workbook, load_workbook
    from openpyxl.utils import get_column_letter
    source = load_workbook(DOCS / "made-huaian-city-2024.xlsx").active
    book = Workbook()
    sheet = book.active
    sheet.title = source.title

    def moved(r, c):
        return r + (row is not None and r > row), c + (column is not None and c >= column)
    for line in source.iter_rows():
        for cell in line:
            if cell.value is not None:
                sheet.cell(*moved(cell.row, cell.column), cell.value)
    for merged in source.merged_cells.ranges:
        (top, left), (bottom, right) = moved(merged.min_row, merged.min_col), moved(merged.max_row, merged.max_col)
        sheet.merge_cells(start_row=top, start_column=left, end_row=bottom, end_column=right)
    if column is not None:
        for r in range(1, sheet.max_row + 1):
            if isinstance(shown := sheet.cell(r, column + 1).value, int):
                sheet.cell(r, column, shown + 100)
        sheet.column_dimensions[get_column_letter(column)].hidden = True
    if row is not None:
        for c in range(1, sheet.max_column + 1):
            shown = sheet.cell(row, c).value
            sheet.cell(row + 1, c, shown + 5 if isinstance(shown, int) else shown)
        sheet.row_dimensions[row + 1].hidden = True
    book.save(path)
    return path


def hiding(tmp_path, rows=(), columns=()):
    """The made workbook with some of its own rows and columns hidden."""
    from openpyxl import load_workbook
    book = load_workbook(DOCS / "made-huaian-city-2024.xlsx")
    for row in rows:
        book.active.row_dimensions[row].hidden = True
    for column in columns:
        book.active.column_dimensions[column].hidden = True
    book.save(tmp_path / "hiding.xlsx")
    return tmp_path / "hiding.xlsx"


def read_as_made(result) -> dict:
    """The values read, each as the made workbook shows it where nothing is hidden (none may differ)."""
    made = extract_file(DOCS / "made-huaian-city-2024.xlsx").values
    assert {cell: value for cell, value in result.values.items() if made[cell] != value} == {}
    return result.values


def test_a_hidden_row_holding_another_copy_of_a_row_is_not_read_and_is_said(tmp_path):
    """Last year's figures of a row kept out of sight under it: before, two copies of the row (neither taken)."""
    result = extract_file(made_with_hidden(tmp_path / "hidden.xlsx", row=6))
    assert len(read_as_made(result)) == 200
    assert [(item["where"], item["text"]) for item in result.left_out] == [("sheet 年报统计表 A7", "规章")]
    assert "the row is hidden" in result.left_out[0]["reason"]


def test_a_hidden_column_is_not_read_and_never_shifts_a_cell_into_its_place(tmp_path):
    """Hiding column B withholds the values it holds; those after it stay in their columns (shifted left, as a
    reader sees them, 0 and 11 would have been read as 本年制发件数 and 本年废止件数).  A merged cell whose first
    column is hidden shows its value in its first column shown (行政许可, B10:D10)."""
    result = extract_file(hiding(tmp_path, columns=["B"]))
    values = read_as_made(result)
    assert "proactive_disclosure.rules.issued" not in values
    assert values["proactive_disclosure.rules.repealed"] == 0 and values["proactive_disclosure.rules.in_force"] == 11
    assert result.provenance["proactive_disclosure.licensing.decisions"] == {"where": "sheet 年报统计表 C10",
                                                                               "text": "447228"}
    said = {item["where"]: item["reason"] for item in result.left_out}
    assert "the column is hidden" in said["sheet 年报统计表 B5"] and "hidden row or column" in said["sheet 年报统计表 B6"]


def test_a_hidden_column_inserted_in_a_table_leaves_its_rows_out_never_shifted(tmp_path):
    result = extract_file(made_with_hidden(tmp_path / "hidden.xlsx", column=2))
    assert 150 < len(read_as_made(result)) < 200  # the rows it crosses hold a cell too many: left out, said
    assert ("sheet 年报统计表 B6", "101") in [(item["where"], item["text"]) for item in result.left_out]


def test_a_hidden_value_row_of_section_four_is_not_read_nor_replaced_by_a_blank_row(tmp_path):
    result = extract_file(hiding(tmp_path, rows=[53]))
    values = read_as_made(result)
    assert not [cell for cell in values if cell.startswith("review_litigation.")]  # not 15 printed blanks
    assert {item["where"] for item in result.left_out} == {"sheet 年报统计表 A53"}


def hidden_xls_row(tmp_path, index: int):
    """The made .xls with row ``index`` (from 0) hidden: the fDyZero flag of its ROW record set."""
    raw = bytearray((DOCS / "made-huaian-city-2024.xls").read_bytes())
    at = raw.find(bytes.fromhex("08021000") + index.to_bytes(2, "little"))
    raw[at + 16] |= 0x20
    path = tmp_path / "hidden.xls"
    path.write_bytes(raw)
    return path


def test_an_xls_whose_only_sheet_is_hidden_is_refused_saying_so(tmp_path):
    raw = bytearray((DOCS / "made-huaian-city-2024.xls").read_bytes())
    at = raw.find(bytes.fromhex("85001200"))  # the BOUNDSHEET record (18 bytes): its hsState after its position
    raw[at + 8] = 1  # hidden
    path = tmp_path / "hidden.xls"
    path.write_bytes(raw)
    result = run("validate", path)
    assert result.exit_code == 3 and "only content is on hidden sheets (年报统计表)" in result.output


def test_a_hidden_row_of_an_xls_is_not_read_and_is_said(tmp_path):
    result = extract_file(hidden_xls_row(tmp_path, 5))  # 规章
    values = read_as_made(result)
    assert len(values) == 197 and "proactive_disclosure.rules.issued" not in values
    assert [(item["where"], item["text"]) for item in result.left_out] == [("sheet 年报统计表 A6", "规章")]
    result = extract_file(hidden_xls_row(tmp_path, 52))  # the value row of section 四
    assert not [cell for cell in read_as_made(result) if cell.startswith("review_litigation.")]


def test_the_records_of_an_xls_say_which_rows_and_columns_are_hidden():
    from govspec.extract.hidden_cells import Hidden, _hidden_in_biff

    def record(kind: int, data: bytes) -> bytes:
        return kind.to_bytes(2, "little") + len(data).to_bytes(2, "little") + data
    name = "年报".encode("utf-16-le")
    globals_ = record(0x0809, bytes.fromhex("0006 0500".replace(" ", "")) + bytes(12))
    sheet_at = len(globals_) + 4 + 8 + len(name) + 4  # after the BOUNDSHEET record and the EOF
    globals_ += record(0x0085, sheet_at.to_bytes(4, "little") + b"\0\0" + bytes([2, 1]) + name) + record(0x000A, b"")
    sheet = (record(0x0809, bytes.fromhex("00061000") + bytes(12))
             + record(0x007D, bytes.fromhex("0100 0200 0000 0f00 0100 0000".replace(" ", "")))  # B:C hidden
             + record(0x007D, bytes.fromhex("0400 0400 0000 0f00 0000 0000".replace(" ", "")))  # E shown
             + record(0x0208, bytes.fromhex("0300 0000 0400 2c01 0000 0000 2001 0f00".replace(" ", "")))  # row 4
             + record(0x0208, bytes.fromhex("0400 0000 0400 2c01 0000 0000 0001 0f00".replace(" ", "")))  # row 5
             + record(0x000A, b""))
    assert _hidden_in_biff(globals_ + sheet) == {"年报": Hidden(frozenset({3}), frozenset({1, 2}))}


def test_a_total_written_as_a_formula_without_its_result_is_not_read_as_a_blank(tmp_path):
    """A system's export writes 总计 as =SUM(…) without calculating it: Excel shows 3119, calamine gives nothing.
    Read as a printed blank, it failed the report (blank + blank ≠ 3050 + 103); not read, its checks are not
    evaluated and the report is incomplete, saying why."""
    from openpyxl import load_workbook
    book = load_workbook(DOCS / "made-huaian-city-2024.xlsx")
    book.active["J23"], book.active["J24"] = "=SUM(D23:I23)", "=SUM(D24:I24)"
    path = tmp_path / "formula.xlsx"
    book.save(path)
    result = extract_file(path)
    assert "applications.received.total" not in read_as_made(result) and len(result.values) == 198
    said = "the cell holds a formula that the program which wrote the file did not calculate"
    assert [(item["where"], said in item["reason"]) for item in result.left_out] == [
        ("sheet 年报统计表 J23", True), ("sheet 年报统计表 J24", True)]
    [report] = json.loads(run("validate", path, "--format", "json").output)["reports"]
    assert report["verdict"] == "incomplete"


@pytest.mark.parametrize("cell,uncalculated", [
    ('<c r="J23"><f>SUM(D23:I23)</f></c>', True), ('<c r="J23"><f>SUM(D23:I23)</f><v/></c>', True),
    ('<c r="J23"><f>SUM(D23:I23)</f><v>3119</v></c>', False), ('<c r="J23"><v>3119</v></c>', False),
    ('<c r="J23" t="str"><f>IF(D23=0,"",D23)</f><v></v></c>', False),  # a formula whose result is an empty text
])
def test_a_formula_cell_keeps_its_result_or_says_it_does_not(cell, uncalculated):
    from govspec.extract.hidden_cells import _hidden
    xml = ('<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
           f'<row r="23"><c r="I23"><v>4</v></c>{cell}</row><row><c/><c><f>A1</f></c></row></sheetData></worksheet>')
    assert _hidden(xml.encode(), "x").uncalculated == ({(22, 9), (23, 1)} if uncalculated else {(23, 1)})


@pytest.mark.parametrize("stored,read", [(96171.6, "96171.6"), (96171.6 + 1e-11, "96171.6"), (0.1 + 0.2, "0.3"),
                                         (3119.0, "3119"), (3119.0000000000005, "3119"), (1e-7, "0.0000001"),
                                         (2.0 ** 53, "9007199254740990"), (-0.5, "-0.5")])
def test_a_number_of_a_workbook_reads_as_excel_holds_it_to_15_digits(stored, read):
    """A formula's sum of amounts is stored as 96171.60000000002; Excel and WPS show and keep 15 digits: 96171.6."""
    from govspec.extract.sheets import _text
    assert _text(stored) == read


def rewritten(name: str, path: Path, member: str, change) -> Path:
    """The made file ``name`` (a .docx or .xlsx) written to ``path`` with one member's bytes ``change``d."""
    with zipfile.ZipFile(DOCS / name) as source, zipfile.ZipFile(path, "w") as out:
        for info in source.infolist():
            data = source.read(info)
            if info.filename == member:
                changed = change(data)
                assert changed != data
                data = changed
            out.writestr(info, data)
    return path


def test_a_workbook_whose_sheet_declares_xml_entities_is_refused_not_expanded(tmp_path):
    path = rewritten("made-huaian-city-2024.xlsx", tmp_path / "entities.xlsx", "xl/worksheets/sheet1.xml",
                     lambda xml: b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "a">]>' + xml.split(b"?>", 1)[-1])
    result = run("validate", path)
    assert result.exit_code == 3 and "declares XML entities" in result.output


def test_a_workbook_whose_only_content_is_on_a_hidden_sheet_is_refused_saying_so(tmp_path):
    path = rewritten("made-huaian-city-2024.xlsx", tmp_path / "hidden.xlsx", "xl/workbook.xml",
                     lambda xml: xml.replace(b'state="visible"', b'state="hidden"', 1))
    result = run("validate", path)
    assert result.exit_code == 3 and "only content is on hidden sheets (年报统计表)" in result.output


def test_a_pdf_without_a_text_layer_is_refused_as_scanned(tmp_path):
    import pypdfium2
    pdf = pypdfium2.PdfDocument.new()
    pdf.new_page(595, 842)
    path = tmp_path / "scan.pdf"
    pdf.save(path)
    result = run("validate", path)
    assert result.exit_code == 3 and "no text layer" in result.output


@pytest.mark.parametrize("content,message", [
    (b"%PDF-1.7\n broken", "cannot open the PDF"),
    (b"PK\x03\x04 not a zip", "not a Word or Excel file"),
])
def test_damaged_documents_get_a_message(tmp_path, content, message):
    path = tmp_path / "x.pdf"
    path.write_bytes(content)
    result = run("validate", path)
    assert result.exit_code == 3 and message in result.output


def test_a_zip_bomb_in_a_word_file_is_refused(tmp_path):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/document.xml", b"<w:document>" + b" " * 60_000_000 + b"</w:document>")
    path = tmp_path / "bomb.docx"
    path.write_bytes(buffer.getvalue())
    result = run("validate", path)
    assert result.exit_code == 3 and "zip bomb" in result.output


# --- round trips: what govspec writes as Word, Excel (and, printed, PDF) reads back the same --------------

import os  # noqa: E402
import subprocess  # noqa: E402

from hypothesis import HealthCheck, Phase, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

import govspec  # noqa: E402
from govspec.check.report import validate_document  # noqa: E402
from govspec.present.render import render_html  # noqa: E402
from govspec.present.word import report_docx  # noqa: E402
from govspec.present.workbook import report_workbook  # noqa: E402
from govspec.testing import instances  # noqa: E402

NATIONAL = [govspec.load_spec("gov-info-disclosure", v) for v in ("2019", "2021")]
WRITERS = {"docx": lambda spec, document: report_docx(spec, document),
           "xlsx": lambda spec, document: report_workbook(spec, document)}
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


def _chinese_font() -> bool:
    """A font with Chinese characters, for Chromium to print with: without one it prints each as a glyph of no
    character, which the PDF reader keeps as unknown (and so leaves the agency's name out)."""
    listing = shutil.which("fc-list")
    if listing is None:
        return False
    found = subprocess.run([listing, ":lang=zh", "family"], capture_output=True, text=True, check=False)
    return bool(found.stdout.strip())


def _same(spec, document, back):
    want = {f"{t}.{r}.{c}": v for t, rows in document["tables"].items() for r, cols in rows.items()
            for c, v in cols.items()}
    assert back.spec is spec
    def exact(values):  # amounts compare as numbers: Excel keeps 96171.60 as 96171.6
        return {k: None if v is None else Decimal(str(v)) for k, v in values.items()}
    assert exact(back.values) == exact(want)
    assert back.left_out == [] and back.document()["unseen"] == []
    assert back.report["agency"] == document["report"]["agency"] and back.report["year"] == document["report"]["year"]


@pytest.mark.parametrize("fmt", sorted(WRITERS))
@pytest.mark.parametrize("spec", NATIONAL, ids=lambda s: s.spec.ref)
def test_generated_reports_round_trip_through_word_and_excel(spec, fmt, tmp_path_factory):
    """Every value and blank of a generated report, written as the official Word table or Excel workbook,
    reads back into its cell."""
    @settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(instances(spec, max_value=10**6))
    def check(document):
        path = tmp_path_factory.mktemp(fmt) / f"report.{fmt}"
        path.write_bytes(WRITERS[fmt](spec, document))
        _same(spec, document, extract_file(path))
    check()


def test_the_excel_template_has_a_live_check_for_every_identity(tmp_path):
    from openpyxl import load_workbook
    spec = NATIONAL[1]
    path = tmp_path / "t.xlsx"
    path.write_bytes(run_bytes("template", "--format", "xlsx"))
    sheet = load_workbook(path).active
    checks = [row for row in sheet.iter_rows(values_only=True) if str(row[0] or "").startswith("勾稽关系检查")]
    linear = [c for c in spec.checks if c.comparison is not None]
    assert len(checks) == len(linear) and all(str(row[1]).startswith("=IF(") for row in checks)
    assert sheet.conditional_formatting  # the ✗ of a broken identity turns red
    assert {dv.type for dv in sheet.data_validations.dataValidation} >= {"whole", "decimal"}
    result = run("validate", path, "--format", "json")  # a blank template reads back, blank
    [report] = json.loads(result.output)["reports"]
    assert report["verdict"] == "incomplete" and len(report["not_reported"]) == 200
    assert not any(f["code"] == "value-not-placed" for f in report["findings"])


def run_bytes(*args) -> bytes:
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False).stdout_bytes


def _need_a_browser_that_prints_chinese() -> None:
    """Skip (fail under CI, which installs both) without headless Chromium and a font with Chinese characters."""
    if CHROMIUM is None:
        if os.environ.get("CI"):
            pytest.fail("chromium is not installed: .ci/run installs Debian's chromium")
        pytest.skip("chromium is not installed (apt-get install chromium)")
    if not _chinese_font():
        if os.environ.get("CI"):
            pytest.fail("no font with Chinese characters: .ci/run installs Debian's fonts-wqy-microhei")
        pytest.skip("no font with Chinese characters (apt-get install fonts-wqy-microhei)")


def _print_to_pdf(page: Path, pdf: Path, profile: Path) -> None:
    subprocess.run([CHROMIUM, "--headless=new", "--no-sandbox", "--disable-gpu", "--no-pdf-header-footer",
                    f"--user-data-dir={profile}", f"--print-to-pdf={pdf}", page.as_uri()],
                   check=True, capture_output=True, timeout=120)


def test_printed_pdfs_of_generated_reports_read_back(tmp_path_factory):
    """A test-only route to PDF: the rendered page printed by headless Chromium, read back by the PDF reader — and its
    text as a PDF viewer copies it, and the page printed on A5, read without a wrong value."""
    _need_a_browser_that_prints_chinese()
    spec = NATIONAL[1]

    @settings(max_examples=3, deadline=None, suppress_health_check=[HealthCheck.too_slow],
              phases=[Phase.explicit, Phase.reuse, Phase.generate])  # no shrinking: each example prints a PDF
    @given(instances(spec, max_value=10**5))
    def check(document):
        folder = tmp_path_factory.mktemp("pdf")
        page, pdf = folder / "r.html", folder / "r.pdf"
        html = render_html(validate_document(document, spec=spec), document)
        # one tall page: Chromium draws no ruling lines around a row it splits over a page break
        page.write_text(html.replace("</style>", "@page{size:420mm 1200mm}</style>", 1), encoding="utf-8")
        _print_to_pdf(page, pdf, folder / 'profile')
        _same(spec, document, extract_file(pdf))
        # the same page's text as a PDF viewer copies it: whatever it reads is right (a row it cannot tie is left out)
        import pypdfium2

        from govspec.extract import extract_tokens, tokens_from_text
        printed = pypdfium2.PdfDocument(str(pdf))
        try:
            text = "\n".join(printed[n].get_textpage().get_text_range() for n in range(len(printed)))
        finally:
            printed.close()
        copied = extract_tokens(tokens_from_text(text), "copied")
        want = {f"{t}.{r}.{c}": v for t, rows in document["tables"].items() for r, cols in rows.items()
                for c, v in cols.items()}
        assert copied.spec is spec
        assert all(v is None or Decimal(str(v)) == Decimal(str(want[k])) for k, v in copied.values.items())
        # printed on A5: tables cut by page breaks, labels broken over many lines of narrow cells — nothing misread
        small = folder / "small.pdf"
        page.write_text(html.replace("</style>", "@page{size:A5}</style>", 1), encoding="utf-8")
        _print_to_pdf(page, small, folder / 'profile')
        back = extract_file(small)
        assert back.spec is spec
        assert {k: (v, want[k]) for k, v in back.values.items()
                if v is not None and Decimal(str(v)) != Decimal(str(want[k]))} == {}
    check()


@pytest.mark.parametrize("style,attributes", [
    ("", ' border="1" cellspacing="2"'),  # an old page's table: each cell its own box, 2 pixels apart
    ("table{border-collapse:collapse} td,th{border:3px solid #000}", ""),  # thick borders
    ("table{border-collapse:collapse;border:1px solid #000} td,th{border-bottom:1px solid #000}", ""),  # rows and a frame
])
def test_pages_whose_tables_are_ruled_in_the_ways_pages_rule_them_print_to_pdfs_read_exactly(tmp_path, style, attributes):
    """Printed by Chromium, as an auditor prints a report's page: before, `cellspacing="2"` read no cell of the 2021
    table, 3-pixel borders 4 and rows ruled inside a frame none (a 2-point gap, a border's two edges, whole rows in one
    cell)."""
    _need_a_browser_that_prints_chinese()
    from govspec.extract.layouts import render
    from govspec.rules.solver import random_instance
    spec = NATIONAL[1]
    document = random_instance(spec, random.Random(7))
    tables = render(spec, document, "html").replace("<html><body>", "").replace("</body></html>", "")
    page, pdf = tmp_path / "page.html", tmp_path / "page.pdf"
    page.write_text(f'<html><head><meta charset="utf-8"><style>td,th{{padding:2px 4px;font-size:10px}} {style}</style>'
                    f'</head><body><h1>{document["report"]["agency"]}{document["report"]["year"]}年政府信息公开工作年度报告</h1>'
                    f'{tables.replace("<table", "<table" + attributes)}</body></html>', encoding="utf-8")
    _print_to_pdf(page, pdf, tmp_path / 'profile')
    _same(spec, document, extract_file(pdf))


def test_a_zip_batch_is_read_member_by_member_under_their_own_names(tmp_path):
    archive = tmp_path / "batch.zip"
    with zipfile.ZipFile(archive, "w") as z:
        z.write(ROOT / "examples" / "hegang-justice-2020.json", "2020/hegang.json")
        z.write(DOCS / "made-huaian-city-2024.xlsx", "2024/huaian.xlsx")
        z.writestr("../../outside.json", "{")  # a hostile member name only names the report
        z.writestr("nested.zip", b"PK\x03\x04")  # archives inside are not opened
        z.writestr("notes.log", "ignored")
    result = run("validate", archive, "--format", "json")
    assert result.exit_code == 3  # the broken member is unreadable
    sources = [r["source"] for r in json.loads(result.output)["reports"]]
    assert sources == [f"{archive}!../../outside.json", f"{archive}!2020/hegang.json", f"{archive}!2024/huaian.xlsx"]
    assert "govspec-zip-" not in result.output  # no temporary path leaks into what the auditor reads
    assert not (tmp_path.parent / "outside.json").exists()
    folder = tmp_path / "folder"
    folder.mkdir()
    (folder / "batch.zip").write_bytes(archive.read_bytes())
    assert len(json.loads(run("validate", folder, "--format", "json").output)["reports"]) == 3


def test_a_zip_bomb_member_is_refused(tmp_path):
    archive = tmp_path / "bomb.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("big.json", b"{" + b" " * 60_000_000 + b"}")
    result = run("validate", archive)
    assert result.exit_code == 3 and "zip bomb" in result.output


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_a_damaged_xls_container_never_stops_the_reading_of_what_it_hides(data):
    from govspec.extract.hidden_cells import hidden_in_xls
    raw = bytearray((DOCS / "made-huaian-city-2024.xls").read_bytes())
    for _ in range(data.draw(st.integers(1, 8))):
        raw[data.draw(st.integers(0, len(raw) - 1))] = data.draw(st.integers(0, 255))
    raw = raw[:data.draw(st.integers(0, len(raw)))]
    assert isinstance(hidden_in_xls(bytes(raw)), dict)


def _number_as_picture(cell: str) -> bytes:
    """The real 淮安 PDF with the number of ``cell`` drawn as a picture: its characters taken out, an image put in
    their place."""
    import pypdfium2
    import pypdfium2.raw as pdfium_c
    where = extract_file(DOCS / "huaian-city-2024.pdf").provenance[cell]
    document = pypdfium2.PdfDocument(DOCS / "huaian-city-2024.pdf")
    page = document[int(where["where"].split()[1]) - 1]
    text = page.get_textpage()
    first, count = text.search(where["text"], match_whole_word=True).get_next()
    boxes = [text.get_charbox(i) for i in range(first, first + count)]
    left, bottom = min(b[0] for b in boxes), min(b[1] for b in boxes)
    right, top = max(b[2] for b in boxes), max(b[3] for b in boxes)
    for obj in list(page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_TEXT], max_depth=1)):
        x0, y0, x1, y1 = obj.get_bounds()
        if left - 1 <= (x0 + x1) / 2 <= right + 1 and bottom - 1 <= (y0 + y1) / 2 <= top + 1:
            page.remove_obj(obj)
    _insert_image(document, page, (left, bottom, right, top), (0, 0, 0, 255))
    page.gen_content()
    return _saved(document)


def test_a_pdf_cell_showing_a_picture_and_no_text_is_not_read_and_no_blank(tmp_path):
    """A number drawn as an image (a snippet pasted in) was read as a printed blank: the report passed with the checks
    that read it skipped."""
    path = tmp_path / "picture.pdf"
    path.write_bytes(_number_as_picture("applications.disclosed.natural_person"))
    result = extract_file(path)
    assert "applications.disclosed.natural_person" not in result.values
    assert any("shows a picture" in item["reason"] for item in result.left_out)
    assert len(result.values) == 199
    validated = run("validate", path, "--format", "json", "--lang", "en")
    assert json.loads(validated.output)["reports"][0]["verdict"] == "incomplete"


def _workbook_with_picture(tmp_path, cell: str, anchor_to: tuple[int, int, str, str]) -> Path:
    """The made 淮安 workbook with the number of ``cell`` taken out and a picture set over it: anchored from that cell's
    corner to ``anchor_to`` (column and row from 0, and their offsets), as Excel and WPS write a drawing."""
    import re

    from openpyxl import load_workbook
    sheet_name, reference = extract_file(DOCS / "made-huaian-city-2024.xlsx").provenance[cell]["where"].split()[1:]
    book = load_workbook(DOCS / "made-huaian-city-2024.xlsx")
    book[sheet_name][reference] = None
    plain = tmp_path / "plain.xlsx"
    book.save(plain)
    column, row = book[sheet_name][reference].column - 1, book[sheet_name][reference].row - 1
    to_column, to_row, column_off, row_off = anchor_to
    xdr = "http://schemas.openxmlformats.org/drawingml/2006/spreadsheetDrawing"
    drawing = (f'<xdr:wsDr xmlns:xdr="{xdr}"><xdr:twoCellAnchor><xdr:from><xdr:col>{column}</xdr:col><xdr:colOff>0'
               f'</xdr:colOff><xdr:row>{row}</xdr:row><xdr:rowOff>0</xdr:rowOff></xdr:from><xdr:to><xdr:col>{to_column}'
               f'</xdr:col><xdr:colOff>{column_off}</xdr:colOff><xdr:row>{to_row}</xdr:row><xdr:rowOff>{row_off}'
               '</xdr:rowOff></xdr:to><xdr:pic/><xdr:clientData/></xdr:twoCellAnchor></xdr:wsDr>')
    relationship = ('<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship '
                    'Id="rIdPicture" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/drawing" '
                    'Target="../drawings/drawing9.xml"/></Relationships>')
    path = tmp_path / "picture.xlsx"
    with zipfile.ZipFile(plain) as source, zipfile.ZipFile(path, "w") as out:
        for info in source.infolist():
            data = source.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                data = re.sub(rb"</worksheet>$", b'<drawing xmlns:r="http://schemas.openxmlformats.org/officeDocument/'
                              b'2006/relationships" r:id="rIdPicture"/></worksheet>', data.rstrip())
            out.writestr(info, data)
        assert "xl/worksheets/_rels/sheet1.xml.rels" not in source.namelist()
        out.writestr("xl/worksheets/_rels/sheet1.xml.rels", relationship)
        out.writestr("xl/drawings/drawing9.xml", drawing)
    return path


def test_a_workbook_cell_a_picture_is_set_in_is_not_read_and_no_blank(tmp_path):
    """A picture anchored within one cell (to the next cell's edge) shows what the cell shows; calamine gives the cell
    as empty, which read as a printed blank let the report pass with the checks that read it skipped."""
    cell = "applications.disclosed.natural_person"
    reference = extract_file(DOCS / "made-huaian-city-2024.xlsx").provenance[cell]["where"].split()[2]
    from openpyxl.utils.cell import column_index_from_string, coordinate_from_string
    letters, number = coordinate_from_string(reference)
    within = _workbook_with_picture(tmp_path, cell, (column_index_from_string(letters), number, "0", "0"))
    result = extract_file(within)
    assert cell not in result.values and len(result.values) == 199
    assert any("shows a picture" in item["reason"] for item in result.left_out)
    assert json.loads(run("validate", within, "--format", "json").output)["reports"][0]["verdict"] == "incomplete"
    spread = tmp_path / "spread"
    spread.mkdir()  # a picture over several cells (a stamp): not weighed, the cell a blank
    over = _workbook_with_picture(spread, cell, (column_index_from_string(letters) + 2, number + 1, "100", "100"))
    assert extract_file(over).values[cell] is None


def test_a_docx_saved_as_strict_open_xml_is_read_as_the_transitional_one_is(tmp_path):
    """Word's "Strict Open XML Document" names its elements in another namespace: read as they were, nothing (no table
    of a known template)."""
    transitional = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    strict = "http://purl.oclc.org/ooxml/wordprocessingml/main"
    path = tmp_path / "strict.docx"
    with zipfile.ZipFile(DOCS / "made-huaian-city-2024.docx") as source, zipfile.ZipFile(path, "w") as out:
        for name in source.namelist():
            data = source.read(name)
            if name in ("word/document.xml", "word/styles.xml"):
                assert transitional.encode() in data
                data = data.replace(transitional.encode(), strict.encode())
            out.writestr(name, data)
    found, expected = extract_file(path), extract_file(DOCS / "made-huaian-city-2024.docx")
    assert len(found.values) == 200 and found.values == expected.values and found.provenance == expected.provenance


def word_of_page(page: str, path: Path, chunk: str = "/afchunk.mht", archive: bool = True) -> None:
    """A .docx as html-docx-js (a browser's "export to Word") makes it: the body one ``w:altChunk`` naming a web archive
    of the page (or the page itself), which Word imports as it opens the file."""
    import quopri
    w = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    r = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    if archive:
        body = quopri.encodestring(page.encode("utf-8")).decode("ascii")
        data = ("MIME-Version: 1.0\nContent-Type: multipart/related;\n    type=\"text/html\";\n    "
                "boundary=\"----=mhtDocumentPart\"\n\n\n------=mhtDocumentPart\nContent-Type: text/html;\n    "
                "charset=\"utf-8\"\nContent-Transfer-Encoding: quoted-printable\nContent-Location: "
                "file:///C:/fake/document.html\n\n" + body + "\n\n------=mhtDocumentPart--\n").encode("ascii")
    else:
        data = page.encode("utf-8")
    with zipfile.ZipFile(path, "w") as out:
        out.writestr("[Content_Types].xml", '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
                     '<Default Extension="mht" ContentType="message/rfc822"/><Override PartName="/word/document.xml" '
                     'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
                     '</Types>')
        out.writestr("word/document.xml", f'<w:document xmlns:w="{w}" xmlns:r="{r}"><w:body>'
                     '<w:altChunk r:id="htmlChunk"/><w:sectPr/></w:body></w:document>')
        out.writestr("word/_rels/document.xml.rels",
                     '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                     f'<Relationship Type="{r}/aFChunk" Target="{chunk}" Id="htmlChunk"/></Relationships>')
        out.writestr(chunk.lstrip("/") if chunk.startswith("/") else "word/" + chunk, data)


def test_a_docx_that_imports_a_web_page_is_read_as_the_page_is(tmp_path):
    """A browser's "export to Word" (html-docx-js) puts the page in the .docx whole, for Word to import when it opens
    the file: its body held only that chunk, and nothing was read."""
    page = CliRunner().invoke(main, ["render", str(DOCS.parent.parent / "examples" / "huaian-city-2024.json")]).stdout
    (tmp_path / "page.html").write_text(page, encoding="utf-8")
    expected = extract_file(tmp_path / "page.html")
    for name, chunk, archive in (("archive.docx", "/afchunk.mht", True), ("page.docx", "afchunk.htm", False)):
        word_of_page(page, tmp_path / name, chunk, archive)
        found = extract_file(tmp_path / name)
        assert len(found.values) == 200 and found.values == expected.values, name
        assert all(p["where"].startswith("table ") for p in found.provenance.values())  # numbered as Word's own tables
    word_of_page(page, tmp_path / "whole.docx")
    with zipfile.ZipFile(tmp_path / "whole.docx") as whole, zipfile.ZipFile(tmp_path / "missing.docx", "w") as out:
        for name in whole.namelist():  # the chunk the document names is not in the file
            if name != "afchunk.mht":
                out.writestr(name, whole.read(name))
    result = run("validate", tmp_path / "missing.docx")
    assert result.exit_code == 3 and "Traceback" not in result.output  # nothing to read, and said


def test_a_page_imported_many_times_is_bounded_as_one_reports_text(tmp_path):
    """Found by probing the reading of imported pages: a .docx of a few KB naming one page in thousands of chunks is
    thousands of pages; past a report's text it is refused, the page read once."""
    page = CliRunner().invoke(main, ["render", str(DOCS.parent.parent / "examples" / "huaian-city-2024.json")]).stdout
    word_of_page(page, tmp_path / "one.docx")
    with zipfile.ZipFile(tmp_path / "one.docx") as one, zipfile.ZipFile(tmp_path / "many.docx", "w") as out:
        for name in one.namelist():
            data = one.read(name)
            if name == "word/document.xml":
                data = data.replace(b'<w:altChunk r:id="htmlChunk"/>', b'<w:altChunk r:id="htmlChunk"/>' * 5000)
            out.writestr(name, data)
    result = run("validate", tmp_path / "many.docx")
    assert result.exit_code == 3 and "characters" in result.output
