"""XML Spreadsheet 2003 (SpreadsheetML): what Excel saves as "XML Spreadsheet 2003", and what systems that export
statistics as "Excel" write — often named .xls.  One XML file holding each worksheet's rows and cells, read as a
workbook's sheets are (:mod:`govspec.extract.sheets`): a cell keeps its grid column (``ss:Index`` skips cells and
rows), a merged range (``ss:MergeAcross``, ``ss:MergeDown``) keeps its value in its first cell, hidden rows and
columns (``ss:Hidden``) and hidden sheets (``<Visible>SheetHidden</Visible>``) are not read, and a number is taken as
Excel shows it (to 15 significant digits; a whole number as written, exactly).
"""

from __future__ import annotations

import xml.etree.ElementTree as ElementTree

from govspec.extract.hidden_cells import MAX_COLUMN, Hidden
from govspec.extract.limits import check_cells
from govspec.extract.office_xml import office_root

SS = "{urn:schemas-microsoft-com:office:spreadsheet}"
EXCEL = "{urn:schemas-microsoft-com:office:excel}"


def is_spreadsheetml(text: str) -> bool:
    """Whether a text is an XML Spreadsheet 2003 (its root ``Workbook`` in the spreadsheet namespace)."""
    head = text[:4096]
    return "urn:schemas-microsoft-com:office:spreadsheet" in head and "Workbook" in head


def read_spreadsheetml(text: str, source: str):
    """The sheets shown that hold anything (:class:`govspec.extract.sheets.Sheet`), in workbook order."""
    from govspec.extract.sheets import sheet_items, shown_sheets
    root = office_root(text, source, f"{SS}Workbook", ("XML spreadsheet", "XML 电子表格"), "Excel")
    read, total = [], 0
    for number, worksheet in enumerate(root.iter(f"{SS}Worksheet"), 1):
        name = worksheet.get(f"{SS}Name") or f"Sheet{number}"
        grid = _Grid(worksheet.find(f"{SS}Table"))
        total += grid.cells
        check_cells(total, source)
        visible = worksheet.find(f"{EXCEL}WorksheetOptions/{EXCEL}Visible")
        hidden_sheet = visible is not None and (visible.text or "").strip() in ("SheetHidden", "SheetVeryHidden")
        items, not_shown = sheet_items(grid, name, Hidden(frozenset(grid.hidden_rows), frozenset(grid.hidden_columns)))
        read.append((name, items, not_shown, hidden_sheet))
    return shown_sheets(read, source)


class _Grid:
    """A worksheet's table as python-calamine gives a sheet (:func:`govspec.extract.sheets.sheet_items` reads it): its
    rows of values from the first row and column, and its merged ranges, numbered from 0."""

    start = (0, 0)

    def __init__(self, table: ElementTree.Element | None) -> None:
        self.values: dict[tuple[int, int], object] = {}
        self.merged_cell_ranges: list[tuple[tuple[int, int], tuple[int, int]]] = []
        self.hidden_rows: set[int] = set()
        self.hidden_columns: set[int] = set()
        if table is None:
            self.cells = 0
            return
        column = 0
        for element in table.findall(f"{SS}Column"):
            column = _index(element, column)
            span = _number(element.get(f"{SS}Span"))
            if element.get(f"{SS}Hidden") == "1":  # within Excel's columns: a hostile span holds no million of them
                self.hidden_columns.update(range(column, min(column + span + 1, MAX_COLUMN)))
            column += span + 1
        row = 0
        for element in table.iter(f"{SS}Row"):
            row = _index(element, row)
            if element.get(f"{SS}Hidden") == "1":
                self.hidden_rows.add(row)
            column = 0
            for cell in element.iter(f"{SS}Cell"):
                column = _index(cell, column)
                across, down = _number(cell.get(f"{SS}MergeAcross")), _number(cell.get(f"{SS}MergeDown"))
                data = cell.find(f"{SS}Data")
                if data is not None:
                    self.values[(row, column)] = _value(data)
                if across or down:
                    self.merged_cell_ranges.append(((row, column), (row + down, column + across)))
                column += across + 1
            row += 1
        self.height = 1 + max((at[0] for at in self.values), default=-1)
        self.width = 1 + max((at[1] for at in self.values), default=-1)
        self.cells = self.height * self.width
        check_cells(self.cells)  # before a row of them is made

    def to_python(self, skip_empty_area: bool = False) -> list[list]:
        rows: list[list] = [[None] * self.width for _ in range(self.height)]
        for (row, column), value in self.values.items():
            rows[row][column] = value
        return rows


def _index(element: ElementTree.Element, following: int) -> int:
    """Where a row, column or cell stands (numbered from 0): its ``ss:Index`` (from 1), else after the one before."""
    given = element.get(f"{SS}Index")
    return _number(given, 1) - 1 if given is not None else following


def _number(text: str | None, least: int = 0) -> int:
    try:
        value = int(text or 0)
    except ValueError:
        return least
    return value if least <= value <= 1 << 20 else least  # Excel's last row; a hostile index does not reach past it


def _value(data: ElementTree.Element) -> object:
    """A cell's value as the sheets' reader takes it: text as written (rich text's runs joined), a whole number exactly,
    another number as a float (shown to Excel's 15 digits), a date without its time of midnight."""
    text = "".join(_texts(data))
    kind = data.get(f"{SS}Type")
    if kind == "Number":
        stripped = text.strip()
        if stripped.lstrip("-").isdigit() and stripped.isascii():
            return int(stripped)
        try:
            return float(stripped)
        except ValueError:
            return text
    if kind == "DateTime" and text.endswith("T00:00:00.000"):
        return text[:-len("T00:00:00.000")]
    return text


def _texts(element: ElementTree.Element) -> list[str]:
    """The text of an element and of the runs within it (rich text, in HTML elements), in order, without recursion (a
    hostile file may nest them deeper than Python recurses)."""
    found: list[str] = []
    waiting: list[tuple[ElementTree.Element, bool]] = [(element, False)]
    while waiting:
        node, closing = waiting.pop()
        if closing:
            if node is not element and node.tail:
                found.append(node.tail)
            continue
        if node.text:
            found.append(node.text)
        waiting.append((node, True))
        waiting.extend((child, False) for child in reversed(node))
    return found
