"""Which files govspec reads, and as what: by the ending of a file's name, or — a name it does not know, given by the
user — by its first bytes.  One list for the readers of data (:mod:`govspec.io.readers`), of published reports
(:mod:`govspec.extract`) and the commands that walk folders."""

from __future__ import annotations

EXTENSIONS = (".json", ".jsonl", ".csv")  # data: instances as govspec defines them
# reports as published: extracted first (documents are read by their content, whatever their name says)
WEB_PAGES = (".html", ".htm", ".shtml", ".xhtml", ".jhtml")  # the names under which web pages are saved
WEB_ARCHIVES = (".mht", ".mhtml")  # a page saved as one file (govspec/extract/archive_page.py)
DOCUMENTS = (".pdf", ".docx", ".xlsx", ".xlsm", ".xls", ".ods", ".doc", ".wps", ".et", ".rtf", ".odt")
PUBLISHED = (".txt", ".md", ".markdown") + WEB_PAGES + WEB_ARCHIVES + DOCUMENTS
# documents a report may come in that govspec does not read: taken from folders all the same, so that each is named
# with what to do (export OFD as PDF; save .xlsb as .xlsx), never passed over in silence
UNREAD_DOCUMENTS = (".ofd", ".xlsb")

# the key, and its version, that makes a JSON file ``govspec extract``'s record of the reports it read (written by
# govspec/cli/extract.py, read back by govspec/extract/records.py)
EXTRACT_RECORD, EXTRACT_RECORD_VERSION = "govspec_extract", 1

NO_REPORT_FILE = "no report file (.json, .jsonl, .csv, .pdf, .docx, .doc, .xlsx, .xls, .html, .md, .txt) in this folder"
NO_REPORT_FILE_ZH = "此文件夹中没有报告文件（.json、.jsonl、.csv、.pdf、.docx、.doc、.xlsx、.xls、.html、.md、.txt）"
NO_PUBLISHED_FILE = "no published report file (.pdf, .docx, .doc, .xlsx, .xls, .html, .mht, .md, .txt) in this folder"
NO_PUBLISHED_FILE_ZH = "此文件夹中没有发布的报告文件（.pdf、.docx、.doc、.xlsx、.xls、.html、.mht、.md、.txt）"


def json_like(path: str) -> bool:
    """Whether a file begins as JSON does (``{`` or ``[`` after a byte order mark and white space), or is empty: how
    a file of a name govspec does not know is told from a published report."""
    try:
        with open(path, "rb") as handle:
            head = handle.read(4096)
    except OSError:
        return True  # the JSON reader says why it cannot be read
    head = head.replace(b"\x00", b"").lstrip(b"\xef\xbb\xbf\xff\xfe \t\r\n")  # UTF-8 or UTF-16, with a BOM
    return not head or head.startswith((b"{", b"["))


METADATA = ("spec", "version")  # the columns of CSV wide that name the spec


def is_long(header: list[str]) -> bool:
    """Whether a CSV file's header is CSV long's: ``cell,value``."""
    return header[:2] == ["cell", "value"]


def as_published(header: list[str]) -> bool:
    """Whether a CSV file is a report's tables as published (a workbook saved as CSV): its header is neither CSV long's
    nor names a column of CSV wide (metadata, a report fact, a cell id — ``table.row.column``, known or not)."""
    return not is_long(header) and not any(name in METADATA or name.startswith("report.") or name.count(".") == 2
                                           for name in header)
