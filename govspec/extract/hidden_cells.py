"""Which rows and columns of a workbook's sheets Excel or WPS hides.

python-calamine gives a sheet's cells, not what is hidden, so an .xlsx's own XML says it: a row is hidden by
``<row hidden="1">`` or a height of 0, a column by ``<col hidden="1">`` or a width of 0 (hidden by hand, by a
filter, or in a collapsed outline).  Only those attributes are read, element by element; cells are not.
An .xls (binary) or .ods is not read for them (:mod:`govspec.extract.sheets` says so in docs/extraction.md).
"""

from __future__ import annotations

import io
import posixpath
import xml.etree.ElementTree as ElementTree
from dataclasses import dataclass

from govspec.errors import InstanceError
from govspec.extract.limits import open_zip_member

REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
STRICT_REL = "{http://purl.oclc.org/ooxml/officeDocument/relationships}id"
MAX_COLUMN = 16_384  # Excel's last column (XFD)


@dataclass(frozen=True)
class Hidden:
    """A sheet's hidden rows and columns, numbered from 0 as calamine numbers them."""

    rows: frozenset[int] = frozenset()
    columns: frozenset[int] = frozenset()

    def __bool__(self) -> bool:
        return bool(self.rows or self.columns)

    def shows(self, at: tuple[int, int]) -> bool:
        """The cell at ``(row, column)`` is shown."""
        return at[0] not in self.rows and at[1] not in self.columns


def hidden_in_xlsx(raw: bytes, source: str) -> dict[str, Hidden]:
    """The hidden rows and columns of each sheet of an .xlsx, by sheet name (sheets hiding none left out)."""
    workbook = _parse(open_zip_member(raw, "xl/workbook.xml", source, "a workbook"), source)
    rels = _parse(open_zip_member(raw, "xl/_rels/workbook.xml.rels", source, "a workbook"), source)
    targets = {rel.get("Id"): rel.get("Target", "") for rel in rels if _local(rel.tag) == "Relationship"}
    found = {}
    for sheet in workbook.iter():
        if _local(sheet.tag) != "sheet":
            continue
        target = targets.get(sheet.get(REL) or sheet.get(STRICT_REL))
        if not target:
            continue
        part = target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join("xl", target))
        hidden = _hidden(open_zip_member(raw, part, source, "a workbook"), source)
        if hidden:
            found[sheet.get("name", "")] = hidden
    return found


def _hidden(xml: bytes, source: str) -> Hidden:
    _refuse_entities(xml, source)
    rows: set[int] = set()
    columns: set[int] = set()
    row = 0
    try:
        for _, element in ElementTree.iterparse(io.BytesIO(xml)):  # each element once read: its cells are dropped
            name = _local(element.tag)
            if name == "row":
                row = _number(element.get("r"), row + 1)
                if _true(element.get("hidden")) or _zero(element.get("ht")):
                    rows.add(row - 1)
            elif name == "col" and (_true(element.get("hidden")) or _zero(element.get("width"))):
                first = _number(element.get("min"), 1)
                last = min(_number(element.get("max"), first), MAX_COLUMN)
                columns.update(range(first - 1, last))
            element.clear()
    except ElementTree.ParseError as exc:
        raise InstanceError(f"the workbook's XML is broken ({exc})", zh=f"工作簿的 XML 已损坏（{exc}）",
                            source=source) from None
    return Hidden(frozenset(rows), frozenset(columns))


def _parse(xml: bytes, source: str) -> ElementTree.Element:
    _refuse_entities(xml, source)
    try:
        return ElementTree.fromstring(xml)
    except ElementTree.ParseError as exc:
        raise InstanceError(f"the workbook's XML is broken ({exc})", zh=f"工作簿的 XML 已损坏（{exc}）",
                            source=source) from None


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


def _number(value: str | None, default: int) -> int:
    return int(value) if value is not None and value.isdigit() and 0 < int(value) <= 1 << 20 else default
