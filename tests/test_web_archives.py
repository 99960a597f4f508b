"""Web pages as auditors keep them: saved as one file (.mht, .mhtml — by Word's "single file web page" or a browser's
"save as a single file"), or under the name the server gave the page (.shtml, .jsp, …)."""

import base64
import binascii
import json
from decimal import Decimal
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import govspec
from govspec.check.report import validate_document
from govspec.cli.main import main
from govspec.extract import extract_file
from govspec.extract.archive_page import MAX_PARTS
from govspec.present.render import render_html
from govspec.testing import instances

SPEC21 = govspec.load_spec("gov-info-disclosure", "2021")
DOCS = Path(__file__).parent / "documents"
WORD_BOUNDARY = b"----=_NextPart_01DA4B2C.5E3F1A20"
BLINK_BOUNDARY = b"----MultipartBoundary--AbCdEf----"


def _qp(data: bytes) -> bytes:
    return binascii.b2a_qp(data).replace(b"\n", b"\r\n")


def word_archive(html: str) -> bytes:
    """As Word saves a "single file web page": GB2312 text in quoted-printable, a preamble, a theme part after."""
    page = html.replace("<head>", '<head><meta http-equiv=Content-Type content="text/html; charset=gb2312">', 1)
    return (b'MIME-Version: 1.0\r\nX-Document-Type: Document\r\nContent-Type: multipart/related; boundary="'
            + WORD_BOUNDARY + b'"\r\n\r\n'
            + "此文档为“单个文件网页”，也称为“Web 档案”文件。\r\n\r\n".encode("gb18030")
            + b"--" + WORD_BOUNDARY + b"\r\nContent-Location: file:///C:/B2C1A3F0/report.htm\r\n"
            b"Content-Transfer-Encoding: quoted-printable\r\nContent-Type: text/html; charset=\"gb2312\"\r\n\r\n"
            + _qp(page.encode("gb18030")) + b"\r\n\r\n--" + WORD_BOUNDARY
            + b"\r\nContent-Location: file:///C:/B2C1A3F0/report.files/themedata.thmx\r\n"
            b"Content-Transfer-Encoding: base64\r\nContent-Type: application/vnd.ms-officetheme\r\n\r\n"
            + base64.encodebytes(b"PK\x03\x04" + bytes(120)).replace(b"\n", b"\r\n")
            + b"\r\n--" + WORD_BOUNDARY + b"--\r\n")


def blink_archive(html: str, page_first: bool = True) -> bytes:
    """As Chrome saves a page as one file: UTF-8 in quoted-printable, a style sheet and an image as parts of their
    own; ``page_first=False``: the style sheet first, the page named by the ``start`` parameter."""
    page = (b"--" + BLINK_BOUNDARY + b"\r\nContent-Type: text/html\r\nContent-ID: <frame-12@mhtml.blink>\r\n"
            b"Content-Transfer-Encoding: quoted-printable\r\nContent-Location: http://www.example.gov.cn/a.html\r\n\r\n"
            + _qp(html.encode("utf-8")) + b"\r\n")
    css = (b"--" + BLINK_BOUNDARY + b"\r\nContent-Type: text/css\r\nContent-Transfer-Encoding: quoted-printable\r\n"
           b"Content-Location: cid:css-1@mhtml.blink\r\n\r\ntd { display: none }\r\n")
    image = (b"--" + BLINK_BOUNDARY + b"\r\nContent-Type: image/png\r\nContent-Transfer-Encoding: base64\r\n"
             b"Content-Location: http://www.example.gov.cn/logo.png\r\n\r\niVBORw0KGgo=\r\n")
    start = b"" if page_first else b'\tstart="<frame-12@mhtml.blink>";\r\n'
    return (b"From: <Saved by Blink>\r\nSnapshot-Content-Location: http://www.example.gov.cn/a.html\r\n"
            b"Subject: =?utf-8?Q?2024=E5=B9=B4?=\r\nMIME-Version: 1.0\r\nContent-Type: multipart/related;\r\n"
            b'\ttype="text/html";\r\n' + start + b'\tboundary="' + BLINK_BOUNDARY + b'"\r\n\r\n\r\n'
            + (page + css if page_first else css + page) + image + b"--" + BLINK_BOUNDARY + b"--\r\n")


def _values(document) -> dict:
    return {f"{t}.{r}.{c}": None if v is None else Decimal(str(v))
            for t, rows in document["tables"].items() for r, cols in rows.items() for c, v in cols.items()}


@settings(max_examples=4, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(instances(SPEC21, max_value=10**5), st.sampled_from(["word.mht", "blink.mhtml", "start.mht"]))
def test_a_page_saved_as_one_file_is_read_as_the_page_it_holds(tmp_path_factory, document, kind):
    html = render_html(validate_document(document, spec=SPEC21), document)
    raw = {"word.mht": word_archive, "blink.mhtml": blink_archive,
           "start.mht": lambda page: blink_archive(page, page_first=False)}[kind](html)
    path = tmp_path_factory.mktemp("mht") / kind
    path.write_bytes(raw)
    back = extract_file(path)
    assert back.spec is SPEC21 and back.left_out == []
    assert {k: None if v is None else Decimal(str(v)) for k, v in back.values.items()} == _values(document)
    assert back.report["agency"] == document["report"]["agency"]


def test_a_page_saved_under_the_name_its_server_gave_is_read_in_a_folder_and_when_named(tmp_path, huaian):
    html = render_html(validate_document(huaian, spec=SPEC21), huaian)
    (tmp_path / "t20250120_4471.shtml").write_text(html, encoding="utf-8")
    (tmp_path / "art_1_2.jhtml").write_text(html, encoding="utf-8")
    (tmp_path / "saved.mht").write_bytes(word_archive(html))
    (tmp_path / "index.jsp").write_text(html, encoding="utf-8")  # a program's name: not taken from a folder
    result = CliRunner().invoke(main, ["validate", str(tmp_path), "--format", "json", "--no-across"])
    reports = json.loads(result.output)["reports"]
    assert [r["source"].rsplit("/", 1)[1] for r in reports] == ["art_1_2.jhtml", "saved.mht", "t20250120_4471.shtml"]
    assert {r["verdict"] for r in reports} == {"passed"}
    named = CliRunner().invoke(main, ["validate", str(tmp_path / "index.jsp"), "--format", "json"])
    assert json.loads(named.output)["reports"][0]["verdict"] == "passed"  # named: read by its content


def test_a_file_of_an_unknown_name_is_json_when_it_begins_as_json(tmp_path):
    broken = tmp_path / "report.bak"
    broken.write_text('{"spec": "gov-info-disclosure",', encoding="utf-8")
    result = CliRunner().invoke(main, ["validate", str(broken)])
    assert result.exit_code == 3 and "JSON" in result.output
    text = tmp_path / "notes.dat"
    text.write_text("会议纪要\n没有表格\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["validate", str(text), "--lang", "en"])
    assert result.exit_code == 3 and "no table of a known template" in result.output


def _validate(path):
    return CliRunner().invoke(main, ["validate", str(path), "--lang", "en"])


@pytest.mark.parametrize("raw,message", [
    (b"MIME-Version: 1.0\r\nContent-Type: multipart/related\r\n\r\nbody\r\n", "names no boundary between its parts"),
    (b"MIME-Version: 1.0\r\nContent-Type: multipart/related; boundary=b\r\n\r\n--b\r\nContent-Type: image/png\r\n\r\n"
     b"x\r\n--b--\r\n", "is not HTML but image/png"),
    (b"MIME-Version: 1.0\r\nContent-Type: multipart/related; boundary=b; start=\"<p>\"\r\n\r\n--b\r\n"
     b"Content-Type: text/css\r\n\r\nx\r\n--b--\r\n", "the page it names is not among its parts"),
    (b"MIME-Version: 1.0\r\nContent-Type: multipart/related; boundary=b\r\n\r\n--b\r\nContent-Type: text/html\r\n"
     b"Content-Transfer-Encoding: base64\r\n\r\nPGh0bWw+P\r\n--b--\r\n", "page's base64 text is broken"),
    (b"MIME-Version: 1.0\r\nContent-Type: multipart/related; boundary=b; start=\"<p>\"\r\n\r\n"
     + b"--b\r\nContent-Type: image/gif\r\n\r\nx\r\n" * (MAX_PARTS + 1) + b"--b--\r\n", f"more than {MAX_PARTS} parts"),
], ids=["no-boundary", "page-not-html", "start-not-found", "broken-base64", "too-many-parts"])
def test_a_damaged_or_hostile_web_archive_is_refused_with_the_reason(tmp_path, raw, message):
    path = tmp_path / "page.mht"
    path.write_bytes(raw)
    result = _validate(path)
    assert result.exit_code == 3 and message in result.output, result.output
    assert "Traceback" not in result.output


def test_documents_in_formats_govspec_does_not_read_are_named_in_a_folder_with_what_to_do(tmp_path, huaian):
    import zipfile
    (tmp_path / "good.json").write_text(json.dumps(huaian, ensure_ascii=False), encoding="utf-8")
    with zipfile.ZipFile(tmp_path / "report.ofd", "w") as z:  # GB/T 33190: OFD.xml at the root
        z.writestr("OFD.xml", "<ofd:OFD xmlns:ofd='http://www.ofdspec.org/2016'/>")
    with zipfile.ZipFile(tmp_path / "report.odt", "w") as z:
        z.writestr("mimetype", "application/vnd.oasis.opendocument.text")
        z.writestr("content.xml", "<office:document-content/>")
    (tmp_path / "report.rtf").write_text("{\\rtf1\\ansi 规章 1 0 11}", encoding="utf-8")
    with zipfile.ZipFile(tmp_path / "report.xlsb", "w") as z:  # Excel's binary workbook: was "unpack the zip"
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("xl/workbook.bin", b"\x83\x01\x00")
    result = CliRunner().invoke(main, ["validate", str(tmp_path), "--lang", "en", "--format", "json"])
    reports = json.loads(result.output)["reports"]
    messages = {r["source"].rsplit("/", 1)[1]: (r.get("error") or {}).get("message", "") for r in reports}
    assert result.exit_code == 3 and set(messages) == {"good.json", "report.ofd", "report.odt", "report.rtf",
                                                       "report.xlsb"}
    assert "Excel binary workbook (.xlsb)" in messages["report.xlsb"] and "--convert-to xlsx" in messages["report.xlsb"]
    assert "OFD document" in messages["report.ofd"] and "export it as PDF" in messages["report.ofd"]
    assert "OpenDocument text (content.xml) is broken" in messages["report.odt"]  # read now (tests/test_odt.py)
    assert "no table of a known template" in messages["report.rtf"]  # read now (tests/test_rtf.py): it holds none


def test_a_workbook_saved_as_csv_is_read_as_its_sheet_not_as_rows_of_instances(tmp_path):
    """Excel's or WPS's "save as CSV" of a report's workbook (GB18030, as they write it on Chinese Windows): its header
    names no key of an instance, so it is the report's tables as published — one report, read as the sheet is."""
    import csv
    import io

    from python_calamine import CalamineWorkbook

    from govspec.extract import extract_file
    workbook = CalamineWorkbook.from_path(str(DOCS / "made-huaian-city-2024.xlsx"))
    rows = workbook.get_sheet_by_name(workbook.sheet_names[0]).to_python()
    out = io.StringIO()
    csv.writer(out).writerows([["" if v is None else int(v) if isinstance(v, float) and v.is_integer() else v
                                for v in row] for row in rows])
    path = tmp_path / "年报统计表.csv"
    path.write_bytes(out.getvalue().encode("gb18030"))
    result = CliRunner().invoke(main, ["validate", str(path), "--format", "json"])
    [report] = json.loads(result.output)["reports"]
    assert report["verdict"] == "passed" and report["source"] == str(path)
    assert extract_file(path).values == extract_file(DOCS / "made-huaian-city-2024.xlsx").values
    other = tmp_path / "notes.csv"
    other.write_text("a,b,c\n1,2,3\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["validate", str(other), "--lang", "en"])
    assert result.exit_code == 3 and result.output.count("unreadable") == 1
    assert "no table of a known template" in result.output


def test_markdown_with_html_tables_after_pages_of_prose_is_read_as_html(tmp_path, huaian):
    """What a PDF-to-Markdown converter writes (MinerU: prose as Markdown, tables as HTML): the first table may come
    thousands of characters in; it was read as plain text, its tables unseen."""
    html = render_html(validate_document(huaian, spec=SPEC21), huaian)
    body = html[html.index("<body"):html.rindex("</body>")]
    prose = "2024年，我市坚持以习近平新时代中国特色社会主义思想为指导，认真贯彻《条例》各项规定。" * 150
    path = tmp_path / "report.md"
    path.write_text(f"# {huaian['report']['agency']}2024年政府信息公开工作年度报告\n\n## 一、总体情况\n\n{prose}\n\n"
                    + body + "\n", encoding="utf-8")
    assert path.read_text(encoding="utf-8").index("<table") > 5000
    back = extract_file(path)
    want = {f"{t}.{r}.{c}": v for t, rows in huaian["tables"].items() for r, cols in rows.items() for c, v in cols.items()}
    assert back.spec is SPEC21 and {k: None if v is None else Decimal(str(v)) for k, v in back.values.items()} == \
        {k: None if v is None else Decimal(str(v)) for k, v in want.items()}
