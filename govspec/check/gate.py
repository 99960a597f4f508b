"""The structure gate of the fast path: a JSON Lines line decoded straight into types made from the spec.

For each compiled spec, msgspec types are generated once — a struct per row with a field per cell (a count
a non-negative integer, a signed count an integer, an amount any JSON number, read as an exact decimal),
a struct per table, one for ``tables``, and the document around it (``spec``, ``version``, ``report``).
Unknown keys are refused, every cell is required.  Decoding a line with them checks in C, at the speed of
parsing, what the detailed path checks key by key: that the instance is complete, has no unknown table,
row or column, and that every count is a non-negative integer.  A line the gate refuses is not an error
here: it goes to the detailed path, which says what is wrong.  msgspec keeps the last of two duplicate
keys, so the keys of a line are counted too, from its bytes (:func:`keys_once`); a line whose keys cannot be
told to be distinct so (a duplicate, say) goes to the detailed path as well.
"""

from __future__ import annotations

import operator
import re
from decimal import Decimal
from typing import Annotated, Any

import msgspec

from govspec.check.content import packing
from govspec.spec.compiler import CompiledSpec

# what the detailed path says better: a type or a key, broken JSON, nesting deeper than the decoder recurses
_NOT_READ = (msgspec.ValidationError, msgspec.DecodeError, RecursionError)
MONEY_DIGITS = 30  # an amount with more digits, or a far exponent, is left to the detailed path


class Gate:
    """The generated types of one spec, and how to take a decoded instance's values in packing order."""

    def __init__(self, spec: CompiledSpec, key_count: int) -> None:
        rows, integer_rows, money_rows = packing(spec)
        self.key_count = key_count  # keys of a complete "tables" (tables, rows, cells)
        count = Annotated[int, msgspec.Meta(ge=0)]
        row_types: dict = {}
        for number, ((table_id, row_id), cells) in enumerate(rows.items()):
            fields = [(f"c{i}", count if c.type == "count" else int if c.type == "signed_count" else Any)
                      for i, c in enumerate(cells)]
            row_types[(table_id, row_id)] = msgspec.defstruct(
                f"Row{number}", fields, rename={f"c{i}": c.column.id for i, c in enumerate(cells)},
                forbid_unknown_fields=True, gc=False)
        tables: dict = {}
        for (table_id, row_id), row_type in row_types.items():
            tables.setdefault(table_id, []).append((row_id, row_type))
        table_fields = []
        for t, table_rows in enumerate(tables.values()):
            fields = []
            for r, (_row_id, row_type) in enumerate(table_rows):
                fields.append((f"r{r}", row_type))
            table_type = msgspec.defstruct(f"Table{t}", fields, forbid_unknown_fields=True, gc=False,
                                           rename={f"r{r}": row_id for r, (row_id, _) in enumerate(table_rows)})
            table_fields.append((f"t{t}", table_type))
        tables_type = msgspec.defstruct("Tables", table_fields, forbid_unknown_fields=True, gc=False,
                                        rename={f"t{t}": table_id for t, table_id in enumerate(tables)})
        unset = msgspec.UNSET
        document_type = msgspec.defstruct("Document", [
            ("tables", tables_type),
            ("spec", str | msgspec.UnsetType, unset), ("version", str | msgspec.UnsetType, unset),
            ("report", dict | msgspec.UnsetType, unset),
        ], forbid_unknown_fields=True, gc=False)
        self.decoder = msgspec.json.Decoder(document_type, float_hook=Decimal)
        # The decoded rows, taken in packing order (the rows holding only integers, then those holding money: a row's
        # cells are in packing order already) by their paths in the structs, flatten to the integers and then the
        # amounts.
        paths = {(table_id, row_id): f"t{t}.r{r}" for t, (table_id, table_rows) in enumerate(tables.items())
                 for r, (row_id, _) in enumerate(table_rows)}
        self.rows = _getter([paths[key] for key in [*integer_rows, *money_rows]])
        self.width = sum(len(rows[key]) for key in integer_rows)
        money_cells = [c for key in money_rows for c in rows[key]]
        self.amounts = tuple(i for i, c in enumerate(money_cells) if c.type == "money")

    def read(self, line: bytes) -> tuple[dict, list, list] | None:
        """The instance without its tables (for the checks of its metadata), its integers and its amounts in
        packing order; None when the detailed path must read the line."""
        try:
            decoded = self.decoder.decode(line)
        except _NOT_READ:
            return None
        document: dict = {"tables": {}}  # read below, into packing order
        for key in ("spec", "version", "report"):
            value = getattr(decoded, key)
            if value is not msgspec.UNSET:
                document[key] = value
        report = document.get("report")
        if not keys_once(line, len(document) + (len(report) if type(report) is dict else 0) + self.key_count):
            return None  # a duplicate key (msgspec kept the last one), or keys that cannot be counted so
        integers: list = []
        extend = integers.extend  # each row's values added at once (chained iterators added them one at a time: 3 µs more)
        for row in self.rows(decoded.tables):  # type: ignore[attr-defined]
            extend(_astuple(row))
        money = integers[self.width:]
        del integers[self.width:]
        for i in self.amounts:
            value = money[i]
            if not (type(value) is int and value >= 0 or type(value) is Decimal and _plain(value)):
                return None  # a string, true/false, a negative or far amount: the detailed path decides
        return document, integers, money


def keys_once(text: bytes, keys: int) -> bool:
    """Whether a JSON text that decoded to ``keys`` distinct keys holds each of them once, told from its bytes: every
    key is followed by a colon, so a text with no more colons than ``keys`` repeats none (a colon inside a string
    only adds to the count).  A text with more (a time, an address) is counted again by a key's closing quote
    and its colon, ``":`` — which a string may add to but a key misses only when white space comes before its colon:
    such a text, and any whose count is off, is not said to hold each key once (the detailed path reads it)."""
    if text.count(b":") == keys:
        return True
    return text.count(b'":') == keys and _SPACED_KEY.search(text) is None


_SPACED_KEY = re.compile(rb'"[ \t\r\n]+:')  # a key's closing quote, white space, its colon


class _Head(msgspec.Struct):
    """The keys of an instance that choose its spec (any others, the tables among them, are skipped)."""

    spec: Any = msgspec.UNSET
    version: Any = msgspec.UNSET
    report: Any = msgspec.UNSET


_HEAD = msgspec.json.Decoder(_Head)


def read_head(line: bytes) -> dict | None:
    """What chooses the spec of a line: its ``spec``, ``version`` and ``report``, read without its tables (the
    spec's gate reads those)."""
    try:
        head = _HEAD.decode(line)
    except _NOT_READ:
        return None
    document: dict = {"tables": {}}
    for key in ("spec", "version", "report"):
        value = getattr(head, key)
        if value is not msgspec.UNSET:
            document[key] = value
    return document


_astuple = msgspec.structs.astuple


def _getter(paths: list[str]):
    """A function giving the attributes at the dotted ``paths`` of a struct, as a tuple (in C)."""
    if not paths:
        return lambda struct: ()
    take = operator.attrgetter(*paths)
    if len(paths) == 1:
        return lambda struct: (take(struct),)
    return take


def _plain(value: Decimal) -> bool:
    """A non-negative finite amount of at most MONEY_DIGITS digits, none of them beyond the decimal point's reach."""
    sign, digits, exponent = value.as_tuple()
    return sign == 0 and isinstance(exponent, int) and -MONEY_DIGITS <= exponent <= 0 and len(digits) <= MONEY_DIGITS
