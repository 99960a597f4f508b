"""What the ledger of the rules across reports keeps of a report's values: the cells those rules read
(``spec.across_cells``), in that order, each a value, blank (None), or why it has none — the published source did
not show it (``"unseen"``) or its value cannot be used (``"invalid"``).  A cell of either kind makes a rule that reads
it not checkable, in the report's year or in the year before: it is never read as blank, nor as 0.
"""

from __future__ import annotations

import json
from array import array
from decimal import Decimal

from govspec.check.packed import PackedValues
from govspec.spec.compiler import CompiledSpec

UNSEEN, INVALID = "unseen", "invalid"  # a cell without a value that is not blank (values are numbers or None)


def across_list(report) -> list:
    """The values of a report (a ``Report``) that the rules across reports read, in ``spec.across_cells`` order; of one
    the fast path packed, its words read back at once (:func:`govspec.check.light.across_values`: every value an
    integer, none blank or unseen), not cell by cell through the mapping over them."""
    values = report.values
    if type(values) is PackedValues and values.packing.cell_ids is report.spec.across_cells:
        words = array("q")
        words.frombytes(values.words)
        return words.tolist()
    unseen, blank = set(report.unseen), set(report.not_reported)
    return [value if (value := values.get(cell)) is not None else UNSEEN if cell in unseen else
            None if cell in blank else INVALID for cell in report.spec.across_cells]


def values_json(values: list) -> str:
    """Values the rules across reports read, as JSON text: integers as they are, decimals as ["d", text], blank
    as null, a cell not seen or unusable as its reason (exact, and readable where the ledger's words are not: a
    dataset keeps this)."""
    try:
        return json.dumps(values)  # integers and blanks: most reports
    except TypeError:
        return json.dumps([["d", format(v, "f")] if isinstance(v, Decimal) else v for v in values])


def values_from_json(text: str) -> list:
    """The values :func:`values_json` wrote."""
    return [Decimal(v[1]) if isinstance(v, list) else v for v in json.loads(text)]


def for_ledger(values):
    """Values as the ledger file takes them fastest: words as a ``bytearray``, which Python's sqlite3 binds as it is (a
    BLOB, read back as ``bytes``); a ``bytes`` object it binds only after looking for an adapter of its type, some 1 µs
    a row of the 3.5 an insert costs.  JSON text as it is."""
    return bytearray(values) if type(values) is bytes else values


def encoded(values: list):
    """What the ledger keeps of a report's values: 64-bit words when every one is an integer that fits
    (most reports: cheap to write and read), else :func:`values_json`."""
    if all(type(v) is int for v in values):
        try:
            return array("q", values).tobytes()
        except OverflowError:
            pass
    return values_json(values)


def kept_values(spec: CompiledSpec, kept) -> tuple[dict, dict]:
    """The values the ledger kept (:func:`encoded`), by cell, and the cells without one that are not blank, with
    why (:data:`UNSEEN`, :data:`INVALID`)."""
    if isinstance(kept, bytes):
        words = array("q")
        words.frombytes(kept)
        return dict(zip(spec.across_cells, words.tolist())), {}
    values: dict = {}
    unusable: dict = {}
    for cell, value in zip(spec.across_cells, values_from_json(kept)):
        if isinstance(value, str):
            unusable[cell] = value
        elif value is not None:
            values[cell] = value
    return values, unusable
