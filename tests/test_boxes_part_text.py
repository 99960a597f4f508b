"""What a page or a document shows as boxes of their own — blocks, boxes set in the line, text boxes — is never run
into the text around it: ``<section>1</section><section>2</section>`` is 1 over 2, never 12 (docs/extraction.md)."""

import io
import re
import zipfile

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import govspec
from govspec.extract import extract_tokens, tokens_from_html, tokens_from_text
from govspec.extract.layouts import render
from govspec.extract.word import read_docx
from govspec.io.writers import cell_values
from govspec.testing import instances

SPEC21 = govspec.load_spec("gov-info-disclosure", "2021")
HEAD = "<h1>淮安市人民政府2024年政府信息公开工作年度报告</h1><h2>二、主动公开政府信息情况</h2>"
HEADER = "<tr><td>信息内容</td><td>本年制发件数</td><td>本年废止件数</td><td>现行有效件数</td></tr>"


def page(cell: str, style: str = "") -> str:
    """Section 二 with the rules row's second cell as given; the next row as it should read."""
    return (f"<html><head><style>{style}</style></head><body>{HEAD}<table>{HEADER}"
            f"<tr><td>规章</td><td>1</td><td>{cell}</td><td>11</td></tr>"
            "<tr><td>行政规范性文件</td><td>8</td><td>26</td><td>66</td></tr></table></body></html>")


def read(html: str):
    return extract_tokens(tokens_from_html(html), "test")


@pytest.mark.parametrize("cell", [
    "<section>4</section><section>2</section>", "4<hr>2", "4<center>2</center>", "4<blockquote>2</blockquote>",
    "<dl><dt>4</dt><dd>2</dd></dl>", "4<pre>2</pre>", "<article>4</article><article>2</article>", "4<h6>2</h6>",
    "4<address>2</address>", "<header>4</header><footer>2</footer>", "4<figure>2</figure>",
    '<span style="display:block">4</span><span style="display:block">2</span>',
    '4<span style="display: flex">2</span>', '<span style="display:inline-block">4</span><span>2</span>',
    '<span class="cell">4</span><span class="cell">2</span>'])
def test_html_text_in_a_box_of_its_own_is_never_joined_to_the_text_around_it(cell):
    result = read(page(cell, style=".cell{display:inline-block}"))
    assert result.values.get("proactive_disclosure.rules.repealed") != 42
    assert "proactive_disclosure.rules.repealed" not in result.values  # "4 2": no value of its cell, left out
    assert any(item["where"].endswith("col 3") for item in result.left_out)
    assert result.values["proactive_disclosure.normative_documents.repealed"] == 26


@pytest.mark.parametrize("cell", ["4<span>2</span>", '<span style="display:inline">4</span>2', "<b>4</b>2",
                                  '<span class="cell">4</span>2'])
def test_html_text_set_in_the_line_is_one_text(cell):
    assert read(page(cell, style=".cell{display:block} span.cell{display:inline}")).values[
        "proactive_disclosure.rules.repealed"] == 42


@pytest.mark.parametrize("markup", ["<section>{}</section><section>{}</section>", "<h5>{}</h5><h6>{}</h6>",
                                    "<p>{}<hr>{}</p>", '<span style="display:block">{}</span>{}',
                                    '<span style="display:inline-block">{}</span>{}'])
def test_html_text_outside_tables_in_boxes_of_its_own_is_not_joined(markup):
    tokens = tokens_from_html("<html><body>" + markup.format("12", "34") + "</body></html>")
    assert "1234" not in [token.text for token in tokens]
    assert {"12", "34"} <= {token.text for token in tokens}


def _laid_out(html: str, cell_tag: str) -> str:
    """A page's tables laid out without table markup: a row a block, its cells ``cell_tag`` elements."""
    html = html.replace("<table>", "<div>").replace("</table>", "</div>")
    html = html.replace("<tr>", '<section style="display:flex">').replace("</tr>", "</section>")
    html = re.sub(r'<(td|th)( colspan="\d+")?>', f"<{cell_tag}>", html)
    return re.sub(r"</(td|th)>", "</" + cell_tag.split()[0] + ">", html)


@pytest.mark.parametrize("cell_tag", ["section", 'span style="display:block"', 'span style="display:inline-block"'])
@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
@given(st.data())
def test_html_tables_laid_out_as_boxes_read_no_value_wrong(cell_tag, data):
    """Article editors lay tables out as blocks; a blank cell is then no text at all, so a row with one is left
    out — never read with its values shifted — and a whole report without blanks is read whole."""
    document = data.draw(instances(SPEC21))
    want = cell_values(SPEC21, document)
    result = read(_laid_out(render(SPEC21, document, "html"), cell_tag))
    assert result.spec is SPEC21
    assert {cell: value for cell, value in result.values.items() if want.get(cell) != value} == {}
    if all(value is not None for value in want.values()):
        assert result.values == want


def test_section_four_ending_the_text_with_a_value_short_is_left_out_not_read_in_order():
    """Section 四 is the last table of a report: a text may end in its value row whole.  One value a line, a blank
    cell shows nothing, so 14 values cannot be placed — the three after the blank would each be one cell early."""
    header = ("四、政府信息公开行政复议、行政诉讼情况\n行政复议\n行政诉讼\n未经复议直接起诉\n复议后起诉\n"
              + "\n".join(["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"] * 3) + "\n")
    values = [3, 6, 15, 28, 52, 6, 13, 20, 13, 52, 14, 5, None, 24, 43]
    text = "淮安市人民政府2024年政府信息公开工作年度报告\n" + header + "\n".join(str(v) for v in values if v is not None)
    result = extract_tokens(tokens_from_text(text + "\n"), "test")
    assert not any(cell.startswith("review_litigation.") for cell in result.values)
    assert result.left_out and "15" in result.left_out[0]["reason"]
    whole = extract_tokens(tokens_from_text(text.replace("\n14\n5\n", "\n14\n5\n0\n") + "\n"), "test")
    assert whole.values["review_litigation.cases.after_review_total"] == 43  # the row whole: read


W = ('xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
     'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006"')
TEXT_BOX = ('<w:r><mc:AlternateContent><mc:Choice Requires="wps"><w:drawing><w:txbxContent><w:p><w:r><w:t>3</w:t>'
            '</w:r></w:p></w:txbxContent></w:drawing></mc:Choice><mc:Fallback><w:pict><w:txbxContent><w:p><w:r>'
            '<w:t>3</w:t></w:r></w:p></w:txbxContent></w:pict></mc:Fallback></mc:AlternateContent></w:r>')


def _docx(body: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("word/document.xml", f"<w:document {W}><w:body>{body}</w:body></w:document>")
    return buffer.getvalue()


def test_word_a_text_box_beside_digits_is_read_once_and_apart():
    cell = f"<w:tc><w:p><w:r><w:t>12</w:t></w:r>{TEXT_BOX}<w:r><w:t>45</w:t></w:r></w:p></w:tc>"
    [row] = read_docx(_docx(f"<w:tbl><w:tr><w:tc><w:p><w:r><w:t>规章</w:t></w:r></w:p></w:tc>{cell}</w:tr></w:tbl>"),
                      "test.docx")
    assert row.cells[1][0].split() == ["12", "3", "45"]  # not 123, 345, nor the box's fallback copy
    [paragraph] = read_docx(_docx(f"<w:p><w:r><w:t>12</w:t></w:r>{TEXT_BOX}<w:r><w:t>45</w:t></w:r></w:p>"),
                            "test.docx")
    assert paragraph.text.split() == ["12", "3", "45"]


def test_word_a_text_box_is_one_text_with_its_paragraph_but_between_numbers():
    box = TEXT_BOX.replace(">3<", ">人民政府<")
    [title] = read_docx(_docx(f"<w:p><w:r><w:t>淮安市</w:t></w:r>{box}</w:p>"), "test.docx")
    assert title.text.strip() == "淮安市人民政府"  # a title laid out with a text box
    [amount] = read_docx(_docx(f"<w:p><w:r><w:t>3,</w:t></w:r>{TEXT_BOX.replace('>3<', '>001<')}</w:p>"), "test.docx")
    assert amount.text.split() == ["3,", "001"]


def test_html_a_cell_showing_a_picture_and_no_text_is_not_read_and_no_blank(tmp_path):
    """A number drawn as an image (or a snippet pasted in) shows something the text does not hold: read as a printed
    blank, the report passed on a value nobody read."""
    import json
    from decimal import Decimal
    from pathlib import Path

    from click.testing import CliRunner

    from govspec.cli.main import main

    root = Path(__file__).resolve().parent.parent
    document = json.loads((root / "examples" / "huaian-city-2024.json").read_text(encoding="utf-8"), parse_float=Decimal)
    page = render(SPEC21, document, "html").replace(
        "<h2>", "<h1>淮安市人民政府2024年政府信息公开工作年度报告</h1><h2>", 1)
    page = page.replace("<td>（一）予以公开</td><td>1288</td>", '<td>（一）予以公开</td><td><img src="n.png" alt="1288"></td>')
    result = read(page)
    assert "applications.disclosed.natural_person" not in result.values
    assert any("shows a picture" in item["reason"] for item in result.left_out)
    assert result.values["applications.disclosed.total"] == 1362
    assert read(page.replace('<img src="n.png" alt="1288">', '1288<img src="mark.png">')).values[
        "applications.disclosed.natural_person"] == 1288  # a picture beside text: the text is read
    path = tmp_path / "report.html"
    path.write_text(page, encoding="utf-8")
    validated = CliRunner().invoke(main, ["validate", str(path), "--format", "json", "--lang", "en"])
    [report] = json.loads(validated.output)["reports"]
    assert report["verdict"] == "incomplete"


def test_word_a_cell_showing_a_picture_and_no_text_is_not_read_and_no_blank():
    picture = ('<w:r><w:drawing><a:graphic xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"><a:blip/>'
               '</a:graphic></w:drawing></w:r>')
    line = '<w:r><w:pict><v:line xmlns:v="urn:schemas-microsoft-com:vml"/></w:pict></w:r>'  # a diagonal header's line
    cells = "".join(f"<w:tc><w:p>{content}</w:p></w:tc>" for content in
                    ("<w:r><w:t>规章</w:t></w:r>", "<w:r><w:t>1</w:t></w:r>", picture, line, "<w:r><w:t>11</w:t></w:r>"))
    [row] = read_docx(_docx(f"<w:tbl><w:tr>{cells}</w:tr></w:tbl>"), "test.docx")
    assert [text for text, _ in row.cells] == ["规章", "1", "\u2051", "", "11"]  # the picture withheld; a line is no
    # picture, its cell a blank
