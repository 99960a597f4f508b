"""Excel and WPS workbooks (.xlsx, .xls, .ods) read with python-calamine: each sheet as the grid it draws.

A merged range keeps its value in its first cell; the cells merged away are left out, so every cell
keeps its grid column.  Numbers come as Excel holds them, to 15 significant digits: whole numbers as integers
(``3119``, not ``3119.0``), others in decimal form (``96171.6``, also when the double stored is the sum of a
formula, 96171.60000000002).  Each cell
says where it is: ``sheet 年报统计表 D27``.  A workbook with one sheet per body gives one report per
sheet.
"""

from __future__ import annotations

import datetime
import itertools
import math
from decimal import Decimal

from govspec.errors import InstanceError
from govspec.extract import reasons
from govspec.extract.grid import HIDDEN, PICTURE, UNCALCULATED, GridRow, Item
from govspec.extract.hidden_cells import Hidden, hidden_in_xls, hidden_in_xlsx
from govspec.extract.limits import MAX_CELLS, check_cells
from govspec.records import record

try:
    import python_calamine
except ImportError:  # pragma: no cover - a dependency of the default install
    python_calamine = None  # type: ignore[assignment]


def _calamine():
    if python_calamine is None:  # pragma: no cover
        raise InstanceError("reading Excel files needs python-calamine: pip install python-calamine",
                            zh="读取 Excel 文件需要 python-calamine：pip install python-calamine")
    return python_calamine


def _damaged(exc: BaseException) -> bool:
    """calamine failed on the file: its own errors, or a panic — calamine is Rust, and pyo3 raises
    ``PanicException``, which derives from BaseException (not Exception).  A panic is a damaged file, not a
    reason to stop; KeyboardInterrupt and the like still stop."""
    return isinstance(exc, Exception) or type(exc).__name__ == "PanicException"


def is_workbook(raw: bytes) -> bool:
    try:
        _calamine().CalamineWorkbook.from_filelike(_Bytes(raw))
    except BaseException as exc:  # noqa: BLE001 - any failure means: not a workbook calamine reads
        if _damaged(exc):
            return False
        raise
    return True


@record
class Sheet:
    """A sheet shown that holds anything: its items, and what the workbook holds there but does not show —
    ``(where, text, reason)`` of its hidden rows and columns, and of the hidden sheets."""

    name: str
    items: list[Item]
    not_read: tuple = ()


def read_workbook(raw: bytes, source: str, kind: str) -> list[Sheet]:
    """Every sheet shown that holds anything, in workbook order (``kind``: xlsx, xls or ods, by the file's
    content). What Excel or WPS does not show is not read, as hidden text is not read elsewhere: a hidden sheet
    (hidden or very hidden), and in an .xlsx or .xls the hidden rows and columns
    (:mod:`govspec.extract.hidden_cells`). Each that holds anything is said, at its first cell holding text. A
    workbook whose only content is on hidden sheets is refused. In an .xlsx, a formula whose result the file
    does not keep is withheld, not read as a blank."""
    calamine = _calamine()
    try:
        book = calamine.CalamineWorkbook.from_filelike(_Bytes(raw))
    except calamine.PasswordError:
        raise InstanceError("the workbook is protected by a password: save an unprotected copy",
                            zh="工作簿受密码保护：请另存一份无密码的副本", source=source) from None
    except BaseException as exc:  # noqa: BLE001 - calamine's own errors (zip, XML, format), and its panics
        if _damaged(exc):
            raise InstanceError(f"cannot read the workbook: {exc}", zh=f"无法读取工作簿（{exc}）", source=source) from None
        raise
    hidden_sheets = {m.name for m in book.sheets_metadata if m.visible != calamine.SheetVisibleEnum.Visible}
    hidden_cells = hidden_in_xlsx(raw, source) if kind == "xlsx" else hidden_in_xls(raw) if kind == "xls" else {}
    read = []
    total = 0
    for name in book.sheet_names:
        try:
            sheet = book.get_sheet_by_name(name)
            total += sheet.height * sheet.width
            check_cells(total, source)
            items, not_shown = sheet_items(sheet, name, hidden_cells.get(name, Hidden()))
        except InstanceError:
            raise
        except BaseException as exc:  # noqa: BLE001 - as above
            if _damaged(exc):
                raise InstanceError(f"cannot read sheet {name!r}: {exc}",
                                    zh=f"无法读取工作表“{name}”（{exc}）", source=source) from None
            raise
        read.append((name, items, not_shown, name in hidden_sheets))
    return shown_sheets(read, source)


def shown_sheets(read: list[tuple[str, list[Item], list, bool]], source: str) -> list[Sheet]:
    """The sheets shown that hold anything, from each sheet read — ``(name, items, what it does not show, hidden)`` — in
    workbook order: a hidden sheet holding anything is said on each (at its first cell holding text), and a workbook
    whose only content is on hidden sheets is refused."""
    sheets, hidden_found = [], []
    for name, items, not_shown, hidden in read:
        if hidden:
            first = _first_text(items) or next(((text, where) for where, text, _ in not_shown), None)
            if first is not None:
                hidden_found.append((name, (first[1], first[0], reasons.HIDDEN_SHEET)))
        elif items:
            sheets.append(Sheet(name, items, tuple(not_shown)))
    if hidden_found and not any(_first_text(sheet.items) for sheet in sheets):
        names = "、".join(name for name, _ in hidden_found)
        raise InstanceError(f"the workbook's only content is on hidden sheets ({names}), which are not read: unhide "
                            "the sheet that holds the report", zh=f"工作簿的内容只在隐藏的工作表中（{names}），隐藏的工作表不予"
                            "读取：请取消隐藏报告所在的工作表", source=source)
    said = tuple(note for _, note in hidden_found)
    return [Sheet(sheet.name, sheet.items, sheet.not_read + said) for sheet in sheets] if said else sheets


def _first_text(items: list[Item]) -> tuple[str, str] | None:
    """The first cell of a sheet that holds text: ``(text, where)``."""
    return next(((text, where) for item in items if isinstance(item, GridRow) for text, where in item.cells
                 if text.strip()), None)


def _first_shown(top: int, bottom: int, left: int, right: int, hidden: Hidden) -> tuple[int, int] | None:
    """The first cell of a range, row by row, that is shown (in a row and a column not hidden), found without walking
    the range; None when every cell of it is hidden."""
    row = next((r for r in range(top, bottom + 1) if r not in hidden.rows), None)
    column = next((c for c in range(left, right + 1) if c not in hidden.columns), None)
    return None if row is None or column is None else (row, column)


def sheet_items(sheet, name: str, hidden: Hidden) -> tuple[list[Item], list]:
    """The sheet's rows as shown: the text of a cell in a hidden row or column is withheld
    (:data:`~govspec.extract.grid.HIDDEN`), the cell keeping its place — so that no cell after it shifts into its
    column, and no row after it takes its place (the value row of section 四) — and so is a formula's without a
    result (:data:`~govspec.extract.grid.UNCALCULATED`: not a blank); and ``(where, text, reason)`` at the first
    cell holding text of each hidden row and column."""
    start_row, start_col = sheet.start or (0, 0)
    rows = sheet.to_python(skip_empty_area=False)
    covered: set[tuple[int, int]] = set()
    shown_at: dict[tuple[int, int], tuple[int, int]] = {}  # a merged range whose first cell is hidden: where it shows
    # Only the cells of the sheet's data are read, so a merged range is walked only where it covers them: a file of a
    # few KB can merge A1:XFD1048576 (17 billion cells), and overlapping ranges can cover the data many times over.
    last_row, last_col = start_row + len(rows) - 1, start_col + max(map(len, rows), default=0) - 1
    walked = 0
    for (top, left), (bottom, right) in sheet.merged_cell_ranges or ():
        anchor = (top, left)
        if hidden and not hidden.shows(anchor):
            anchor = _first_shown(top, bottom, left, right, hidden) or anchor
            if anchor != (top, left):
                shown_at[anchor] = (top, left)
        rows_in, columns_in = range(top, min(bottom, last_row) + 1), range(left, min(right, last_col) + 1)
        walked += len(rows_in) * len(columns_in)
        if walked > MAX_CELLS:
            raise InstanceError(f"the merged cells of sheet {name!r} cover more than {MAX_CELLS} cells (ranges over "
                                "one another): refused",
                                zh=f"工作表“{name}”的合并单元格覆盖超过 {MAX_CELLS} 个单元格（合并区域相互重叠）：拒绝读取")
        covered.update(at for at in itertools.product(rows_in, columns_in) if at != anchor)
    items: list[Item] = []
    not_shown: dict[tuple[str, int], tuple] = {}  # ("row" | "column", index) -> (its first cell holding text, said)
    for r, row in enumerate(rows):
        cells = []
        for c, value in enumerate(row):
            at = (start_row + r, start_col + c)
            if at in covered:
                continue
            if at in shown_at:
                value = _value_at(rows, shown_at[at][0] - start_row, shown_at[at][1] - start_col)
            text, where = _text(value), f"sheet {name} {_column(at[1])}{at[0] + 1}"
            if hidden and not hidden.shows(at) and text.strip():
                key = ("row", at[0]) if at[0] in hidden.rows else ("column", at[1])
                if key not in not_shown:
                    not_shown[key] = (at, (where, text, reasons.HIDDEN_ROW if key[0] == "row" else reasons.HIDDEN_COLUMN))
                text = HIDDEN  # keeps its column: the cells after it are not shifted into it
            elif at in hidden.uncalculated and not text.strip():
                text = UNCALCULATED  # shows what Excel calculates: not a blank
            elif at in hidden.pictured and not text.strip():
                text = PICTURE  # a picture set in the cell: not read, and no blank
            cells.append((text, where))
        items.append(GridRow(tuple(cells)))  # empty cells and rows are kept: a blank cell has its column
    return items, [said for _, said in sorted(not_shown.values())]


def _value_at(rows: list, r: int, c: int):
    return rows[r][c] if 0 <= r < len(rows) and 0 <= c < len(rows[r]) else None


# Excel and WPS keep a number to 15 significant digits (what is typed beyond them is dropped, and what is shown is
# rounded to them), so a stored double with more — the sum of a formula, 96171.60000000002 — shows as its 15 digits.
EXCEL_DIGITS = 15


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value).upper()
    if isinstance(value, float):
        if not math.isfinite(value):
            return str(value)
        shown = Decimal(format(value, f".{EXCEL_DIGITS}g"))  # as Excel and WPS hold it: 96171.6, not 96171.60000000002
        if shown == shown.to_integral_value():
            return str(int(shown))
        return format(shown, "f")
    if isinstance(value, datetime.datetime):
        return value.date().isoformat() if value.time() == datetime.time() else value.isoformat(sep=" ")
    if isinstance(value, (datetime.date, datetime.time, datetime.timedelta)):
        return str(value)
    return str(value)


def _column(index: int) -> str:
    name = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        name = chr(65 + rest) + name
    return name


class _Bytes:
    """A file-like object over bytes, for calamine."""

    def __init__(self, raw: bytes) -> None:
        import io
        self._io = io.BytesIO(raw)

    def read(self, size: int = -1) -> bytes:
        return self._io.read(size)

    def seek(self, offset: int, whence: int = 0) -> int:
        return self._io.seek(offset, whence)

    def tell(self) -> int:
        return self._io.tell()
