"""CSV wide on the fast path: where a header puts the metadata and the cells, a row's texts in the order the
fast checker packs them, and a block of rows — read as columns by Arrow (:mod:`govspec.io.arrow_csv`), or as rows by
the ``csv`` module and gathered (:mod:`govspec.io.row_blocks`) — packed at once."""

from __future__ import annotations

import operator
from collections.abc import Generator, Iterator
from functools import partial
from typing import Any

from govspec.check.fastpath import NUMPY_FROM, FastChecker, _numpy
from govspec.check.metadata import FACTS_READ, agency_given
from govspec.check.pending import Pending
from govspec.errors import GovspecError
from govspec.io.arrow_csv import Block, arrow
from govspec.io.csv_blocks import skipped_row
from govspec.io.csv_keys import place
from govspec.io.instance import Unreadable
from govspec.io.readers import (
    METADATA,
    REPORT_COLUMNS,
    as_published,
    csv_rows,
    is_long,
    no_report_in_csv,
    read_path,
    wide_instance,
    wide_items,
)
from govspec.io.row_blocks import RowBlock, row_blocks
from govspec.io.values import ascii_digits

Rows = Block | RowBlock  # consecutive rows of a file, read by Arrow or by the csv module
LONGEST = 18  # digits of a count packed from a column (any such number fits in 64 bits); longer: row by row


class WidePlan:
    """Where the metadata and the cells are in the columns of a CSV-wide header."""

    def __init__(self, header: list) -> None:
        self.header = header
        position = {name: i for i, name in enumerate(header)}
        self.position = position
        known = set(METADATA + REPORT_COLUMNS)
        self.meta = [(name, i) for name, i in position.items() if name in known]
        self.unknown = any(name and name not in known and name.count(".") != 2 for name in header)
        self._getters: dict = {}
        self._columns: dict = {}
        self.judgements: dict = {}  # rows' facts (facts) -> their judgement (Validator._judged), for this file

    def metadata_at(self, block: Rows, i: int) -> dict:
        """The same for row ``i`` of a block, each column's distinct texts placed once for the whole block."""
        top, report = self._placed_block(block)
        document: dict = {"tables": {}}
        for name, values in top:
            document[name] = values[i]
        if report:
            document["report"] = {name: values[i] for name, values in report}
        return document

    def facts(self, block: Rows) -> list:
        """What the checks of each row's facts read of it (:data:`~govspec.check.metadata.FACTS_READ`), from the block's
        columns: the spec and version, the values of FACTS_READ, whether the agency is named (the keys are the
        header's, the same for every row of the file); each column's distinct texts placed once."""
        found = block.made.get("facts")
        if found is None:
            top, report = self._placed_block(block)
            read = [values for _, values in top] + [values for name, values in report if name in FACTS_READ]
            read += [list(map(agency_given, values)) for name, values in report if name == "agency"]
            found = block.made["facts"] = list(zip(*read)) if read else [()] * block.size
        return found

    def _placed_block(self, block: Rows) -> tuple[list, list]:
        """The metadata columns of a block, each column's distinct texts placed once."""
        found = block.made.get("metadata")
        if found is None:
            found = block.made["metadata"] = self._placed(block)
        return found

    def _placed(self, block: Rows) -> tuple[list, list]:
        top: list = []
        report: list = []
        for name, index in self.meta:
            placed = {}
            for text in dict.fromkeys(block.texts(index)):
                scratch: dict = {"tables": {}}
                place(scratch, name, text, "")
                placed[text] = scratch["report"][name[len("report."):]] if name.startswith("report.") else scratch[name]
            values = list(map(placed.__getitem__, block.texts(index)))
            (report if name.startswith("report.") else top).append((name.removeprefix("report."), values))
        return top, report

    def _cell_columns(self, checker: FastChecker) -> tuple[list, list] | None:
        """The columns of the checker's integer cells and of its amounts, when the header has exactly its cells."""
        if checker not in self._columns:
            ids = checker.integer_ids
            money = [c.id for c in checker.money_cells]
            cell_columns = {name for name in self.header if name.count(".") == 2}
            self._columns[checker] = None if cell_columns != set(ids) | set(money) or len(ids) < 2 else (
                [self.position[i] for i in ids], [self.position[m] for m in money])
        return self._columns[checker]

    def cells(self, checker: FastChecker, row: list) -> tuple[list, list] | None:
        """The integer cells' texts and the amounts' texts of a row, in the checker's order."""
        getters: Any = self._getters.get(checker)
        if getters is None:
            columns = self._cell_columns(checker)
            getters = self._getters[checker] = False if columns is None else (
                operator.itemgetter(*columns[0]), columns[1])
        if getters is False:
            return None
        return list(getters[0](row)), [row[i].strip() for i in getters[1]]

    def block_cells(self, checker: FastChecker, block: Rows) -> tuple[list, list] | None:
        """Every row of a block packed for ``checker`` at once: each row's integers as 64-bit words (None for a
        row with a text that is not a plain unsigned integer of at most 18 digits: that row is packed from its
        texts, or goes to the detailed path, as a row read alone would), and the amounts' columns of texts."""
        key = ("cells", checker)
        if key not in block.made:
            columns = self._cell_columns(checker)
            if columns is None:
                block.made[key] = None
            else:
                words = _text_words(block, columns[0]) if isinstance(block, RowBlock) else _words(block, columns[0])
                block.made[key] = words, [block.texts(i) for i in columns[1]]
        return block.made[key]


def _words(block: Block, indices: list) -> list:
    """The rows' integers as words, a whole column at a time: Arrow's kernels on the texts, numpy on their buffers
    (no Python value goes into Arrow, which would load pandas where it is installed: 35 MB)."""
    pa, _, pc = arrow()
    import numpy  # a core dependency; loaded here only when a block is read

    texts = pa.concat_arrays([block.columns[i] for i in indices])  # column after column
    digits = pc.ascii_is_decimal(texts)  # not empty, and every character an ASCII digit (0-9)
    lengths = _values(numpy, pc.binary_length(texts), numpy.int32)
    plain = numpy.unpackbits(numpy.frombuffer(digits.buffers()[1], numpy.uint8), bitorder="little")
    plain = plain[digits.offset:digits.offset + len(digits)].astype(bool) & (lengths <= LONGEST)
    try:
        if plain.all():  # most blocks: every text cast as it is (the other kernels below, some 7 µs a row)
            numbers = pc.cast(texts, pa.int64())
        else:  # longer numbers are not packed (below): cut, they cast; any other text cast as 0
            short = pc.utf8_slice_codeunits(texts, 0, LONGEST)
            numbers = pc.cast(pc.if_else(digits, short, pc.utf8_replace_slice(texts, 0, 1 << 62, "0")), pa.int64())
    except pa.ArrowException:  # not expected of plain digits; then every row is packed from its texts
        return [None] * block.size
    width, size = len(indices), block.size
    good = plain.reshape(width, size).all(axis=0).tolist()
    rows = numpy.ascontiguousarray(_values(numpy, numbers, numpy.int64).reshape(width, size).T).tobytes()
    step = 8 * width
    return [rows[k * step:(k + 1) * step] if good[k] else None for k in range(size)]


def _text_words(block: RowBlock, indices: list) -> list:
    """The same for rows the ``csv`` module read: the rows whose texts in these columns are all plain unsigned integers
    of at most 18 ASCII digits, parsed together by numpy from one text (each row's texts set apart by commas); None for
    any other row, and for every row of a block too small to gain from numpy (some 60–100 ms to import)."""
    np = _numpy() if block.size >= NUMPY_FROM else None
    if np is None:
        return [None] * block.size
    pick = operator.itemgetter(*indices)  # at least two columns (WidePlan._cell_columns)
    plain: list[str] = []
    rows: list[int] = []
    for k, row in enumerate(block.rows):
        texts = pick(row)
        digits = "".join(texts)
        if ascii_digits(digits) and all(texts):
            plain.append(",".join(texts))
            rows.append(k)
    width = len(indices)
    text = ",".join(plain)
    if plain:  # a number of more than 18 digits: that row alone, as Arrow's are (its text's commas tell the lengths)
        commas = np.flatnonzero(np.frombuffer(f",{text},".encode("ascii"), np.uint8) == ord(","))
        long = np.flatnonzero(np.diff(commas) > LONGEST + 1) // width
        if long.size:
            dropped = set(long.tolist())
            rows = [k for n, k in enumerate(rows) if n not in dropped]
            text = ",".join([texts for n, texts in enumerate(plain) if n not in dropped])
    numbers = np.fromstring(text, dtype=np.int64, sep=",") if rows else np.zeros(0, np.int64)
    if numbers.size != width * len(rows):  # not expected of plain digits; then every row is packed from its texts
        return [None] * block.size
    packed = numbers.tobytes()
    step = 8 * width
    words: list = [None] * block.size
    for n, k in enumerate(rows):
        words[k] = packed[n * step:(n + 1) * step]
    return words


def _values(numpy: Any, array: Any, dtype: Any) -> Any:
    """The values of an Arrow array of fixed-width numbers without nulls, as a numpy view of its buffer."""
    return numpy.frombuffer(array.buffers()[1], dtype, count=len(array), offset=array.offset * numpy.dtype(dtype).itemsize)


def csv_pendings(validator: Any, path: str) -> Iterator[Pending]:
    """A CSV-wide file through the fast path, a block of rows at a time (read by Arrow, or by the ``csv`` module and
    gathered); anything else (CSV long, unreadable, a row the blocks do not hold) as the detailed path reads it."""
    try:
        with csv_rows(path) as (header, rows):
            if is_long(header) or as_published(header):
                raise _NotWide
            if not (yield from _pendings(validator, path, header, wide_items(path, header, rows))):
                raise no_report_in_csv(path)
    except _NotWide:
        for found in read_path(path):
            yield Pending(getattr(found, "source", path), result=validator._detailed(found))
    except GovspecError as error:
        yield Pending(path, result=Unreadable(path, error))


def range_pendings(validator: Any, path: str, start: int, end: int, first: int) -> Iterator[Pending]:
    """The reports of the byte range ``start``–``end`` of a CSV-wide file that :func:`govspec.io.csv_ranges.splittable`
    let :mod:`govspec.check.parallel` cut (its first line is ``first``): as :func:`csv_pendings` gives them."""
    from govspec.io.csv_ranges import range_items
    try:
        with csv_rows(path) as (header, _rows):
            pass  # the header, as the file's own reading reads it
        yield from _pendings(validator, path, header, range_items(path, header, start, end, first))
    except GovspecError as error:
        yield Pending(path, result=Unreadable(path, error))


def _pendings(validator: Any, path: str, header: list, items: Iterator) -> Generator[Pending, None, int]:
    """The reports of a CSV-wide file's rows (:func:`~govspec.io.readers.wide_items`), in order; returns how many."""
    plan = WidePlan(header)
    count = 0
    for item in row_blocks(items, len(header)):
        if type(item) is tuple:  # a row of another width, or a field over several lines: the detailed path
            # refuses it (an unclosed quote?), wherever it is — in a cell or in the report's facts
            line, row = item
            count += 1
            yield Pending(f"{path}:{line}", redo=_redo(validator, path, header, row, line))
            continue
        for pending in _block_pendings(validator, path, plan, item):
            count += 1
            yield pending
    return count


def _block_pendings(validator: Any, path: str, plan: WidePlan, block: Rows) -> Iterator[Pending]:
    first = block.texts(0)
    for i in range(block.size):
        head = first[i]
        if head.lstrip().startswith("#") or (not head.strip() and skipped_row(block.row(i))):
            continue  # a comment row (the labels), or an empty one: as the csv module's rows are read
        line = block.line(i)
        source = f"{path}:{line}"
        pending = Pending(source, redo=_block_redo(validator, path, plan.header, block, i, line))
        pending.fast = _block_fast(validator, plan, block, i, source) if validator.fast else None
        yield pending


def _block_fast(validator: Any, plan: WidePlan, block: Rows, i: int, source: str):
    """Row ``i`` of a block on the fast path: its facts judged once for the rows alike in them (:meth:`WidePlan.facts`),
    its cells packed from the block's columns; None for the detailed path."""
    if plan.unknown:
        return None
    document = plan.metadata_at(block, i)
    judged = validator._judged(document, source, plan.facts(block)[i], plan.judgements)
    if judged is None:
        return None
    checker, how = judged
    cells = plan.block_cells(checker, block)
    if cells is None:
        return None
    words, amounts = cells
    money = [column[i].strip() for column in amounts]
    if words[i] is None:  # a text that is not a plain short integer: as a row read alone
        texts = plan.cells(checker, block.row(i))
        assert texts is not None
        pack = partial(checker.pack_texts, texts[0], money)
    else:
        pack = partial(checker.pack_words, words[i], money)
    return validator._fast(checker, document, how, pack)


class _NotWide(Exception):
    """A CSV file that is not CSV wide: read it whole, as the detailed path does."""


def _redo(validator: Any, path: str, header: list, row: list, line: int):
    def redo():
        return validator._detailed(wide_instance(path, header, row, line))
    return redo


def _block_redo(validator: Any, path: str, header: list, block: Rows, i: int, line: int):
    def redo():
        return validator._detailed(wide_instance(path, header, block.row(i), line))
    return redo
