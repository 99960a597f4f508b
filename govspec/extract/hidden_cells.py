"""What a workbook's sheets show other than python-calamine reads them: the rows and columns Excel or WPS hides,
the formulas whose result the file does not keep, and the pictures set in a cell.

python-calamine gives a sheet's cells, not what is hidden, so the file itself says it (hidden by hand, by a
filter, or in a collapsed outline):

- an .xlsx, its worksheets' XML: a row is hidden by ``<row hidden="1">`` or a height of 0, a column by
  ``<col hidden="1">`` or a width of 0.  A cell holding a formula without a result (``<f>`` and no ``<v>``, or an
  empty one: written by a program that does not calculate, such as a system's export) shows what Excel
  calculates when it opens the file; calamine gives it as empty, which is not what it shows.  Only these
  attributes and elements are read, element by element.  A picture anchored within one cell (its drawing's
  ``twoCellAnchor`` from and to that cell, holding a ``pic``) shows what the cell shows — a number drawn as an image,
  a snippet pasted in —, and calamine gives the cell as empty: not a blank either.  A picture over several cells (a
  stamp, a logo) or anchored otherwise is not weighed.
- an .xls (Excel 97 and later, BIFF8), its ``Workbook`` stream, taken out of the OLE2 container: a row by the
  ``fDyZero`` flag of its ROW record, a column by the ``fHidden`` flag of its COLINFO record ([MS-XLS]).  A file
  whose container or stream this reading cannot follow to the end (damaged, or an older BIFF) is read as
  before, every row and column as if shown.

An .ods is not read for them (docs/extraction.md says so).
"""

from __future__ import annotations

import io
import posixpath
import struct
import xml.etree.ElementTree as ElementTree
import zipfile

from govspec.errors import InstanceError
from govspec.extract.limits import open_zip_member
from govspec.extract.ole2 import Compound
from govspec.records import record

REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
STRICT_REL = "{http://purl.oclc.org/ooxml/officeDocument/relationships}id"
MAX_COLUMN = 16_384  # Excel's last column (XFD)


@record
class Hidden:
    """A sheet's hidden rows and columns, and its cells holding a formula without a result (``(row, column)``),
    numbered from 0 as calamine numbers them."""

    rows: frozenset[int] = frozenset()
    columns: frozenset[int] = frozenset()
    uncalculated: frozenset[tuple[int, int]] = frozenset()
    pictured: frozenset[tuple[int, int]] = frozenset()  # cells a picture is set in

    def __bool__(self) -> bool:
        return bool(self.rows or self.columns or self.uncalculated or self.pictured)

    def shows(self, at: tuple[int, int]) -> bool:
        """The cell at ``(row, column)`` is shown."""
        return at[0] not in self.rows and at[1] not in self.columns


def hidden_in_xlsx(raw: bytes, source: str) -> dict[str, Hidden]:
    """The hidden rows and columns of each sheet of an .xlsx, its formulas without a result and the cells a picture is
    set in, by sheet name (sheets with none of them left out).  A workbook whose sheets name one part twice (an .xlsx
    never does: a file of a few KB could have its largest part read thousands of times) is refused."""
    workbook = _parse(open_zip_member(raw, "xl/workbook.xml", source, "a workbook"), source)
    names = set(zipfile.ZipFile(io.BytesIO(raw)).namelist())
    rels = _parse(open_zip_member(raw, "xl/_rels/workbook.xml.rels", source, "a workbook"), source)
    targets = {rel.get("Id"): rel.get("Target", "") for rel in rels if _local(rel.tag) == "Relationship"}
    found = {}
    read: set[str] = set()  # the sheets' parts read
    drawings: dict[str, frozenset] = {}  # drawing part -> the cells its pictures are set in
    for sheet in workbook.iter():
        if _local(sheet.tag) != "sheet":
            continue
        target = targets.get(sheet.get(REL) or sheet.get(STRICT_REL))
        if not target:
            continue
        part = target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join("xl", target))
        if part in read:
            raise InstanceError(f"two sheets of the workbook name the same part ({part}), which an .xlsx never does: "
                                "refused", zh=f"工作簿中有两个工作表指向同一部分（{part}），.xlsx 从不如此：拒绝读取",
                                source=source)
        hidden = _hidden(open_zip_member(raw, part, source, "a workbook"), source)
        pictured = _pictured(raw, part, names, source, drawings)
        read.add(part)
        hidden = Hidden(hidden.rows, hidden.columns, hidden.uncalculated, pictured) if pictured else hidden
        if hidden:
            found[sheet.get("name", "")] = hidden
    return found


def _pictured(raw: bytes, part: str, names: set[str], source: str, drawings: dict) -> frozenset[tuple[int, int]]:
    """The cells (row, column, from 0) of the sheet ``part`` in which a picture of its drawings is set: anchored from
    and to that one cell (to the next one's edge, offset 0, is within it too).  ``drawings``: those read already."""
    rels = posixpath.join(posixpath.dirname(part), "_rels", posixpath.basename(part) + ".rels")
    if rels not in names:
        return frozenset()
    found: set[tuple[int, int]] = set()
    for rel in _parse(open_zip_member(raw, rels, source, "a workbook"), source):
        target = rel.get("Target", "")
        if _local(rel.tag) != "Relationship" or not rel.get("Type", "").endswith("/drawing") or not target:
            continue
        drawing = target.lstrip("/") if target.startswith("/") else \
            posixpath.normpath(posixpath.join(posixpath.dirname(part), target))
        if drawing in names and drawing not in drawings:
            drawings[drawing] = _set_in(open_zip_member(raw, drawing, source, "a workbook"), source)
        found.update(drawings.get(drawing, ()))
    return frozenset(found)


def _set_in(xml: bytes, source: str) -> frozenset[tuple[int, int]]:
    """The cells a drawing's pictures are set in."""
    cells: set[tuple[int, int]] = set()
    for anchor in _parse(xml, source):
        ends = {_local(child.tag): child for child in anchor}
        if _local(anchor.tag) != "twoCellAnchor" or not {"from", "to"} <= ends.keys() or \
                not any(_local(element.tag) == "pic" for element in anchor.iter()):
            continue  # a shape without a picture, a chart, or a picture anchored otherwise
        (row, column), (last_row, last_column) = _corner(ends["from"], False), _corner(ends["to"], True)
        if (row, column) == (max(row, last_row), max(column, last_column)):
            cells.add((row, column))
    return frozenset(cells)


def _corner(marker: ElementTree.Element, end: bool) -> tuple[int, int]:
    """(row, column) of an anchor's ``from`` or ``to``; a ``to`` at offset 0 ends at the edge of the cell before."""
    parts = {_local(child.tag): (child.text or "").strip() for child in marker}
    row, column = _number(parts.get("row"), 0), _number(parts.get("col"), 0)
    if end and parts.get("rowOff") == "0" and row > 0:
        row -= 1
    if end and parts.get("colOff") == "0" and column > 0:
        column -= 1
    return row, column


def _hidden(xml: bytes, source: str) -> Hidden:
    _refuse_entities(xml, source)
    rows: set[int] = set()
    columns: set[int] = set()
    uncalculated: set[tuple[int, int]] = set()
    row, column = 0, 0  # of the cell being read (a row or cell may leave out its reference: the next one)
    try:
        for event, element in ElementTree.iterparse(io.BytesIO(xml), ("start", "end")):
            name = _local(element.tag)
            if event == "start":
                if name == "row":
                    row, column = _number(element.get("r"), row + 1), 0
                elif name == "c":
                    row, column = _reference(element.get("r"), row, column + 1)
                continue
            if name == "row" and (_true(element.get("hidden")) or _zero(element.get("ht"))):
                rows.add(row - 1)
            elif name == "col" and (_true(element.get("hidden")) or _zero(element.get("width"))):
                first = _number(element.get("min"), 1)
                last = min(_number(element.get("max"), first), MAX_COLUMN)
                columns.update(range(first - 1, last))
            elif name == "c" and _uncalculated(element):
                uncalculated.add((row - 1, column - 1))
            if name in ("c", "row", "col"):
                element.clear()  # read once: a sheet's cells are not kept
    except ElementTree.ParseError as exc:
        raise _broken(exc, source) from None
    return Hidden(frozenset(rows), frozenset(columns), frozenset(uncalculated))


def _parse(xml: bytes, source: str) -> ElementTree.Element:
    _refuse_entities(xml, source)
    try:
        return ElementTree.fromstring(xml)
    except ElementTree.ParseError as exc:
        raise _broken(exc, source) from None


def _broken(exc: ElementTree.ParseError, source: str) -> InstanceError:
    return InstanceError(f"the workbook's XML is broken ({exc})", zh=f"工作簿的 XML 已损坏（{exc}）", source=source)


def _refuse_entities(xml: bytes, source: str) -> None:
    if b"<!DOCTYPE" in xml[:4096] or b"<!ENTITY" in xml:
        raise InstanceError("the workbook declares XML entities, which an .xlsx never does: refused",
                            zh="工作簿声明了 XML 实体（.xlsx 从不如此）：拒绝读取", source=source)


def _local(tag: str) -> str:
    return tag.rpartition("}")[2]


def _true(value: str | None) -> bool:
    return value in ("1", "true")


def _zero(value: str | None) -> bool:
    try:
        return value is not None and float(value) == 0
    except ValueError:
        return False


def _uncalculated(cell: ElementTree.Element) -> bool:
    """A formula without a result: no ``<v>``, or an empty one where the result is not a text (an empty text is a
    formula's result too: ``=IF(A1=0,"",A1)``)."""
    parts = {_local(child.tag): child for child in cell}
    if "f" not in parts:
        return False
    return "v" not in parts or not (parts["v"].text or "").strip() and cell.get("t") != "str"


def _reference(value: str | None, row: int, column: int) -> tuple[int, int]:
    """A cell's reference (``J23``) as (row, column) from 1; without one, the cell after the last."""
    letters = (value or "").rstrip("0123456789")
    digits = (value or "")[len(letters):]
    if not letters or not letters.isascii() or not letters.isalpha() or len(letters) > 3 or not digits.isdigit():
        return row, column
    number = 0
    for letter in letters.upper():
        number = number * 26 + ord(letter) - 64
    return _number(digits, row), min(number, MAX_COLUMN)


def _number(value: str | None, default: int) -> int:
    return int(value) if value is not None and value.isascii() and value.isdigit() and 0 < int(value) <= 1 << 20 \
        else default


# --- .xls: the OLE2 container and the BIFF8 records ---------------------------------------------------------

ROW, COLINFO, BOUNDSHEET, BOF, EOF = 0x0208, 0x007D, 0x0085, 0x0809, 0x000A
MAX_SHEETS = 4096        # sheets of an .xls read for what they hide


def hidden_in_xls(raw: bytes) -> dict[str, Hidden]:
    """The hidden rows and columns of each sheet of an .xls, by sheet name; empty when the file cannot be followed
    to its end this way (calamine, which read it, is the judge of a damaged file)."""
    try:
        stream = Compound(raw).stream("Workbook")
        return _hidden_in_biff(stream) if stream else {}
    except (struct.error, IndexError, ValueError, UnicodeDecodeError):
        return {}


def _hidden_in_biff(stream: bytes) -> dict[str, Hidden]:
    """The hidden rows and columns of each worksheet of a BIFF8 workbook stream."""
    if len(stream) < 8 or struct.unpack_from("<HHH", stream, 0)[::2] != (BOF, 0x0600):
        return {}  # not BIFF8 (an older BIFF: its records differ)
    sheets: list[tuple[int, str]] = []
    at = 0
    while at + 4 <= len(stream):  # the globals: where each sheet's records start
        kind, length = struct.unpack_from("<HH", stream, at)
        if kind == BOUNDSHEET:
            position, count, wide = struct.unpack_from("<I2xBB", stream, at + 4)
            text = stream[at + 12:at + 12 + count * (2 if wide & 1 else 1)]
            sheets.append((position, text.decode("utf-16-le" if wide & 1 else "latin-1")))
        if kind == EOF:
            break
        at += 4 + length
    found = {}
    for position, name in dict(sheets[:MAX_SHEETS]).items():  # a hostile file naming one place many times: once
        rows: set[int] = set()
        columns: set[int] = set()
        at = position
        while at + 4 <= len(stream):
            kind, length = struct.unpack_from("<HH", stream, at)
            if kind == ROW and length >= 16 and struct.unpack_from("<H", stream, at + 16)[0] & 0x20:
                rows.add(struct.unpack_from("<H", stream, at + 4)[0])
            elif kind == COLINFO and length >= 10 and struct.unpack_from("<H", stream, at + 12)[0] & 1:
                first, last = struct.unpack_from("<HH", stream, at + 4)
                columns.update(range(first, min(last, MAX_COLUMN - 1) + 1))
            elif kind == EOF:
                break
            at += 4 + length
        if rows or columns:
            found[name] = Hidden(frozenset(rows), frozenset(columns))
    return found
