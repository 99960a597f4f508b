"""Bodies whose names differ only in how they are written: 洪泽区人民政府 one year, 淮安市洪泽区人民政府 or 洪泽区政府 the next.

The rules across reports pair a report with its body's report of the year before, a body known by its ``agency_code``
or by its name as written (normalised: :func:`govspec.check.bodies.body_of`).  A body names itself with or without
the province or city it is in, and its 人民政府 as 政府 or not, so its two years may not pair.  They are not paired here
— districts of one name are in several cities (鼓楼区: 南京, 福州, 徐州, 开封) — but a report without a report of the year
before is told of one whose body's name is its own written another of these ways (``previous-report-named-differently``,
a note outside the verdict), and how to pair them: the same ``report.agency_code`` in both.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from typing import TYPE_CHECKING

from govspec.check.previous import WRITE_EVERY, listed  # rows written to the ledger file in one statement
from govspec.patterns import LazyPattern

if TYPE_CHECKING:  # the ledger file's module, imported where the file is opened
    import sqlite3

# a place: a province, region, city, prefecture, league, district, county or banner, named before what it holds
PLACE = LazyPattern(r"[\u4e00-\u9fff]{1,12}?(?:特别行政区|自治区|自治州|自治县|自治旗|地区|省|市|州|盟|区|县|旗)")
ENDS = "省区市州盟县旗"  # the characters every place of :data:`PLACE` ends with (特别行政区, 地区: 区)
NAME = "name:"  # how the ledger keeps a body known by its name (a body known by its code is known exactly)


def without_places(body: str) -> list[str]:
    """The body's name (``name:…``) without each place before it that another place follows: 江苏省淮安市洪泽区人民政府
    → 淮安市洪泽区人民政府, 洪泽区人民政府.  Never down to a name with no place of its own (人民政府: every city has
    one)."""
    if not body.startswith(NAME) or sum(map(body.count, ENDS)) < 2:  # fewer than two places: none to take off
        return []
    name, out = body[len(NAME):], []
    while (place := PLACE.match(name)) and place.end() < len(name) and PLACE.match(name, place.end()):
        name = name[place.end():]
        out.append(NAME + name)
    return out


def other_forms(body: str) -> list[str]:
    """The body's name written the other ways a body writes it: without the places before it
    (:func:`without_places`), and with 人民政府 as 政府 (淮安市人民政府, 淮安市政府)."""
    forms = without_places(body)
    if "人民政府" in body:
        forms += [name.replace("人民政府", "政府") for name in (body, *forms)]
    return forms


def named_differently(db: sqlite3.Connection, specs: dict, judged: str, args: Sequence, named: int,
                      later: list[int]) -> dict[int, tuple]:
    """For each report ``judged`` selects (as ``c``) that has no report of the year before but whose body's name is
    that of a body of the year before written another way (:func:`other_forms`), or the other way round, and whose spec
    (in ``specs``, by reference) has rules across reports: ``(body, year, source, spec, facts)``, the facts of its
    note ``previous-report-named-differently`` — the year before, the names of those bodies, the first ``named`` of
    their reports by source.  ``later``: the years of the batch with a year before in it
    (:func:`govspec.check.previous.later_years`); none, at once, without one."""
    return {seq: (body, year, source, specs[ref], {"missing_year": year - 1, "names": "、".join(others),
                                                  "sources": listed(sources, count, named)})
            for seq, (body, year, source, ref, others, sources, count) in _named_differently(
                db, judged, args, named, later).items() if specs[ref].across}


def _named_differently(db: sqlite3.Connection, judged: str, args: Sequence, named: int,
                       later: list[int]) -> dict[int, tuple]:
    """For each report of :func:`named_differently`: ``(body, year, source, spec, names, sources, count)`` — the names
    of those bodies, the first ``named`` of their reports by source, and how many there are.  The names without their
    places wait in the ledger file, and are matched there (memory stays flat however many bodies)."""
    if not later:
        return {}
    marks = ", ".join("?" * len(later))
    db.execute("DROP TABLE IF EXISTS temp.shorter")
    db.execute("CREATE TEMP TABLE shorter (name TEXT, year INTEGER, body TEXT)")  # a body's name without places
    rows: list = []
    kept = 0
    for body, year in db.cursor().execute(f"SELECT DISTINCT body, year FROM report WHERE body LIKE 'name:%' AND "
                                          f"(year IN ({marks}) OR year + 1 IN ({marks}))", (*later, *later)):
        rows.extend((name, year, body) for name in other_forms(body))
        if len(rows) >= WRITE_EVERY:
            db.executemany("INSERT INTO temp.shorter VALUES (?, ?, ?)", rows)
            kept, rows = kept + len(rows), []
    db.executemany("INSERT INTO temp.shorter VALUES (?, ?, ?)", rows)
    if not kept + len(rows):  # no name can be written another way: none differs only so
        return {}
    db.execute("CREATE INDEX temp.shorter_name ON shorter (name, year)")
    db.execute("CREATE INDEX temp.shorter_body ON shorter (body, year)")
    alone = (f"{judged} AND c.year IN ({marks}) AND NOT EXISTS "
             "(SELECT 1 FROM report AS p WHERE p.body = c.body AND p.year = c.year - 1)")
    pairs = db.cursor().execute(  # the year before's bodies this one's name is a form of, or those of its forms
        "SELECT c.seq, c.body, c.year, c.source, c.spec, s.body FROM report AS c JOIN temp.shorter AS s "
        f"ON s.name = c.body AND s.year = c.year - 1 WHERE {alone} UNION "
        "SELECT c.seq, c.body, c.year, c.source, c.spec, s.name FROM report AS c JOIN temp.shorter AS s "
        "ON s.body = c.body AND s.year = c.year WHERE EXISTS (SELECT 1 FROM report AS p WHERE p.body = s.name "
        f"AND p.year = c.year - 1) AND {alone} ORDER BY 1", (*args, *later, *args, *later))
    found: dict[int, tuple] = {}
    for (seq, body, year, source, spec), group in itertools.groupby(pairs, key=lambda row: row[:5]):
        others = sorted({row[5] for row in group})
        where = f"year = ? AND body IN ({', '.join('?' * len(others))})"
        (count,) = db.execute(f"SELECT COUNT(*) FROM report WHERE {where}", (year - 1, *others)).fetchone()
        sources = [row[0] for row in db.execute(f"SELECT source FROM report WHERE {where} ORDER BY source LIMIT ?",
                                                (year - 1, *others, named))]
        found[seq] = (body, year, source, spec, [name[len(NAME):] for name in others], sources, count)
    return found
