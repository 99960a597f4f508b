"""The report of the year before, as the rules across reports read it.

For each body and year that is some judged report's year before, the ledger file gets a few rows in a temporary
table ``previous``: its *versions* — the spec and the values the rules across reports read, identical copies being
one version — and how many there are.  One version is what every report of the next year is judged by (its source
the last copy read).  Several cannot be told apart: the rules are not checkable, and the first ``named`` sources of
the versions (by name, each version's last copy) are kept to say so, the others counted.

Worked out once per body and year, in one ordered pass over the ledger: each report of the next year then reads
at most ``named`` rows.  Joining every report with every report of its year before read a body's 2,000 differing
reports of one year 2,000 times over (4,000,000 rows, 15 s, for 4,000 reports).
"""

from __future__ import annotations

import heapq
import itertools
from collections import deque
from collections.abc import Iterable, Iterator, Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the ledger file's module, imported where the file is opened
    import sqlite3

WRITE_EVERY = 4096  # rows of the table written in one statement


def later_years(db: sqlite3.Connection) -> list[int]:
    """The years of the ledger whose year before is in it too, in order.  None in most batches (one year's reports):
    then no report has a report of the year before, and none needs looking for."""
    years = {year for (year,) in db.execute("SELECT DISTINCT year FROM report")}
    return sorted(year for year in years if year - 1 in years)


def build(db: sqlite3.Connection, judged: str, args: Sequence, named: int) -> None:
    """(Re)make ``temp.previous`` (body, year, n, k, source, spec, vals) for the reports ``judged`` selects, as ``c``:
    ``n`` versions of the body's report of the year before; with one, its row (k 0); with several, the first
    ``named`` sources by name (k 0, 1, …), spec and values left empty."""
    db.execute("DROP TABLE IF EXISTS temp.previous")
    db.execute("CREATE TEMP TABLE previous (body TEXT, year INTEGER, n INTEGER, k INTEGER, source TEXT, spec TEXT, "
               "vals TEXT)")
    rows = db.cursor().execute(
        "SELECT p.body, p.year, p.spec, p.vals, p.source FROM report AS p WHERE EXISTS (SELECT 1 FROM report AS c "
        f"WHERE c.body = p.body AND c.year = p.year + 1 AND {judged}) ORDER BY p.body, p.year, p.spec, p.vals, p.seq",
        args)
    out: list = []
    for (body, year), group in itertools.groupby(rows, key=lambda row: (row[0], row[1])):
        out.extend(_versions(body, year, group, named))
        if len(out) >= WRITE_EVERY:
            db.executemany("INSERT INTO temp.previous VALUES (?, ?, ?, ?, ?, ?, ?)", out)
            out = []
    db.executemany("INSERT INTO temp.previous VALUES (?, ?, ?, ?, ?, ?, ?)", out)
    db.execute("CREATE INDEX temp.previous_key ON previous (body, year, k)")


def _versions(body: str, year: int, rows: Iterable, named: int) -> list[tuple]:
    """The rows of one body's year, ordered by spec, values and sequence: its versions, streamed (a group of any
    size is held as the first ``named`` names and a count)."""
    count = 0
    version: tuple = ()

    def sources() -> Iterator[str]:
        nonlocal count, version
        for _, copies in itertools.groupby(rows, key=lambda row: (row[2], row[3])):
            version = deque(copies, maxlen=1)[0]  # the version's last copy (a million copies are never held)
            count += 1
            yield version[4]
    first = heapq.nsmallest(named, sources())  # holds ``named`` names at most, whatever the count
    if count == 1:
        return [(body, year, 1, 0, version[4], version[2], version[3])]
    return [(body, year, count, k, source, None, None) for k, source in enumerate(first)]


def listed(sources: list, count: int, named: int) -> str:
    """The first ``named`` of ``count`` sources, the others counted: ``a, b … (+3)``."""
    return ", ".join(sources[:named]) + (f" … (+{count - named})" if count > named else "")
