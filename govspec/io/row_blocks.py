"""CSV rows read by the ``csv`` module, gathered into blocks: consecutive report rows held as the columns the fast path
reads a block by (:mod:`govspec.check.wide`), as Arrow's blocks are (:mod:`govspec.io.arrow_csv`).

Without pyarrow (the default install), for a file under Arrow's threshold, or after the row where Arrow stops, the
``csv`` module reads a CSV-wide file row by row.  The fast path still takes those rows a block at a time — each
column's distinct texts placed once, the facts of rows alike judged once, the counts converted together — and so
reads them in one way, whoever split them.  Only rows as wide as the header and on one line each are gathered; any
other row is given as it is, between the blocks, in its place: the detailed path reads it and says what is wrong.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

ROWS = 512  # rows gathered into one block (Arrow's blocks of 512 KB hold some 800 reports of the 2021 template)


class RowBlock:
    """Consecutive rows of a CSV file as the ``csv`` module read them, each as wide as the header: row ``i`` is on
    line ``lines[i]``."""

    def __init__(self, lines: list[int], rows: list[list[str]]) -> None:
        self.lines = lines
        self.rows = rows
        self.size = len(rows)
        self._texts: dict[int, list[str]] = {}
        self.made: dict = {}  # what a reader made of the block once (the fast path's packed words)

    def line(self, i: int) -> int:
        """The line row ``i`` ends on."""
        return self.lines[i]

    def texts(self, index: int) -> list[str]:
        """The texts of one column (made once)."""
        found = self._texts.get(index)
        if found is None:
            found = self._texts[index] = [row[index] for row in self.rows]
        return found

    def row(self, i: int) -> list[str]:
        """Row ``i`` as the ``csv`` module gave it."""
        return self.rows[i]


def row_blocks(items: Iterable[Any], width: int, size: int | None = None) -> Iterator[Any]:
    """The items of :func:`govspec.io.readers.wide_items` with its rows gathered: each run of rows as wide as the header
    and on one line each as :class:`RowBlock` of at most ``size`` rows; any other row as ``(line, row)``; Arrow's
    blocks as they are.  Rows gathered when the reading fails (an encoding changing part-way, say) are given first,
    then the error is raised, so that every row read before it is judged, in order, as when rows came one by one."""
    size = ROWS if size is None else size
    lines: list[int] = []
    rows: list[list[str]] = []
    found = iter(items)
    while True:
        try:
            item = next(found)
        except StopIteration:
            break
        except Exception:
            if rows:
                yield RowBlock(lines, rows)
            raise
        if type(item) is not tuple:  # a block read by Arrow
            if rows:
                yield RowBlock(lines, rows)
                lines, rows = [], []
            yield item
            continue
        line, row, over_lines = item
        if over_lines or len(row) != width:
            if rows:
                yield RowBlock(lines, rows)
                lines, rows = [], []
            yield line, row
            continue
        lines.append(line)
        rows.append(row)
        if len(rows) >= size:
            yield RowBlock(lines, rows)
            lines, rows = [], []
    if rows:
        yield RowBlock(lines, rows)
