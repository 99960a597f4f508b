"""Plain CSV read column by column with Arrow (pyarrow, the ``fast`` extra), block by block.

A CSV-wide file of thousands of reports is read fastest as columns: Arrow splits a block of 512 KB
into one array of texts per column in C, and the fast path checks and converts a whole column at once
(:mod:`govspec.check.wide`).  Arrow reads only what it reads exactly as Python's ``csv`` module does, so
the rows, their texts and their line numbers are the same whichever reads them:

- *plain* files only: no ``"`` (no quoting, so no field runs over lines and every line is one row) and no
  NUL byte anywhere, in UTF-8 (with or without BOM) or GB18030 (in both a ``"``, a comma and a line end
  are single bytes that no other character contains);
- every text as a string (``""`` stays ``""``), nothing converted;
- a block whose rows do not have the header's width, whose bytes do not decode, or with a field longer
  than the ``csv`` module accepts, stops Arrow: :class:`NotPlain` says how many rows were read, and the
  caller reads on from there with the ``csv`` module, which says what is wrong and where.

Without pyarrow (the default install), or for a file under :data:`ARROW_FROM`, :func:`blocks` gives nothing and
the ``csv`` module reads it all.
"""

from __future__ import annotations

import importlib
import os
from collections.abc import Iterator
from typing import Any

from govspec.io.decoding import text_encoding

BLOCK_SIZE = 1 << 19  # bytes Arrow parses at a time (about 800 reports of the 2021 template). Measured on 100,000
# reports: 1 MB blocks were 2% faster and peaked at 209 MB, 512 KB at 185 MB, 256 KB 5% slower at 170 MB.
# Files smaller than this are read by the csv module: under some 3,000 reports, its extra ~35 µs a report costs
# less than loading pyarrow (0.1 s; 0.25 s where pandas is installed, which pyarrow then loads too).
ARROW_FROM = 2 << 20
PLAIN_ENCODINGS = {"utf-8": "utf8", "utf-8-sig": "utf8", "gb18030": "gb18030"}
_UNLOADED: Any = object()
_arrow: Any = _UNLOADED


def arrow() -> Any:
    """``(pyarrow, pyarrow.csv, pyarrow.compute)`` when pyarrow is installed, else None (imported on first use)."""
    global _arrow
    if _arrow is _UNLOADED:
        try:
            _arrow = (importlib.import_module("pyarrow"), importlib.import_module("pyarrow.csv"),
                      importlib.import_module("pyarrow.compute"))
        except ImportError:
            _arrow = None
    return _arrow


class NotPlain(Exception):
    """Arrow cannot read on exactly as the ``csv`` module does; ``rows`` rows (after the header) were read."""

    def __init__(self, rows: int) -> None:
        super().__init__(rows)
        self.rows = rows


class Block:
    """Consecutive rows of a CSV file as columns of texts: row ``i`` is on line ``first_line + i``."""

    def __init__(self, first_line: int, columns: list) -> None:
        self.first_line = first_line
        self.columns = columns  # one pyarrow string array per column of the header
        self.size = len(columns[0]) if columns else 0
        self._texts: dict[int, list[str]] = {}
        self.made: dict = {}  # what a reader made of the block once (the fast path's packed words)

    def line(self, i: int) -> int:
        """The line of row ``i``."""
        return self.first_line + i

    def texts(self, index: int) -> list[str]:
        """The texts of one column, as Python strings (made once)."""
        found = self._texts.get(index)
        if found is None:
            found = self._texts[index] = self.columns[index].to_pylist()
        return found

    def row(self, i: int) -> list[str]:
        """Row ``i`` as the ``csv`` module gives it."""
        return [self.texts(index)[i] for index in range(len(self.columns))] if len(self._texts) == len(self.columns) \
            else [column[i].as_py() for column in self.columns]

    def rows(self) -> Iterator[tuple[int, list[str]]]:
        """Every row with its line."""
        for index in range(len(self.columns)):
            self.texts(index)
        for i, row in enumerate(zip(*(self._texts[index] for index in range(len(self.columns))))):
            yield self.first_line + i, list(row)


def blocks(path: str, width: int, max_field: int, start: int = 0, end: int | None = None,
           first: int = 1) -> Iterator[Block]:
    """The rows after the header of a plain CSV file of ``width`` columns, as blocks; nothing when pyarrow is
    absent or the file is not plain.  Raises :class:`NotPlain` where Arrow must stop.  With ``end``: the rows of
    the byte range ``start``–``end`` (cut at line ends; its first line is line ``first``, the header when ``start``
    is 0), read into memory (a range is some megabytes)."""
    try:
        if width < 1 or (os.path.getsize(path) if end is None else end - start) < ARROW_FROM:
            return
    except OSError:
        return
    found = arrow()
    if found is None:
        return
    try:
        encoding = PLAIN_ENCODINGS.get(text_encoding(path))
    except Exception:  # noqa: BLE001 - the csv module's reading says what is wrong, with the line
        return
    if encoding is None:
        return
    if end is None:
        if not _plain(path):
            return
        source: Any = path
    else:
        with open(path, "rb") as handle:
            handle.seek(start)
            data = handle.read(end - start)
        if b'"' in data or b"\0" in data:
            return
        source = found[0].BufferReader(data)
    pa, pcsv, pc = found
    names = [f"c{i}" for i in range(width)]
    header = 1 if start == 0 else 0  # the header's line, left out
    read = pcsv.ReadOptions(skip_rows=header, column_names=names, block_size=BLOCK_SIZE, use_threads=False,
                            encoding=encoding)
    parse = pcsv.ParseOptions(quote_char=False, newlines_in_values=False, ignore_empty_lines=False)
    convert = pcsv.ConvertOptions(column_types={name: pa.string() for name in names}, null_values=[],
                                  strings_can_be_null=False, quoted_strings_can_be_null=False)
    rows = 0
    pool = pa.default_memory_pool()
    try:
        reader = pcsv.open_csv(source, read_options=read, parse_options=parse, convert_options=convert)
        for batch in reader:
            if any(column.nbytes > max_field and (pc.max(pc.binary_length(column)).as_py() or 0) > max_field
                   for column in batch.columns):  # a column's bytes bound its longest field
                raise NotPlain(rows)
            if batch.num_rows:
                yield Block(first + header + rows, batch.columns)
                rows += batch.num_rows
                pool.release_unused()  # what Arrow freed for the block (its columns, the packing) back to the system
    except (pa.ArrowException, UnicodeError, OSError):
        raise NotPlain(rows) from None


def _plain(path: str) -> bool:
    """No quote and no NUL byte in the file (read a block at a time)."""
    with open(path, "rb") as handle:
        while piece := handle.read(BLOCK_SIZE):
            if b'"' in piece or b"\0" in piece:
                return False
    return True
