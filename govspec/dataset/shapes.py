"""The tables of a dataset, column by column: the public shape (docs/datasets.md), checked by a test.

- ``reports``: one row per report (or unreadable input): where it came from, what it is about, its verdict
  and counts, the versions that judged it, and what the rules across reports read of it.
- ``cells``: one row per cell of each report: ids, Chinese labels, state, the value exact, provenance.
- ``findings``: one row per finding: code, severity, rule, numbers, message, whether a reviewer accepted it.

Counts are integers (int64); amounts decimal(38, 6); a value that does not fit its numeric column (beyond
int64, or more digits than decimal(38, 6) holds) is null there and kept exact, as text, in ``value_text``
(cells) or in the text of ``reported``/``computed`` (findings, always text).
"""

from __future__ import annotations

from functools import cache

from govspec.dataset.needs import need

FORMAT = 1  # manifest.json's "govspec_dataset": the layout and these columns
MONEY_SCALE = 6

REPORTS = (
    ("report_id", "int64"), ("source", "string"), ("file", "string"), ("content_hash", "string"),
    ("spec", "string"), ("spec_version", "string"), ("selected_by", "string"),
    ("agency", "string"), ("agency_code", "string"), ("region", "string"), ("kind", "string"),
    ("year", "int32"), ("published", "string"),
    ("verdict", "string"), ("errors", "int32"), ("warnings", "int32"), ("infos", "int32"),
    ("not_evaluated", "string"), ("without_previous", "bool"), ("not_reported", "int32"), ("unseen", "int32"),
    ("error", "string"),
    ("body", "string"), ("across_values", "string"), ("govspec_version", "string"),
)
CELLS = (
    ("report_id", "int64"), ("cell", "dict"), ("table", "dict"), ("row", "dict"), ("column", "dict"),
    ("table_zh", "dict"), ("row_zh", "dict"), ("column_zh", "dict"), ("type", "dict"), ("state", "dict"),
    ("value_int", "int64"), ("value_decimal", "decimal"), ("value_text", "string"), ("where", "string"),
    ("text", "string"),
)
FINDINGS = (
    ("report_id", "int64"), ("scope", "string"), ("code", "string"), ("severity", "string"), ("rule", "string"),
    ("check", "string"), ("binding", "string"), ("cells", "list"), ("reported", "string"), ("computed", "string"),
    ("difference", "string"), ("message", "string"), ("message_en", "string"), ("equation", "string"),
    ("previous_source", "string"), ("accepted", "bool"), ("accepted_reason", "string"),
    ("accepted_by", "string"), ("accepted_date", "string"), ("accepted_entry", "string"),
)
TABLES = {"reports": REPORTS, "cells": CELLS, "findings": FINDINGS}
STATES = ("value", "blank", "unseen", "invalid")  # a cell's state in ``cells``


@cache
def schema(table: str):
    """The pyarrow schema of one of :data:`TABLES`."""
    pa = need("pyarrow")
    types = {"int64": pa.int64(), "int32": pa.int32(), "string": pa.string(), "bool": pa.bool_(),
             "dict": pa.dictionary(pa.int32(), pa.string()), "decimal": pa.decimal128(38, MONEY_SCALE),
             "list": pa.list_(pa.string())}
    return pa.schema([pa.field(name, types[kind]) for name, kind in TABLES[table]])
