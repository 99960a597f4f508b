"""Bodies whose names differ only by the places written before them: 洪泽区人民政府 one year, 淮安市洪泽区人民政府 the next.

The rules across reports pair a report with its body's report of the year before, a body known by its ``agency_code``
or by its name as written (normalised: :func:`govspec.check.across.body_of`).  A body names itself with or without
the province or city it is in, so its two years may not pair.  They are not paired here — districts of one name are
in several cities (鼓楼区: 南京, 福州, 徐州, 开封) — but a report without a report of the year before is told of one
whose body's name is its own with places before it, or its own without them (``previous-report-named-differently``,
a note outside the verdict), and how to pair them: the same ``report.agency_code`` in both.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Sequence
from types import MappingProxyType
from typing import TYPE_CHECKING

from govspec.findings import Finding

if TYPE_CHECKING:  # the ledger file's module, imported where the file is opened
    import sqlite3

# a place: a province, region, city, prefecture, league, district, county or banner, named before what it holds
PLACE = re.compile(r"[\u4e00-\u9fff]{1,12}?(?:特别行政区|自治区|自治州|自治县|自治旗|地区|省|市|州|盟|区|县|旗)")
NAME = "name:"  # how the ledger keeps a body known by its name (a body known by its code is known exactly)


def without_places(body: str) -> list[str]:
    """The body's name (``name:…``) without each place before it that another place follows: 江苏省淮安市洪泽区人民政府
    → 淮安市洪泽区人民政府, 洪泽区人民政府.  Never down to a name with no place of its own (人民政府: every city has
    one)."""
    if not body.startswith(NAME):
        return []
    name, out = body[len(NAME):], []
    while (place := PLACE.match(name)) and place.end() < len(name) and PLACE.match(name, place.end()):
        name = name[place.end():]
        out.append(NAME + name)
    return out


def named_differently(db: sqlite3.Connection, judged: str, args: Sequence, named: int) -> dict[int, tuple]:
    """For each report ``judged`` selects (as ``c``) that has no report of the year before but whose body's name is
    that of a body of the year before with places before it, or without them: ``(body, year, source, spec, finding)``
    — a ``previous-report-named-differently`` note naming those bodies and the first ``named`` of their reports by
    source (the others counted).  Empty, at once, when no such report has any report of the year before."""
    years = {year for (year,) in db.execute("SELECT DISTINCT year FROM report")}
    later = sorted(year for year in years if year - 1 in years)  # years with a year before in the batch
    if not later:
        return {}
    alone = db.execute(
        f"SELECT c.seq, c.body, c.year, c.source, c.spec FROM report AS c WHERE {judged} AND c.body LIKE 'name:%' AND "
        f"c.year IN ({', '.join('?' * len(later))}) AND NOT EXISTS "
        "(SELECT 1 FROM report AS p WHERE p.body = c.body AND p.year = c.year - 1)", (*args, *later)).fetchall()
    if not alone:
        return {}
    before = sorted({row[2] - 1 for row in alone})
    bodies: dict = defaultdict(set)  # (name, or name without places, year) -> the bodies of that year so named
    for body, year in db.execute(f"SELECT DISTINCT body, year FROM report WHERE body LIKE 'name:%' AND year IN "
                                 f"({', '.join('?' * len(before))})", before):
        for key in (body, *without_places(body)):
            bodies[(key, year)].add(body)
    found: dict[int, tuple] = {}
    for seq, body, year, source, spec in alone:
        others = set(bodies.get((body, year - 1), ()))  # with places before the body's name
        others.update(shorter for shorter in without_places(body) if shorter in bodies.get((shorter, year - 1), ()))
        others.discard(body)
        if not others:
            continue
        names = sorted(others)
        where = f"year = ? AND body IN ({', '.join('?' * len(names))})"
        (count,) = db.execute(f"SELECT COUNT(*) FROM report WHERE {where}", (year - 1, *names)).fetchone()
        sources = [row[0] for row in db.execute(f"SELECT source FROM report WHERE {where} ORDER BY source LIMIT ?",
                                                (year - 1, *names, named))]
        facts = {"missing_year": year - 1, "names": "、".join(name[len(NAME):] for name in names),
                 "sources": listed(sources, count, named)}
        found[seq] = (body, year, source, spec,
                      Finding("previous-report-named-differently", "info", params=MappingProxyType(facts)))
    return found


def listed(sources: list, count: int, named: int) -> str:
    """The first ``named`` of ``count`` sources, the others counted: ``a, b … (+3)``."""
    return ", ".join(sources[:named]) + (f" … (+{count - named})" if count > named else "")
