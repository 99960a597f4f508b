"""What a report says, as one comparable value: the digest of its cells' values.

Two reports of one body and year are *copies* when their digests are equal (the HTML page and its PDF),
whatever path read them.  The values are taken in the fast path's packing order (rows holding only counts,
then the rows holding money), so that the fast path digests a packed row directly: integers as 64-bit
words, money as exact decimal text.  A report that cannot be packed so (a blank cell, an integer beyond
64 bits) is digested as text, which no packed row ever equals: such a report differs from a complete one.
"""

from __future__ import annotations

from array import array
from collections.abc import Mapping, Sequence
from decimal import Decimal

from govspec.io.values import EXACT
from govspec.spec.compiler import CompiledSpec

try:  # hashlib's own BLAKE2, without importing hashlib, which loads OpenSSL (some 10 ms of every start-up)
    from _blake2 import blake2b
except ImportError:  # pragma: no cover - a Python built without its own BLAKE2
    from hashlib import blake2b

_ORDERS: dict = {}


def packing(spec: CompiledSpec) -> tuple[dict, list, list]:
    """The spec's cells by row, the rows holding only integers, and the rows holding money."""
    found = _ORDERS.get(spec)
    if found is None:
        rows: dict = {}
        for cell in spec.cells:
            rows.setdefault((cell.table.id, cell.row.id), []).append(cell)
        integer_rows = [key for key, cells in rows.items() if all(c.type != "money" for c in cells)]
        money_rows = [key for key in rows if key not in integer_rows]
        found = _ORDERS[spec] = (rows, integer_rows, money_rows)
    return found


def money_text(value) -> str:
    """An amount (an exact decimal or an integer) as exact text, the same however it was written (``1.50``,
    ``1.5``)."""
    number = Decimal(value)
    # normalize() rounds to its context's precision: Python's default of 28 digits made two amounts that differ in a
    # later digit the same text, and so two differing reports "copies" of one another
    return format(number.normalize(EXACT), "f") if number else "0"


def packed_digest(integers: bytes, money: Sequence) -> str:
    """The digest of a packed row: its integers as 64-bit words, then its money."""
    digest = blake2b(integers, digest_size=16)
    digest.update("|".join(money_text(v) for v in money).encode())
    return digest.hexdigest()


def content_digest(spec: CompiledSpec, values: Mapping) -> str:
    """The digest of a report's usable values (``Report.values`` of every cell)."""
    if len(values) < len(spec.cells):  # a cell without a usable value: never packed (below), so the text at once
        return _text_digest(spec, values)
    integer_ids, money_ids = _packed_ids(spec)
    integers = list(map(values.get, integer_ids))
    money = list(map(values.get, money_ids))
    if set(map(type, integers)) <= {int} and None not in money:
        try:
            return packed_digest(array("q", integers).tobytes(), money)  # type: ignore[type-var]
        except OverflowError:
            pass
    return _text_digest(spec, values)


_IDS: dict = {}


def _packed_ids(spec: CompiledSpec) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The ids of the cells in packing order: the rows holding only integers, then the rows holding money."""
    found = _IDS.get(spec)
    if found is None:
        rows, integer_rows, money_rows = packing(spec)
        found = _IDS[spec] = (tuple(c.id for key in integer_rows for c in rows[key]),
                              tuple(c.id for key in money_rows for c in rows[key]))
    return found


def _text_digest(spec: CompiledSpec, values: Mapping) -> str:
    cells, template = _heads(spec)  # the text of repr([(id, value), …]), formatted at once
    text = template % tuple(map(values.get, cells))
    return "text:" + blake2b(text.encode(), digest_size=16).hexdigest()


_HEADS: dict = {}


def _heads(spec: CompiledSpec) -> tuple[tuple[str, ...], str]:
    """The spec's cell ids, and the text digested, ``repr([(id, value), …])`` (a public value: a dataset's
    ``content_hash``), as a template with ``%r`` for each value: the ids' part written once per spec, and a report's
    text formatted in one step (a pair at a time, in Python, cost some 30–60 µs a report on the detailed path)."""
    found = _HEADS.get(spec)
    if found is None:
        ids = tuple(c.id for c in spec.cells)
        found = _HEADS[spec] = (ids, "[" + ", ".join("(" + repr(i).replace("%", "%%") + ", %r)" for i in ids) + "]")
    return found
