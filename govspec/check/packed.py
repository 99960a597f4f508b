"""Every value of a report the fast path packed, kept as its packed row: 64-bit words and a few amounts (and, the
same way, the values the rules across reports read of it: :func:`govspec.check.light.across_values`).

A report's 200 values as a dict cost more to make (and to hold, a chunk of 2,048 reports at a time) than
checking them; most reports that keep their values (``govspec export``, the audit page) are only ever read
column by column (:func:`govspec.dataset.rows.cells_batch` takes the words of a chunk at once).  So a packed
report's ``all_values`` is a read-only mapping over its row: the dict is made the first time a value is
asked for by cell id.
"""

from __future__ import annotations

from array import array
from collections.abc import Iterator, Mapping
from decimal import Decimal

from govspec.records import record


@record
class Packing:
    """Where a spec's cells are in a packed row: the integers' cells in packing order, the cells of the rows that
    hold money (packed beside the integers, as read: amounts and the counts of those rows), which of them are
    amounts, and every cell in the spec's order (the order of the mapping)."""

    integer_ids: tuple[str, ...]
    money_ids: tuple[str, ...]
    amounts: frozenset[str]
    cell_ids: tuple[str, ...]


class PackedValues(Mapping):
    """A packed report's values by cell id (integers as ``int``, amounts as exact ``Decimal``)."""

    __slots__ = ("packing", "words", "money", "_values")

    def __init__(self, packing: Packing, words: bytes, money: tuple) -> None:
        self.packing = packing  # shared by every report of the spec
        self.words = words      # the integers, as 64-bit words in packing order
        self.money = money      # the values of packing.money_ids, as read (an amount: int or Decimal)
        self._values: dict | None = None

    def _dict(self) -> dict:
        if self._values is None:
            integers = array("q")
            integers.frombytes(self.words)
            found: dict = dict(zip(self.packing.integer_ids, integers.tolist()))
            amounts = self.packing.amounts
            found.update((c, Decimal(v) if c in amounts else v) for c, v in zip(self.packing.money_ids, self.money))
            self._values = {cell: found[cell] for cell in self.packing.cell_ids}
        return self._values

    def __getitem__(self, cell: str):
        return self._dict()[cell]

    def get(self, cell, default=None):
        return self._dict().get(cell, default)

    def __contains__(self, cell) -> bool:
        return cell in self._dict()

    def __iter__(self) -> Iterator[str]:
        return iter(self.packing.cell_ids)

    def __len__(self) -> int:
        return len(self.packing.cell_ids)

    def __eq__(self, other) -> bool:
        return dict(self) == dict(other) if isinstance(other, Mapping) else NotImplemented

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"PackedValues({self._dict()!r})"

    def __reduce__(self):
        return PackedValues, (self.packing, self.words, self.money)  # the row, not the dict made from it
