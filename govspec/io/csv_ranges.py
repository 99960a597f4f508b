"""A CSV-wide file read a byte range at a time, so that the worker processes of ``--jobs`` share a large one
(:mod:`govspec.check.parallel` cuts it at line ends, as it cuts a JSON Lines file).

A range's rows must be exactly those that reading the whole file gives it — the same rows, texts and line numbers —
and reading the whole file must not stop part-way (an error then ends the file's results: later ranges would go on).
So a file is cut only when :func:`splittable` says each line is one row and nothing can stop the reading: plain (no
``"`` — no quoted field can run over lines —, no NUL byte, no ``\\r`` but before a ``\\n``), every byte text in its
encoding (UTF-8, with or without its mark, or GB18030: in both a comma and a line end are single bytes no other
character holds), no line longer than a field may be, a CSV-wide header without a column twice, and a report row near
its start (a file of none says so once, whole).  Any other file is read whole by one process, as before.
"""

from __future__ import annotations

import codecs
from collections.abc import Iterator
from itertools import islice
from typing import Any

from govspec.errors import GovspecError
from govspec.io.csv_blocks import blocks_then_rows, columns_twice, skipped_row
from govspec.io.decoding import text_encoding
from govspec.io.lines import range_lines

SCAN = 1 << 20  # bytes looked at a time
LOOK = 64  # rows after the header looked at for a report row
ENCODINGS = ("utf-8", "utf-8-sig", "gb18030")


def splittable(path: str) -> bool:
    """Whether the CSV-wide file ``path`` may be read a byte range at a time, with the results of reading it whole
    (read through once: some 0.3 s for 100 MB)."""
    from govspec.io.readers import MAX_CSV_FIELD, as_published, csv_rows, is_long
    try:
        encoding = text_encoding(path)
        if encoding not in ENCODINGS or not _plain_lines(path, encoding, MAX_CSV_FIELD):
            return False
        with csv_rows(path) as (header, rows):
            if is_long(header) or as_published(header) or columns_twice(header):
                return False
            return any(not skipped_row(row) for row in islice(rows, LOOK))
    except (GovspecError, OSError, UnicodeError):
        return False


def _plain_lines(path: str, encoding: str, longest: int) -> bool:
    """No ``"``, no NUL byte, every ``\\r`` before a ``\\n``, every byte text in ``encoding``, no line longer than
    ``longest`` bytes."""
    decoder = codecs.getincrementaldecoder(encoding)()
    line = 0  # bytes of the line being read, so far
    carried = False  # the last block ended with a \r
    with open(path, "rb") as handle:
        while block := handle.read(SCAN):
            if b'"' in block or b"\0" in block or (carried and not block.startswith(b"\n")):
                return False
            carried = block.endswith(b"\r")
            if block.count(b"\r") - carried != block.count(b"\r\n"):
                return False
            decoder.decode(block)  # raises UnicodeDecodeError
            parts = block.split(b"\n")
            line += len(parts[0])
            if len(parts) > 1:
                if line > longest or max(map(len, parts[1:-1]), default=0) > longest:
                    return False
                line = len(parts[-1])
        decoder.decode(b"", final=True)
    return not carried and line <= longest


def range_items(path: str, header: list, start: int, end: int, first: int) -> Iterator[Any]:
    """The rows of the byte range ``start``–``end`` (cut at line ends; its first line is line ``first``) of a
    :func:`splittable` file, as :func:`govspec.io.readers.wide_items` gives a whole file's (the header, line 1, left
    out; none runs over lines)."""
    from govspec.io.readers import MAX_CSV_FIELD
    return blocks_then_rows(path, header, _rows(path, start, end, first), MAX_CSV_FIELD, start, end, first)


def _rows(path: str, start: int, end: int, first: int) -> Iterator[tuple[int, list[str], bool]]:
    """Every row of the range but the header, with its line, as the ``csv`` module reads it."""
    import csv

    from govspec.io.readers import MAX_CSV_FIELD
    csv.field_size_limit(MAX_CSV_FIELD)
    encoding = text_encoding(path)
    encoding = "utf-8" if encoding == "utf-8-sig" else encoding  # its mark is in the header's line, left out
    with open(path, "rb") as handle:
        lines = (line.decode(encoding) for line in range_lines(handle, start, end))
        for number, row in enumerate(csv.reader(lines), first):
            if number > 1:
                yield number, row, False
