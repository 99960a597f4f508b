"""The rows after a CSV file's header as a reader of CSV wide takes them: blocks of columns while Arrow reads the file
(:mod:`govspec.io.arrow_csv`, the ``fast`` extra), then the ``csv`` module's rows from where Arrow stopped — the whole
file (:func:`govspec.io.readers.wide_items`) or a byte range of it (:mod:`govspec.io.csv_ranges`) —, empty and comment
rows left out."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from itertools import islice
from typing import Any


def skipped_row(row: list) -> bool:
    """An empty CSV row, or a comment row (its first cell starts with '#', e.g. a row of zh labels)."""
    if not row:
        return True
    head = row[0].lstrip()
    return head.startswith("#") if head else not "".join(row).strip()  # the whole row only when its first cell is blank


def columns_twice(header: list) -> set[str]:
    """The columns a CSV header names twice (empty names aside)."""
    return {h for h, n in Counter(header).items() if n > 1 and h}


def blocks_then_rows(path: str, header: list, rows: Iterator[tuple[int, list[str], bool]], max_field: int,
                     start: int = 0, end: int | None = None, first: int = 1) -> Iterator[Any]:
    """Blocks of columns while Arrow reads the file (or its byte range ``start``–``end``, whose first line is line
    ``first``: :func:`govspec.io.arrow_csv.blocks`), then the report rows of ``rows`` — every row after the header,
    as (line, row, whether it ran over several lines) — from where Arrow stopped (all of them when it read none)."""
    from govspec.io import arrow_csv
    read = 0
    try:
        for block in arrow_csv.blocks(path, len(header), max_field, start, end, first):
            read += block.size
            yield block
        if read:
            return
    except arrow_csv.NotPlain as stop:  # the csv module reads on from where Arrow stopped, and says what is wrong
        read = stop.rows
    for line, row, over_lines in islice(rows, read, None):
        if not skipped_row(row):
            yield line, row, over_lines


def numbered(rows) -> Iterator[tuple[int, list[str], bool]]:
    """The ``csv`` module's rows with the line each ends on, and whether it ran over several lines."""
    before = rows.line_num
    for row in rows:
        yield rows.line_num, row, rows.line_num - before > 1
        before = rows.line_num
