"""Results of validation as the columns of a dataset's tables (:mod:`govspec.dataset.shapes`), a chunk at a time.

A chunk of reports becomes one record batch per table.  The ``cells`` table is long (one row per cell of
each report, some 200 a report), so it is built column-wise: the ids and labels as dictionary columns whose
indices repeat the spec's cell order, the values converted by pyarrow in one call per chunk, and only the
cells that are not plain values (blank, unseen, beyond int64) looked at one by one.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from decimal import Decimal
from functools import cache, lru_cache
from operator import itemgetter

from govspec import __version__
from govspec.check.across_values import across_list, values_json
from govspec.check.bodies import body_of
from govspec.check.packed import PackedValues, Packing
from govspec.check.report import Report
from govspec.check.verdict import verdict
from govspec.dataset.needs import need
from govspec.dataset.shapes import MONEY_SCALE, STATES, schema
from govspec.findings import Finding, json_number, message
from govspec.io.instance import Unreadable
from govspec.spec.compiler import CompiledSpec

# 统一社会信用代码 of a public body: 2 characters (registering authority, kind), the 6-digit administrative
# division code (行政区划代码) of where it was registered, then 10 more (GB 32100-2015).
CREDIT_CODE = re.compile(r"[0-9A-HJ-NPQRTUWXY]{2}(\d{6})[0-9A-HJ-NPQRTUWXY]{10}")
_MONEY_DIGITS = 38 - MONEY_SCALE


def region_of(code) -> str | None:
    """The administrative division code a body's 统一社会信用代码 carries (``110105`` for 北京市朝阳区), or None
    (then a report's region is its spec's, when the spec is a province's: ``region`` in the spec format)."""
    match = CREDIT_CODE.fullmatch(code.strip()) if isinstance(code, str) else None
    return match[1] if match else None


def _text(value) -> str | None:
    return None if value is None else value if isinstance(value, str) else str(getattr(value, "text", value))


def _year(value) -> int | None:
    return value if type(value) is int and -2**31 <= value < 2**31 else None


def report_row(report_id: int, file: str, result, body: str | None = None) -> dict:
    """One row of ``reports`` (its verdict and counts by its own rules: :func:`govspec.dataset.update` adds
    those of the rules across reports); ``body``: the body it is about, when known already."""
    if isinstance(result, Unreadable):
        return {"report_id": report_id, "source": result.source, "file": file, "verdict": "unreadable",
                "error": result.error.text("zh"), "govspec_version": __version__}
    meta = result.metadata
    not_evaluated = result.not_evaluated
    severities = [f.severity for f in result.findings]
    return {
        "report_id": report_id, "source": result.source, "file": file, "content_hash": result.digest,
        "spec": result.spec.id, "spec_version": result.spec.version, "selected_by": result.selected_by,
        "agency": _text(meta.get("agency")), "agency_code": _text(meta.get("agency_code")),
        "region": region_of(meta.get("agency_code")) or result.spec.spec.region,
        "kind": _text(meta.get("kind")), "year": _year(meta.get("year")),
        "published": _text(meta.get("published")),
        "verdict": verdict(result.findings, not_evaluated, result.strict_blanks),
        "errors": severities.count("error"), "warnings": severities.count("warning"), "infos": severities.count("info"),
        "not_evaluated": json.dumps(not_evaluated, sort_keys=True) if not_evaluated else None, "without_previous": False,
        "not_reported": len(result.not_reported), "unseen": len(result.unseen),
        "body": body or body_of(meta), "govspec_version": __version__, "error": None,
        "across_values": values_json(across_list(result)),
    }


def _number(value) -> str | None:
    return None if value is None else str(json_number(value))


def finding_row(report_id: int, spec: CompiledSpec, finding: Finding, scope: str) -> dict:
    """One row of ``findings``."""
    from govspec.present.wording import equation_text  # the words of the output, only when a finding is written
    accepted = finding.accepted or {}
    return {
        "report_id": report_id, "scope": scope, "code": finding.code, "severity": finding.severity,
        "rule": finding.rule, "check": finding.check, "binding": finding.binding, "cells": list(finding.cells),
        "reported": _number(finding.reported), "computed": _number(finding.computed),
        "difference": _number(finding.difference), "message": message(finding, "zh"),
        "message_en": message(finding, "en"), "equation": equation_text(spec, finding, "zh"),
        "previous_source": finding.params.get("previous_source"), "accepted": finding.accepted is not None,
        "accepted_reason": accepted.get("reason"), "accepted_by": accepted.get("reviewer"),
        "accepted_date": accepted.get("date"), "accepted_entry": accepted.get("entry"),
    }


def batch(table: str, rows: list[dict]):
    """Rows (dicts) as one record batch of ``table``; a missing key is null."""
    pa = need("pyarrow")
    shape = schema(table)
    names = shape.names
    if not rows:
        columns: Iterable = [[] for _ in names]
    else:
        take = itemgetter(*names)
        try:
            columns = zip(*map(take, rows))  # every key in every row: most batches
        except KeyError:
            columns = zip(*[[row.get(name) for name in names] for row in rows])
    return pa.RecordBatch.from_arrays([pa.array(c, f.type) for c, f in zip(columns, shape)], schema=shape)


# --- cells ----------------------------------------------------------------------------------------------------


@cache
def _layout(spec: CompiledSpec):
    """A spec's cells as the dictionary columns of ``cells`` repeat them: for each column, the dictionary and
    each cell's index in it; the positions of the money cells."""
    pa = need("pyarrow")
    np = need("numpy")
    ids = [c.id for c in spec.cells]
    labels = [spec.label_path(c, "zh") for c in ids]
    columns = {
        "cell": ids,
        "table": [c.table.id for c in spec.cells],
        "row": [c.row.id for c in spec.cells],
        "column": [c.column.id for c in spec.cells],
        "table_zh": [p["table"] for p in labels],
        "row_zh": [" / ".join(x for x in (p.get("block"), *p.get("row_groups", ()), p["row"]) if x) for p in labels],
        "column_zh": [" / ".join(x for x in (*p.get("column_groups", ()), p["column"]) if x) for p in labels],
        "type": [c.type for c in spec.cells],
    }
    coded = {}
    for name, values in columns.items():
        dictionary = list(dict.fromkeys(values))
        index = {v: i for i, v in enumerate(dictionary)}
        coded[name] = (pa.array(dictionary, pa.string()), np.array([index[v] for v in values], dtype=np.int32))
    money = [i for i, c in enumerate(spec.cells) if c.type == "money"]
    take = itemgetter(*ids) if len(ids) > 1 else (lambda values: (values[ids[0]],))
    return ids, coded, money, take


def cells_batch(spec: CompiledSpec, reports: list[tuple[int, Report]]):
    """The ``cells`` rows of reports of one spec (each with its id), every cell of the spec for each, in its order."""
    pa = need("pyarrow")
    np = need("numpy")
    ids, coded, money, _ = _layout(spec)
    width, count = len(ids), len(reports)
    packed = _packed(spec, reports)
    if packed is not None:  # every report packed by the fast path: its words taken for the whole chunk at once
        value_int, amounts, odd = packed
        texts: list = []
    else:
        value_int, texts, amounts, odd = _one_by_one(spec, reports)
    places = [base + m for base in range(0, count * width, width) for m in money]
    value_decimal, money_texts = _amounts(pa, amounts)
    if money:  # the money column spread over the rows of the money cells (the others null)
        value_decimal = _spread(pa, np, value_decimal, np.array(places, dtype=np.int64), count * width)
        if money_texts:
            texts = texts or [None] * (count * width)
            for p, text in zip(places, money_texts):
                texts[p] = text
    else:
        value_decimal = pa.nulls(count * width, pa.decimal128(38, MONEY_SCALE))
    states = np.zeros(count * width, dtype=np.int32)
    for base, report, row in odd:
        unseen, blank = set(report.unseen), set(report.not_reported)
        for i, value in enumerate(row):
            if value is None:
                states[base + i] = STATES.index("unseen" if ids[i] in unseen else "blank" if ids[i] in blank else "invalid")
    where, text = _provenance(pa, ids, reports, width)
    columns = {"report_id": pa.array(np.repeat(np.array([r for r, _ in reports], dtype=np.int64), width))}
    for name, (dictionary, _) in coded.items():
        columns[name] = pa.DictionaryArray.from_arrays(_tiled(spec, name, count), dictionary)
    columns["state"] = pa.DictionaryArray.from_arrays(pa.array(states), pa.array(list(STATES)))
    columns["value_int"] = value_int
    columns["value_decimal"] = value_decimal
    columns["value_text"] = pa.array(texts, pa.string()) if texts else pa.nulls(count * width, pa.string())
    columns["where"], columns["text"] = where, text
    return pa.RecordBatch.from_pydict(columns, schema=schema("cells"))


@lru_cache(maxsize=16)
def _tiled(spec: CompiledSpec, column: str, count: int):
    """The dictionary indices of ``column`` for ``count`` reports (the spec's cells repeated): the same for every
    chunk of that many reports, so made once (Arrow arrays are never changed).  Sixteen kept (400 KB each for a
    chunk of 512): the eight columns of full chunks and of one other size."""
    pa, np = need("pyarrow"), need("numpy")
    return pa.array(np.tile(_layout(spec)[1][column][1], count))


def _spread(pa, np, amounts, places, length: int):
    """The decimals ``amounts`` placed at ``places`` of a decimal column of ``length`` rows, null elsewhere — its
    buffers made with numpy (Arrow's take of a decimal column that long costs some 5 ms a chunk)."""
    words = np.zeros((length, 2), dtype=np.int64)  # decimal128: two 64-bit words a value, little-endian
    valid = np.zeros(length, dtype=bool)
    if len(amounts):
        data = np.frombuffer(amounts.buffers()[1], dtype=np.int64)
        words[places] = data[2 * amounts.offset:2 * (amounts.offset + len(amounts))].reshape(-1, 2)
        valid[places] = amounts.is_valid().to_numpy(zero_copy_only=False)
    bitmap = pa.py_buffer(np.packbits(valid, bitorder="little"))
    return pa.Array.from_buffers(amounts.type, length, [bitmap, pa.py_buffer(words)],
                                 null_count=length - int(valid.sum()))


def _one_by_one(spec: CompiledSpec, reports: list):
    """The integers (int64, with the text of those beyond it), the amounts and the reports with a cell that holds
    no value, taken report by report from their values."""
    pa = need("pyarrow")
    ids, _, money, take = _layout(spec)
    width = len(ids)
    flat: list = []
    odd: list = []  # (position, report, row) of reports with a cell that holds no value
    for at, (_, report) in enumerate(reports):
        values = report.all_values or {}
        try:
            flat.extend(take(values))
        except KeyError:
            row = [values.get(c) for c in ids]
            odd.append((at * width, report, row))
            flat.extend(row)
    places = [base + m for base in range(0, len(flat), width) for m in money]
    amounts = [flat[p] for p in places]
    for p in places:
        flat[p] = None
    value_int, texts = _ints(pa, flat)
    return value_int, texts, amounts, odd


def _packed(spec: CompiledSpec, reports: list):
    """When every report's values are its packed row (:class:`~govspec.check.packed.PackedValues`, one packing):
    the integers as int64 (null at the amounts), the amounts and no odd report; else None."""
    rows = [report.all_values for _, report in reports]
    first = rows[0] if rows else None
    if type(first) is not PackedValues or not all(type(r) is PackedValues and r.packing == first.packing
                                                  for r in rows):
        return None
    pa, np = need("pyarrow"), need("numpy")
    integers, amounts, others, null = _places(spec, first.packing)
    words = np.frombuffer(b"".join(r.words for r in rows), dtype=np.int64).reshape(len(rows), -1)
    table = np.zeros((len(rows), len(spec.cells)), dtype=np.int64)
    table[:, integers[0]] = words[:, integers[1]]
    for place, k in others:  # counts in a row that holds money: packed among the amounts
        table[:, place] = [r.money[k] for r in rows]
    value_int = pa.array(table.ravel(), pa.int64(), mask=np.tile(null, len(rows)))
    return value_int, [r.money[k] for r in rows for k in amounts], []


@cache
def _places(spec: CompiledSpec, packing: Packing):
    """Where a packed row's values go among the spec's cells: the integers' places (in the spec, in the row); the
    amounts in the spec's order (their index in the row's amounts); the counts packed among the amounts (place in
    the spec, index in the row's amounts); where int64 is null (the amounts)."""
    np = need("numpy")
    at = {cell.id: i for i, cell in enumerate(spec.cells)}
    integers = (np.array([at[c] for c in packing.integer_ids], dtype=np.int64), np.arange(len(packing.integer_ids)))
    money_at = {c: k for k, c in enumerate(packing.money_ids)}
    amounts = [money_at[c.id] for c in spec.cells if c.id in money_at and c.type == "money"]
    others = [(at[c.id], money_at[c.id]) for c in spec.cells if c.id in money_at and c.type != "money"]
    null = np.array([c.type == "money" for c in spec.cells], dtype=bool)
    return integers, amounts, others, null


def _ints(pa, flat: list):
    """The integers as int64; those beyond it (or a value that is not an integer) null there, with their text."""
    try:
        return pa.array(flat, pa.int64()), []
    except (OverflowError, TypeError, pa.lib.ArrowException):
        pass
    fits = [v if type(v) is int and -2**63 <= v < 2**63 else None for v in flat]
    texts = [None if v is None or f is not None else str(json_number(v)) for v, f in zip(flat, fits)]
    return pa.array(fits, pa.int64()), texts


def _fits_money(number: Decimal) -> bool:
    """Whether decimal(38, 6) holds ``number`` exactly (told from its digits: no rounding context involved)."""
    _, digits, exponent = number.as_tuple()
    if not isinstance(exponent, int):
        return False
    while exponent < -MONEY_SCALE and digits and digits[-1] == 0:
        digits, exponent = digits[:-1], exponent + 1
    return exponent >= -MONEY_SCALE and number.adjusted() < _MONEY_DIGITS


def _amounts(pa, amounts: list):
    """The amounts as decimal(38, 6); those with more digits than it holds null there, with their exact text."""
    kind = pa.decimal128(38, MONEY_SCALE)
    if not amounts:
        return pa.nulls(0, kind), []
    exact = [None if v is None else Decimal(v) for v in amounts]
    fits = [v if v is not None and _fits_money(v) else None for v in exact]
    texts = [None if v is None or f is not None else format(v, "f") for v, f in zip(exact, fits)]
    return pa.array(fits, kind), (texts if any(t is not None for t in texts) else [])


def _provenance(pa, ids: list, reports: list, width: int):
    """Where each value was read (``file: page 4 table 2 row 3 col 5``) and the text read, when the reader told."""
    if not any(report.provenance for _, report in reports):
        return pa.nulls(width * len(reports), pa.string()), pa.nulls(width * len(reports), pa.string())
    where: list = []
    text: list = []
    for _, report in reports:
        known = report.provenance or {}
        for cell in ids:
            position, read = known.get(cell, (None, None))
            where.append(position)
            text.append(read)
    return pa.array(where, pa.string()), pa.array(text, pa.string())
