"""Which kind of file a published report is — by its content, not its name — and its tokens.

``%PDF-`` is a PDF; a zip holding ``word/`` is a Word file, ``xl/`` an Excel workbook, an OpenDocument
spreadsheet an .ods; the OLE2 signature is an Excel 97 workbook (.xls) when it reads as one, an old Word file
(.doc) when it holds a Word document, else refused with the command that converts it; MIME headers of
``multipart/related`` a web archive (.mht, .mhtml), read as the page it holds.  Anything else is text: HTML when it
holds HTML tables, else text or Markdown.  A file whose content contradicts its name is read by its content, with a
note.  A workbook gives one part per sheet that holds anything (:func:`joined` reads them as one).
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import replace
from pathlib import Path

from govspec.errors import InstanceError
from govspec.extract.grid import GridRow, Item, checked, tokens_from_grid
from govspec.extract.limits import check_text
from govspec.extract.reasons import CONVERT
from govspec.extract.tokens import Token, mark_last, tokens_from_text
from govspec.extract.webpage import tokens_from_html
from govspec.io.archives import ZIP_ERRORS
from govspec.io.decoding import decode
from govspec.io.instance import read_bytes
from govspec.io.kinds import WEB_ARCHIVES, WEB_PAGES
from govspec.io.readers import MAX_CSV_FIELD
from govspec.records import record

OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
EXPECTED = {".pdf": "pdf", ".docx": "docx", ".xlsx": "xlsx", ".xlsm": "xlsx", ".xls": "xls", ".ods": "ods",
            ".doc": "doc", ".wps": "doc", ".odt": "odt", ".et": "xls", **dict.fromkeys(WEB_PAGES, "html"),
            **dict.fromkeys(WEB_ARCHIVES, "mhtml")}


@record
class Part:
    """One report's worth of a file: its tokens, the kind of file, and a suffix naming the part
    (``#sheet 年报`` for one sheet of a workbook; empty for a file of one report)."""

    tokens: list[Token]
    kind: str
    suffix: str = ""
    note: str | None = None  # the content contradicts the file's name: read by its content
    not_read: tuple = ()  # (where, text, reason) of what the file holds but is not read (a scanned page's OCR
                          # text; a workbook's hidden sheets, rows and columns)


def joined(parts: list[Part]) -> Part:
    """The sheets of a workbook read one after the other as one document, as the tables of a Word file are: each
    row keeps its sheet's place (``sheet 依申请 D7``), and the rows are numbered on from one sheet to the next, so
    that no two rows of different sheets share a number (a row's cells are the tokens of its number)."""
    tokens: list[Token] = []
    offset = 0
    for part in parts:
        tokens.extend(replace(token, line=token.line + offset, last=False) for token in part.tokens)
        offset += max((token.line for token in part.tokens), default=0) + 1
    not_read = tuple(dict.fromkeys(item for part in parts for item in part.not_read))  # hidden sheets: said by each
    return Part(mark_last(tokens), parts[0].kind, "", parts[0].note, not_read)


def sniff(raw: bytes) -> str:
    """The kind of file by its content: pdf, docx, xlsx, ods, odt, ole2, zip, mhtml (a web archive), or text."""
    if raw.startswith(b"%PDF-") or raw[:1024].lstrip().startswith(b"%PDF-"):
        return "pdf"
    if raw.startswith(b"PK\x03\x04"):
        try:
            archive = zipfile.ZipFile(io.BytesIO(raw))
            names = set(archive.namelist())
            # an OpenDocument's kind, wherever its writer put the member: its first bytes only, however large it is
            mimetype = archive.open("mimetype").read(100) if "mimetype" in names else b""
        except (*ZIP_ERRORS, KeyError):
            return "zip"
        if "word/document.xml" in names:
            return "docx"
        if "xl/workbook.xml" in names:
            return "xlsx"
        if "content.xml" in names and b"opendocument.spreadsheet" in mimetype:
            return "ods"
        if "content.xml" in names and b"opendocument.text" in mimetype:
            return "odt"
        return "zip"
    if raw.startswith(OLE2):
        return "ole2"
    from govspec.extract.archive_page import is_archive
    if is_archive(raw):
        return "mhtml"
    return "text"


def read_parts(path: str | Path) -> list[Part]:
    """The tokens of a published report file, by its content; a workbook gives one part per sheet."""
    source = str(path)
    try:
        return _parts(read_bytes(path), source)
    except InstanceError as error:  # said of a page, a sheet or the text: the file is named
        error.source = error.source or source
        raise


def _parts(raw: bytes, source: str) -> list[Part]:
    kind = sniff(raw)
    suffix = Path(source).suffix.lower()
    if kind == "ole2":
        kind = _ole2_kind(raw, source, suffix)
    note = _note(suffix, kind)
    if kind == "pdf":
        from govspec.extract.pdf import read_pdf  # late: the PDF engine loads only for PDFs
        not_read: list = []
        items = read_pdf(raw, source, not_read)
        return [Part(tokens_from_grid(checked(items)), "pdf", note=note, not_read=tuple(not_read))]
    if kind == "docx":
        from govspec.extract.word import read_docx
        return [Part(tokens_from_grid(checked(read_docx(raw, source))), "docx", note=note)]
    if kind == "odt":
        from govspec.extract.odt import read_odt
        return [Part(tokens_from_grid(checked(read_odt(raw, source))), "odt", note=note)]
    if kind == "doc":
        from govspec.extract.word97 import read_doc
        return [Part(tokens_from_grid(checked(read_doc(raw, source))), "doc", note=note)]
    if kind in ("xlsx", "xls", "ods"):
        from govspec.extract.sheets import read_workbook
        return _sheet_parts(read_workbook(raw, source, kind), kind, note)
    if kind == "zip":
        raise _zip_refused(raw, source)
    if raw.lstrip()[:5] == b"{\\rtf":  # RTF, as reporting systems export "Word" (often named .doc)
        from govspec.extract.rtf import read_rtf
        return [Part(tokens_from_grid(checked(read_rtf(raw, source))), "rtf", note=_note(suffix, "rtf"))]
    if kind == "mhtml":
        from govspec.extract.archive_page import page_text
        return [Part(tokens_from_html(page_text(raw, source)), "html", note=note)]
    text, _ = decode(raw, source)
    from govspec.extract.spreadsheetml import is_spreadsheetml
    if is_spreadsheetml(text):  # XML Spreadsheet 2003, as systems exporting "Excel" write it (often named .xls)
        from govspec.extract.spreadsheetml import read_spreadsheetml
        return _sheet_parts(read_spreadsheetml(text, source), "spreadsheetml",
                            _note(suffix, "spreadsheetml", "XML Spreadsheet 2003"))
    from govspec.extract.wordml import is_wordml
    if is_wordml(text):  # Word 2003 XML, as systems that fill in a Word template write it (often named .doc)
        from govspec.extract.wordml import read_wordml
        note = _note(suffix, "wordml", "Word 2003 XML")
        return [Part(tokens_from_grid(checked(read_wordml(text, source))), "wordml", note=note)]
    if suffix == ".csv":  # a report's tables saved as CSV (io.readers reads govspec's own CSV): read as a sheet
        return [Part(tokens_from_grid(checked(_csv_table(text, source)), spans=False), "csv", note=note)]
    # HTML tables anywhere (Markdown that a PDF converter wrote with HTML tables after pages of prose), not only at the top
    if suffix in WEB_PAGES or re.search(r"<\s*(table|html|body|td)\b", text, re.I):
        # a page named otherwise (Word's "web page" saved as .doc) is said as the page it is
        return [Part(tokens_from_html(text), "html", note=_note(suffix, "html"))]
    check_text(len(text))
    return [Part(tokens_from_text(text), "text", note=note)]


def _note(suffix: str, kind: str, shown: str | None = None) -> str | None:
    """What to say of a file whose content contradicts its name (``shown``: how the kind is named), or None: a page
    saved as text (an .html holding no markup) contradicts nothing."""
    expected = EXPECTED.get(suffix)
    if not expected or expected == kind or expected in ("html", "mhtml") and kind in ("text", "html"):
        return None
    return f"the file is named {suffix} but its content is {shown or kind}: read as {shown or kind}"


def _sheet_parts(sheets: list, kind: str, note: str | None) -> list[Part]:
    """A workbook's parts: one per sheet shown that holds anything, each named by its sheet when there are several."""
    many = len(sheets) > 1
    return [Part(tokens_from_grid(sheet.items), kind, f"#{sheet.name}" if many else "", note, sheet.not_read)
            for sheet in sheets]


def _csv_table(text: str, source: str) -> list[Item]:
    """The rows of a CSV file as a sheet's (a workbook saved as CSV by Excel or WPS), each cell where it stands."""
    import csv
    csv.field_size_limit(MAX_CSV_FIELD)
    rows = csv.reader(io.StringIO(text))
    try:
        return [GridRow(tuple((cell, f"line {rows.line_num} col {column}") for column, cell in enumerate(row, 1)))
                for row in rows]
    except csv.Error as exc:
        raise InstanceError(f"CSV error: {exc}", zh=f"CSV 格式错误（{exc}）", source=source,
                            line=rows.line_num) from None


def _zip_refused(raw: bytes, source: str) -> InstanceError:
    """Why a zip file that is no Word or Excel file is not read: a document in a format govspec does not read (OFD, an
    Excel binary workbook, PowerPoint), with what to do; else an archive to unpack."""
    try:
        names = set(zipfile.ZipFile(io.BytesIO(raw)).namelist())
    except ZIP_ERRORS:
        names = set()
    name = Path(source).name
    if "OFD.xml" in names:
        return InstanceError("an OFD document (版式文档), which govspec does not read: export it as PDF in an OFD "
                             "reader, then validate the PDF", zh="OFD 版式文档，govspec 不读取：请在 OFD 阅读器中导出为 PDF，"
                             "再校验该 PDF", source=source)
    if "xl/workbook.bin" in names:
        return InstanceError("an Excel binary workbook (.xlsb), which govspec does not read: save it as .xlsx first, then "
                             "validate the saved file: " + CONVERT.format(to="xlsx", name=name),
                             zh="Excel 二进制工作簿（.xlsb），govspec 不读取：请先另存为 .xlsx，再校验另存的文件："
                             + CONVERT.format(to="xlsx", name=name), source=source)
    if any(member.startswith("ppt/") for member in names):
        return InstanceError("a PowerPoint file, not a report govspec reads (PDF, Word, Excel, HTML, text)",
                             zh="PowerPoint 文件，不是 govspec 读取的报告格式（PDF、Word、Excel、HTML、文本）", source=source)
    return InstanceError("a zip file that is not a Word or Excel file: unpack it and give the folder",
                         zh="不是 Word 或 Excel 文件的 zip 压缩包：请解压后给出文件夹", source=source)


def _ole2_kind(raw: bytes, source: str, suffix: str) -> str:
    """An OLE2 file: an Excel 97 workbook when it is named or reads as one; an old Word file (.doc, or WPS's in that
    format) when it holds a Word document; refused with the command that converts it otherwise."""
    if suffix == ".xls":
        return "xls"  # named an Excel workbook: read as one, so that a damaged one is reported as damaged
    from govspec.extract.word97 import is_word_document
    if is_word_document(raw):
        return "doc"
    from govspec.extract.sheets import is_workbook
    if is_workbook(raw):  # whatever its name (an .xls named .doc is read as the workbook it is, with a note)
        return "xls"
    target = "xlsx" if suffix == ".et" else "docx"
    raise InstanceError("an old binary Word/WPS/Excel file (OLE2) that govspec does not read: convert it first, "
                        "then validate the converted file: " + CONVERT.format(to=target, name=Path(source).name),
                        zh="旧版二进制 Word/WPS/Excel 文件（OLE2），govspec 不直接读取：请先转换，再校验转换后的文件："
                        + CONVERT.format(to=target, name=Path(source).name),
                        source=source)
