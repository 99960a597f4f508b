"""The fast path: decide at the speed of parsing that an instance has no finding at all.

A spec is compiled once into a packing layout (every cell's place in a flat row of values) and
a matrix of its linear checks.  An instance that is complete (every cell reported), well typed
and whose metadata is in order is packed; a batch of packed rows is checked with one matrix
product.  Anything else — a blank, a string, a broken identity, a rule that is not a plain
linear comparison — is handed to the detailed path (:mod:`govspec.validator`), which explains
it.  So the fast path only ever answers "clean"; the two paths agree by construction and by test.

Exactness: values are integers, checked to be small enough (|v| ≤ 2**53 / the largest sum of
|coefficients| of any check) that the 64-bit sums of each check, column by column, are exact.  Larger
values, money in a rule, a chunk too small to gain from numpy, or no numpy: the check is done in exact
Python integers instead.  numpy is imported when a chunk first needs it (start-up stays short).
"""

from __future__ import annotations

import importlib
import operator
import re
import struct
from array import array
from dataclasses import field
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from govspec.check.content import packed_digest, packing
from govspec.check.metadata import NOTES, metadata_findings
from govspec.check.packed import PackedValues, Packing
from govspec.io.values import ascii_digits
from govspec.records import record
from govspec.rules.linear import exact
from govspec.spec.compiler import CompiledSpec

if TYPE_CHECKING:  # imported when a line is first read (msgspec: start-up stays short)
    from govspec.check.gate import Gate

_UNLOADED: Any = object()
numpy: Any = _UNLOADED  # imported by _numpy() when a chunk is large enough to gain from it; None: absent
NUMPY_FROM = 32  # packed instances in a chunk from which numpy checks them at once


def _numpy() -> Any:
    global numpy
    if numpy is _UNLOADED:
        try:
            numpy = importlib.import_module("numpy")
        except ImportError:  # pragma: no cover - exercised where numpy is absent
            numpy = None
    return numpy

READING_PLANS = 4096  # sets of failing checks whose reading is kept (FastChecker._failing_reads)
_PLAIN_DECIMAL = re.compile(r"\d+(\.\d+)?\Z")


@record
class LinearCheck:
    key: str
    coefficients: tuple  # (cell index, integer coefficient)
    constant: int
    op: str


@record(frozen=False)
class Batch:
    """Packed instances waiting for one check of the whole chunk."""

    money: list = field(default_factory=list)   # every instance's row of amounts (exact decimals or integers)
    size: int = 0
    failing: dict = field(default_factory=dict)  # position -> keys of the linear checks that fail there
    integers: array = field(default_factory=lambda: array("q"))  # ``words`` as an array, once checked
    words: bytearray = field(default_factory=bytearray)  # every instance's integers, in packing order, as 64-bit words
    unpacked: set = field(default_factory=set)  # positions holding an integer beyond 64 bits, or a fraction
    negative: set = field(default_factory=set)  # positions holding a negative count, once checked


class FastChecker:
    """A compiled spec, packed for the fast path."""

    def __init__(self, spec: CompiledSpec) -> None:
        self.spec = spec
        # Packing order: rows whose cells are all integers first, then the rows holding money.
        rows, integer_rows, money_rows = packing(spec)
        order = [c for key in integer_rows for c in rows[key]]
        self.money_cells = tuple(c for key in money_rows for c in rows[key])
        self.integer_ids = tuple(c.id for c in order)
        self.width = len(order)
        self._row = struct.Struct(f"{self.width}q")  # a row of integers as 64-bit words, as array("q") holds them
        index = {cell_id: i for i, cell_id in enumerate(self.integer_ids)}
        self._index = index
        self._plans: dict = {}  # cell ids asked for by values_rows -> where they are packed
        # where the values the rules across reports read are packed, when they are all integers (across_words)
        across = spec.across_cells
        self._across_columns = [index[c] for c in across] if all(c in index for c in across) else None
        self.cell_ids = tuple(c.id for c in spec.cells)
        self.packing = Packing(self.integer_ids, tuple(c.id for c in self.money_cells),
                               frozenset(c.id for c in self.money_cells if c.type == "money"), self.cell_ids)
        self.key_count = len({t for t, _ in rows}) + len(rows) + len(spec.cells)  # keys of a complete "tables"
        self.counts = tuple(i for i, c in enumerate(order) if c.type == "count")
        self._counts_of = operator.itemgetter(*self.counts) if len(self.counts) > 1 else \
            (lambda row: [row[i] for i in self.counts])
        self._gate: Gate | None = None
        linear, other = [], []
        for check in spec.checks:
            comparison, form = check.comparison, None
            if comparison is not None and check.rule.decl.tolerance == 0 \
                    and all(cell in index for cell in check.cells):
                form = comparison.integer_form()
            if comparison is None or form is None:
                other.append(check)
            else:
                coefficients = tuple(sorted((index[c], k) for c, k in form[0].items()))
                linear.append(LinearCheck(check.key, coefficients, form[1], comparison.op))
        self.linear = tuple(linear)
        self._reads = {check.key: tuple((cell, index[cell]) for cell in check.cells)
                       for check in spec.checks if any(check.key == lc.key for lc in linear)}
        self._keys = tuple(lc.key for lc in linear)
        self._reading: dict = {}  # failing checks -> what explaining them reads (_failing_reads)
        self.other = tuple(other)  # evaluated exactly, per instance
        widest = max((sum(abs(c) for _, c in lc.coefficients) + abs(lc.constant) for lc in linear), default=1)
        self.bound = (2 ** 53) // max(widest, 1)

    # --- packing ----------------------------------------------------------------------------

    @property
    def gate(self) -> Gate:
        """The structure gate of JSON Lines for this spec (:mod:`govspec.check.gate`), made when first used."""
        if self._gate is None:
            from govspec.check.gate import Gate
            self._gate = Gate(self.spec, self.key_count)
        return self._gate

    def pack(self, integers: list, money: list, batch: Batch) -> bool:
        """Add an instance the gate has read: its integers and amounts in packing order."""
        try:
            batch.words += self._row.pack(*integers)
        except struct.error:  # beyond 64 bits: the detailed path's (its row is zeros, and it is never called clean)
            batch.words += bytes(8 * self.width)
            batch.unpacked.add(batch.size)
        batch.money.append(money)
        batch.size += 1
        return True

    def pack_texts(self, texts: list, money_texts: list, batch: Batch) -> bool:
        """Add CSV text cells (``texts`` in :attr:`integer_ids` order, ``money_texts`` in
        :attr:`money_cells` order) when each is a plain unsigned integer (or decimal, for amounts)."""
        if not all(texts):
            return False
        joined = "".join(texts)
        if not ascii_digits(joined):
            return False
        if not _plain_amounts(money_texts):
            return False
        return self.pack(list(map(int, texts)), [Decimal(text) for text in money_texts], batch)

    def pack_words(self, words: bytes, money_texts: list, batch: Batch) -> bool:
        """Add a CSV row whose integers were packed as 64-bit words with the rest of its block
        (:mod:`govspec.check.wide`), when its amounts are plain too."""
        if not _plain_amounts(money_texts):
            return False
        batch.words += words
        batch.money.append([Decimal(text) for text in money_texts])
        batch.size += 1
        return True

    # --- metadata ---------------------------------------------------------------------------

    def metadata_clean(self, document: dict, selected_by: str) -> bool:
        """True when the detailed path would find nothing to say about the metadata (it asks the same
        checks: :func:`govspec.check.report.metadata_findings`)."""
        if document.get("unseen"):
            return False
        return all(f.code in NOTES for f in metadata_findings(document, self.spec, selected_by))

    # --- rules ------------------------------------------------------------------------------

    def clean(self, batch: Batch) -> list[bool]:
        """For each packed instance: no negative count and every check holds."""
        if not batch.size:
            return []
        self._words(batch)
        np = _numpy() if batch.size >= NUMPY_FROM else None
        if np is not None:
            flags, exact = self._clean_numpy(batch, np)
        else:
            flags, exact = [True] * batch.size, list(range(batch.size))
        for position in exact:
            row = batch.integers[position * self.width:(position + 1) * self.width].tolist()
            failing = tuple(check.key for check in self.linear if not _holds(check, row))
            batch.failing[position] = failing
            if self.counts and min(self._counts_of(row)) < 0:
                batch.negative.add(position)
            flags[position] = position not in batch.negative and not failing
        for position in batch.unpacked:
            flags[position] = False
            batch.failing.pop(position, None)
        if self.other:
            for position in range(batch.size):
                if flags[position]:
                    row = batch.integers[position * self.width:(position + 1) * self.width].tolist()
                    flags[position] = self._other_hold(row, batch.money[position])
        return flags

    def _words(self, batch: Batch) -> None:
        """The chunk's integers as an array of 64-bit words, in one conversion."""
        batch.integers = array("q")
        batch.integers.frombytes(batch.words)

    def _clean_numpy(self, batch: Batch, np):
        """Every packed instance at once: each check's sum column by column, in 64-bit integers (exact for
        values within :attr:`bound`; the others are checked again in Python integers)."""
        matrix = np.frombuffer(batch.integers, dtype=np.int64).reshape(batch.size, self.width)
        columns = matrix.T  # one contiguous column per cell is not needed: a strided view is read once
        ok = np.ones(batch.size, dtype=bool)
        if self.counts:
            negative = matrix[:, self.counts].min(axis=1) < 0
            batch.negative.update(np.flatnonzero(negative).tolist())
            ok &= ~negative
        large = np.abs(matrix).max(axis=1) > self.bound if self.width else np.zeros(batch.size, bool)
        if self.linear:
            holds = np.empty((len(self.linear), batch.size), dtype=bool)
            for k, check in enumerate(self.linear):
                total = np.full(batch.size, check.constant, dtype=np.int64)
                for i, c in check.coefficients:
                    if c == 1:
                        total += columns[i]
                    elif c == -1:
                        total -= columns[i]
                    else:
                        total += columns[i] * c
                holds[k] = _COMPARE[check.op](total)
            failing: dict = {}  # position -> its failing checks, in check order (nonzero reads check by check)
            keys = self._keys
            for k, position in zip(*(found.tolist() for found in np.nonzero(~holds))):
                failing.setdefault(position, []).append(keys[k])
            batch.failing.update((position, tuple(found)) for position, found in failing.items())
            ok &= holds.all(axis=0)
        return ok.tolist(), np.flatnonzero(large).tolist()

    def explainable(self, batch: Batch, position: int) -> dict | None:
        """The values a packed instance's failing checks read, when its findings can come from those checks alone.

        That is when it has no negative count or amount and every check is linear over integers (so the
        failing checks, ``batch.failing[position]``, are all linear: they and the root causes among them read
        only their own cells, all reported).  Otherwise None."""
        failing = batch.failing.get(position)
        if self.other or failing is None or position in batch.unpacked or position in batch.negative:
            return None
        if any(v < 0 for v in batch.money[position]):
            return None
        cells, take, _ = self._failing_reads(failing)
        start = position * self.width
        return dict(zip(cells, take(batch.integers[start:start + self.width])))

    def failing_checks(self, failing: tuple) -> tuple:
        """The checks of the spec named by ``failing`` (keys of linear checks), in the spec's order."""
        return self._failing_reads(failing)[2]

    def _failing_reads(self, failing: tuple) -> tuple:
        """For failing checks (keys, as :meth:`clean` gives them): the cells they read, a function taking their
        values out of a packed row, and the checks; made once per set of failing checks (few sets recur)."""
        plan = self._reading.get(failing)
        if plan is None:
            if len(self._reading) >= READING_PLANS:  # hostile input could make each report's set a new one
                self._reading.clear()
            reads = dict(pair for key in failing for pair in self._reads[key])
            at = tuple(reads.values())
            take = operator.itemgetter(*at) if len(at) > 1 else lambda row: tuple(row[i] for i in at)
            plan = self._reading[failing] = (tuple(reads), take,
                                             tuple(map(self.spec.check, failing)))
        return plan

    def words(self, batch: Batch, position: int) -> bytes:
        """The integers of one packed instance, as 64-bit words."""
        start = position * self.width
        return batch.integers[start:start + self.width].tobytes()

    def digest(self, words: bytes, batch: Batch, position: int) -> str:
        """The content digest of one packed instance (:func:`govspec.check.content.content_digest`)."""
        return packed_digest(words, batch.money[position])

    def every_value(self, words: bytes, batch: Batch, position: int) -> PackedValues:
        """Every value of one packed instance, as a mapping over its row (:mod:`govspec.check.packed`)."""
        return PackedValues(self.packing, words, tuple(batch.money[position]))

    def _plan(self, cell_ids: tuple) -> tuple:
        plan = self._plans.get(cell_ids)
        if plan is None:
            money = [c.id for c in self.money_cells]
            plan = self._plans[cell_ids] = (
                [(c, self._index[c]) for c in cell_ids if c in self._index],
                [(c, money.index(c)) for c in cell_ids if c in money])
        return plan

    def values_rows(self, batch: Batch, cell_ids: tuple) -> list[dict]:
        """The packed values of some cells of every instance of the chunk, taken out at once."""
        integer_plan, money_plan = self._plan(cell_ids)
        names, columns = [c for c, _ in integer_plan], [i for _, i in integer_plan]
        np = _numpy() if batch.size >= NUMPY_FROM and columns else None
        if np is not None:
            table = np.frombuffer(batch.integers, dtype=np.int64).reshape(batch.size, self.width)[:, columns].tolist()
        else:
            width, integers = self.width, batch.integers
            table = [[integers[p * width + i] for i in columns] for p in range(batch.size)]
        rows = [dict(zip(names, row)) for row in table]
        amounts = self.packing.amounts
        for cell, i in money_plan:
            for position, row in enumerate(rows):
                value = batch.money[position][i]
                row[cell] = Decimal(value) if cell in amounts else value
        return rows

    def across_words(self, batch: Batch) -> list[bytes] | None:
        """For every instance of the chunk, the values of ``spec.across_cells`` as 64-bit words, taken out at once;
        None when some of them are not packed as integers (money: :meth:`values_rows` takes those)."""
        columns = self._across_columns
        if not columns:  # None: not all integers; empty: the spec has no rules across reports
            return None if columns is None else [b""] * batch.size
        np = _numpy() if batch.size >= NUMPY_FROM else None
        if np is not None:
            matrix = np.frombuffer(batch.integers, dtype=np.int64).reshape(batch.size, self.width)
            blob = np.ascontiguousarray(matrix[:, columns]).tobytes()
        else:
            width, integers = self.width, batch.integers
            blob = array("q", [integers[p * width + i] for p in range(batch.size) for i in columns]).tobytes()
        size = 8 * len(columns)
        return [blob[start:start + size] for start in range(0, size * batch.size, size)]

    def _other_hold(self, row: list, money: list) -> bool:
        from govspec.rules.evaluate import holds
        values = dict(zip(self.integer_ids, row))
        values.update(zip((c.id for c in self.money_cells), money))
        with exact():
            return all(holds(check, values) for check in self.other)


def _plain_amounts(texts: list) -> bool:
    return all(_PLAIN_DECIMAL.match(text) for text in texts)


def _holds(check: LinearCheck, row: list) -> bool:
    total = check.constant + sum(row[i] * c for i, c in check.coefficients)
    return {"==": total == 0, "!=": total != 0, "<=": total <= 0, ">=": total >= 0,
            "<": total < 0, ">": total > 0}[check.op]


_COMPARE = {
    "==": lambda r: r == 0, "!=": lambda r: r != 0, "<=": lambda r: r <= 0,
    ">=": lambda r: r >= 0, "<": lambda r: r < 0, ">": lambda r: r > 0,
}
