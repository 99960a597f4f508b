"""Rules across reports: the same body's reports of consecutive years.

A batch keeps, for each report, the few values its spec's ``across_reports`` rules read (the
carry-over rows, say).  When the batch is done, each report is checked against the report of the
same body for the year before: ``previous(cell)`` reads that report, whatever template version it
used.  Bodies are matched by ``report.agency_code`` when given, else by the agency name normalised
(full-width and traditional forms, spaces).  A report with no report of the year before is *not
checkable* across years, never broken.
"""

from __future__ import annotations

import heapq
import itertools
import os
import weakref
from collections.abc import Callable, Iterator
from types import MappingProxyType
from typing import TYPE_CHECKING

from govspec.check import previous
from govspec.check.across_values import UNSEEN, across_list, encoded, for_ledger, kept_values
from govspec.check.bodies import body_of
from govspec.check.light import WAITING
from govspec.check.previous import listed
from govspec.check.report import not_checkable
from govspec.findings import Finding
from govspec.records import record
from govspec.rules import evaluate
from govspec.rules.linear import exact
from govspec.spec.compiler import PREVIOUS, CompiledSpec

if TYPE_CHECKING:  # imported when the ledger file is first opened: one report never opens it
    import sqlite3


WRITE_EVERY = 2048  # reports written to the ledger file in one statement
# One index of the ledger file serves both its readings: the reports of a body and year (its first two columns) and
# their copies (values, then source: as a large group's are named).  A second index of (body, year) alone cost as
# much again to make, some 0.5 µs a report of the batch.
BY_BODY = "CREATE INDEX IF NOT EXISTS by_copy ON report (body, year, digest, source)"
NO_PREVIOUS = "NOT EXISTS (SELECT 1 FROM report AS p WHERE p.body = c.body AND p.year = c.year - 1)"  # ``c``: a report


def ledger_row(report, seq: int) -> tuple | None:
    """What the ledger keeps of a report (a ``Report``, or one waiting light: :data:`~govspec.check.light.WAITING`; in
    a worker process: names normalised there), or None when the report names no body or year."""
    year = report.metadata.get("year")
    body = body_of(report.metadata)
    if not isinstance(year, int) or isinstance(year, bool) or body is None:
        return None
    values = report.words if type(report) in WAITING else encoded(across_list(report))  # the words kept already
    return seq, body, year, report.source, report.spec.spec.ref, for_ledger(values), report.digest

LONE_TITLE = MappingProxyType({"zh": "跨年度规则", "en": "Rules across reports"})


@record
class AcrossFinding:
    """A finding of a rule across reports, with the two reports it compares."""

    body: str
    year: int
    source: str
    previous_source: str | None
    spec: CompiledSpec
    finding: Finding


class Ledger:
    """What the rules across reports need from each report of a batch.

    Kept in a temporary SQLite file (Python's own sqlite3), not in memory, so that the memory of a
    batch stays flat however many bodies it holds; the file is removed when the checks are done.
    """

    def __init__(self) -> None:
        self._db: sqlite3.Connection | None = None
        self._remove: weakref.finalize | None = None
        self._specs: dict = {}
        self._waiting: list = []  # reports added since the last write (written in one statement per chunk)
        self._kept_elsewhere = False  # rows numbered below 0 were added (a dataset's reports: --previous)
        self._elsewhere = 0  # minus how many such rows: where the next ones are numbered from

    def _open(self) -> sqlite3.Connection:
        import shutil  # here, with sqlite3 and tempfile: a lone report never opens the ledger file
        import sqlite3
        import tempfile
        folder = tempfile.mkdtemp(prefix="govspec-ledger-")
        db = sqlite3.connect(os.path.join(folder, "ledger.sqlite"))
        # removed by close(); a ledger dropped without it is removed when collected, or at exit
        self._remove = weakref.finalize(self, _remove, db, folder, shutil.rmtree)
        db.execute("PRAGMA journal_mode=OFF")
        db.execute("PRAGMA synchronous=OFF")
        db.execute("CREATE TABLE report (seq INTEGER PRIMARY KEY, body TEXT, year INTEGER, source TEXT, "
                   "spec TEXT, vals TEXT, digest TEXT)")
        self._db = db
        return db

    def add(self, report, seq: int) -> None:
        """Keep what the rules across reports read of ``report``, the ``seq``-th result of the batch, and
        what tells its copies (:meth:`duplicates`)."""
        year = report.metadata.get("year")
        if not isinstance(year, int) or isinstance(year, bool) or body_of(report.metadata, normalise=False) is None:
            return
        self._specs.setdefault(report.spec.spec.ref, report.spec)
        self._waiting.append((seq, report))
        if len(self._waiting) >= WRITE_EVERY:
            self._write()

    def add_rows(self, rows: list, base: int, specs: dict) -> None:
        """Rows made in a worker process by :func:`ledger_row` (numbered from 0 in their unit), numbered from
        ``base`` here; ``specs``: the compiled spec of each spec reference they name."""
        for ref, spec in specs.items():
            self._specs.setdefault(ref, spec)
        if self._waiting:
            self._write()
        (self._db or self._open()).executemany("INSERT INTO report VALUES (?, ?, ?, ?, ?, ?, ?)",
                                                [(seq + base, *rest) for seq, *rest in rows])

    def add_elsewhere(self, rows: list, specs: dict) -> None:
        """Reports kept elsewhere — what a dataset keeps of each (:func:`govspec.dataset.previous_rows`, numbered
        -1, -2, …) — that the rules across reports read as if they were in the batch: they judge its reports (the
        year before, copies) but are neither judged nor shown.  A report the batch reads again from the same
        source is the batch's."""
        self.add_rows(rows, self._elsewhere, specs)
        self._elsewhere -= len(rows)
        self._kept_elsewhere = True

    def _write(self) -> None:
        """The reports waiting, into the ledger file in one statement (names normalised here, once a batch
        has more than one report: a lone report is matched with nothing, see :meth:`_lone`)."""
        rows = [row for seq, report in self._waiting if (row := ledger_row(report, seq)) is not None]
        self._waiting = []
        (self._db or self._open()).executemany("INSERT INTO report VALUES (?, ?, ?, ?, ?, ?, ?)", rows)

    def _lone(self) -> bool:
        """One report in the whole batch: judged without the file (and without normalising its name)."""
        return self._db is None and len(self._waiting) == 1

    def duplicates(self) -> Iterator[tuple[int, tuple[Finding, ...]]]:
        """For each report that is not the only one of its body and year, in sequence order: ``duplicate-copy``
        naming reports with the same values (one report, published twice), ``duplicate-report`` naming those
        that differ (a few of each by name, the others counted).  Read from the ledger file as they are
        needed, so memory stays flat however many copies a batch holds; the same whatever the input order."""
        if self._lone() or (self._db is None and not self._waiting):
            return iter(())
        self._write()
        assert self._db is not None
        self._drop_shadowed()
        db = self._db
        db.execute(BY_BODY)
        for statement in (
                "CREATE TEMP TABLE groups AS SELECT body, year, COUNT(*) AS n FROM report GROUP BY body, year "
                "HAVING COUNT(*) > 1",
                "CREATE INDEX temp.groups_key ON groups (body, year)",
                # each report of a group, by sequence: a small group's copies named below, a large group's (their
                # body and values kept) looked up through the index as the report is given out
                "CREATE TEMP TABLE copies (seq INTEGER PRIMARY KEY, year INTEGER, n INTEGER, bucket INTEGER, "
                "other TEXT, same TEXT, body TEXT, digest TEXT)",
                # from the large groups (CROSS JOIN keeps the order) to their reports: not from every report of the batch
                "CREATE TEMP TABLE buckets AS SELECT r.body, r.year, r.digest, COUNT(*) AS n FROM groups AS g "
                f"CROSS JOIN report AS r ON g.body = r.body AND g.year = r.year WHERE g.n > {int(SMALL_GROUP)} "
                "AND r.digest IS NOT NULL GROUP BY r.body, r.year, r.digest",
                "CREATE INDEX temp.buckets_key ON buckets (body, year, digest)",
                "INSERT INTO copies SELECT r.seq, r.year, g.n, COALESCE(b.n, 1), NULL, NULL, r.body, r.digest "
                "FROM groups AS g CROSS JOIN report AS r ON r.body = g.body AND r.year = g.year "
                "LEFT JOIN buckets AS b ON b.body = r.body AND b.year = r.year AND b.digest = r.digest "
                f"WHERE g.n > {int(SMALL_GROUP)} AND r.seq >= 0"):
            db.execute(statement)
        self._name_small_groups(db)
        rows = db.cursor().execute("SELECT seq, year, n, bucket, other, same, body, digest FROM copies ORDER BY seq")
        return (self._copies(*row) for row in rows)

    def _name_small_groups(self, db: sqlite3.Connection) -> None:
        """The copies of each report of a small group (SMALL_GROUP reports of a body and year, or fewer), named from
        one reading of the group (a report kept elsewhere, numbered below 0, among them: named, not judged)."""
        rows = db.execute(
            "SELECT r.body, r.year, r.seq, r.digest, r.source FROM groups AS g JOIN report AS r "
            f"ON r.body = g.body AND r.year = g.year WHERE g.n <= {int(SMALL_GROUP)} ORDER BY r.body, r.year")
        named: list = []
        for (_, year), group in itertools.groupby(rows, key=lambda row: row[:2]):
            members = sorted((row[2:] for row in group), key=_in_order)  # no values first, then by values, source
            buckets: dict = {}
            for _, digest, _ in members:
                buckets[digest] = buckets.get(digest, 0) + 1
            for seq, digest, _ in members:
                if seq < 0:
                    continue
                bucket = 1 if digest is None else buckets[digest]
                other = [source for s, d, source in members if s != seq and (digest is None or d != digest)]
                same = [source for s, d, source in members if s != seq and digest is not None and d == digest]
                named.append((seq, year, len(members), bucket, listed(other, len(members) - bucket, MAX_NAMED),
                              listed(same, bucket - 1, MAX_NAMED)))
            if len(named) >= WRITE_EVERY:
                db.executemany("INSERT INTO copies VALUES (?, ?, ?, ?, ?, ?, NULL, NULL)", named)
                named = []
        db.executemany("INSERT INTO copies VALUES (?, ?, ?, ?, ?, ?, NULL, NULL)", named)

    def _drop_shadowed(self) -> None:
        """A report kept elsewhere (numbered below 0) that this batch reads again, from the same source, is this
        batch's: the older row is dropped, so that a report is never its own copy."""
        if self._kept_elsewhere and self._db is not None:
            self._db.execute("CREATE INDEX IF NOT EXISTS by_source ON report (source)")
            self._db.execute("DELETE FROM report WHERE seq < 0 AND source IN (SELECT source FROM report WHERE seq >= 0)")
            self._kept_elsewhere = False

    def _copies(self, seq: int, year: int, group: int, bucket: int, other: str | None, same: str | None,
                body: str | None, digest: str | None) -> tuple[int, tuple[Finding, ...]]:
        """The findings of one of ``group`` reports of a body and year, ``bucket`` of them with this one's values:
        the others named already (``other``, ``same``: a small group's), or looked up through the index (a large
        group's, of ``body``; ``digest``: its values)."""
        if other is None:
            assert body is not None
            differ, copies = self._named_large(seq, body, year, digest, group > bucket, bucket > 1)
            other, same = listed(differ, group - bucket, MAX_NAMED), listed(copies, bucket - 1, MAX_NAMED)
        found = []
        if group > bucket:  # reports that differ: a few named, in (values, source) order, the rest counted
            found.append(Finding("duplicate-report", "warning", location="report", params=MappingProxyType(
                {"year": year, "count": group - bucket, "sources": other})))
        if bucket > 1:
            found.append(Finding("duplicate-copy", "info", location="report", params=MappingProxyType(
                {"year": year, "count": bucket - 1, "sources": same})))
        return seq, tuple(found)

    def _named_large(self, seq: int, body: str, year: int, digest, differ: bool, copies: bool) -> tuple[list, list]:
        """The same, a few of each, looked up through the index (memory stays flat however large the group)."""
        assert self._db is not None
        where = "body = ? AND year = ? AND seq != ?"
        other: list = []
        for part in ("digest IS NULL", "digest < ?", "digest > ?") if digest is not None and differ else \
                ("1",) if differ else ():
            args = (body, year, seq) + ((digest,) if "?" in part else ())
            other += [r[0] for r in self._db.execute(
                f"SELECT source FROM report WHERE {where} AND {part} ORDER BY digest, source LIMIT ?",
                (*args, MAX_NAMED))]
        same = [r[0] for r in self._db.execute(
            f"SELECT source FROM report WHERE {where} AND digest = ? ORDER BY source LIMIT ?",
            (body, year, seq, digest, MAX_NAMED))] if copies else []
        return other, same

    def by_report(self) -> Iterator[tuple[int, list[AcrossFinding]]]:
        """For each report kept, in sequence order: the findings of the rules across reports that judge it
        (it is the later year).  Every report of a body and year is checked, whatever the input order;
        two differing reports of the year before make the checks not checkable."""
        if self._lone():
            seq, report = self._waiting[0]
            found = self._judge([(seq, body_of(report.metadata, normalise=False), report.metadata["year"],
                                  report.source, report.spec.spec.ref, None, None, None, None, None)])
            if found:
                yield seq, found
            return
        if self._db is None and not self._waiting:
            return
        self._write()
        assert self._db is not None
        self._drop_shadowed()
        self._db.execute(BY_BODY)
        previous.build(self._db, "c.seq >= 0", (), MAX_NAMED)
        hints = self._named_differently("c.seq >= 0", (), previous.later_years(self._db))
        rows = self._db.execute(
            "SELECT c.seq, c.body, c.year, c.source, c.spec, c.vals, p.n, p.source, p.spec, p.vals FROM report AS c "
            "LEFT JOIN temp.previous AS p ON p.body = c.body AND p.year = c.year - 1 WHERE c.seq >= 0 "
            "ORDER BY c.seq, p.k")
        for seq, group in itertools.groupby(rows, key=lambda row: row[0]):
            found = self._judge(list(group)) + hints.get(seq, [])
            if found:
                yield seq, found

    def judged(self) -> tuple[int, Iterator[tuple[int, list[AcrossFinding]]]]:
        """What a batch shows of :meth:`by_report`: how many reports have no report of the year before (counted,
        not listed: most reports of a batch of one year), and, in sequence order, the findings of the rules that
        judge each of the others.  The reports without one are counted in the ledger file, not judged one by one."""
        if self._lone() or self._db is None and not self._waiting:
            found = list(self.by_report())
            alone = sum(i.finding.code == "no-previous-report" for _, items in found for i in items)
            kept = ((seq, [i for i in items if i.finding.code != "no-previous-report"]) for seq, items in found)
            return alone, ((seq, items) for seq, items in kept if items)
        judged, refs = self._judged_reports()
        assert self._db is not None
        later = previous.later_years(self._db)
        if not later:  # no year with its year before (a batch of one year's reports): every report judged is alone
            (alone,) = self._db.execute(f"SELECT COUNT(*) FROM report AS c WHERE {judged}", refs).fetchone()
            return alone, iter(())
        self._db.execute(BY_BODY)
        (alone,) = self._db.execute(f"SELECT COUNT(*) FROM report AS c WHERE {judged} AND {NO_PREVIOUS}",
                                    refs).fetchone()
        previous.build(self._db, judged, refs, MAX_NAMED)
        rows = self._db.execute(
            "SELECT c.seq, c.body, c.year, c.source, c.spec, c.vals, p.n, p.source, p.spec, p.vals FROM report AS c "
            f"JOIN temp.previous AS p ON p.body = c.body AND p.year = c.year - 1 WHERE {judged} ORDER BY c.seq, p.k",
            refs)
        groups = ((seq, self._judge(list(group))) for seq, group in itertools.groupby(rows, key=lambda row: row[0]))
        judging = ((seq, items) for seq, items in groups if items)
        hints = self._named_differently(judged, refs, later) if alone else {}  # of reports not in ``judging``
        return alone, heapq.merge(judging, sorted(hints.items()), key=lambda item: item[0]) if hints else judging

    def alone(self) -> Iterator[int]:
        """In sequence order, the reports :meth:`judged` counts: judged by the rules across reports and without a report
        of the year before (a dataset marks each, ``without_previous``), read from the ledger file, not judged one by
        one (:meth:`by_report` gives each of them a ``no-previous-report`` finding)."""
        if self._lone() or self._db is None and not self._waiting:
            return iter([seq for seq, items in self.by_report()
                         if any(i.finding.code == "no-previous-report" for i in items)])
        judged, refs = self._judged_reports()
        assert self._db is not None
        query = f"SELECT c.seq FROM report AS c WHERE {judged}"
        if previous.later_years(self._db):  # else every report judged is alone
            self._db.execute(BY_BODY)
            query += f" AND {NO_PREVIOUS}"
        return (seq for (seq,) in self._db.execute(query + " ORDER BY c.seq", refs))

    def _judged_reports(self) -> tuple[str, list[str]]:
        """The ledger file written, and which of its reports the rules across reports judge: the condition on ``c``
        and its arguments (the specs that have such rules)."""
        self._write()
        self._drop_shadowed()
        refs = [ref for ref, spec in self._specs.items() if spec.across]
        return f"c.seq >= 0 AND c.spec IN ({', '.join('?' * len(refs))})", refs

    def _named_differently(self, judged: str, args, later: list[int]) -> dict[int, list[AcrossFinding]]:
        """Notes, by sequence, for reports whose body has a year before under another name (:mod:`.names`)."""
        from govspec.check.names import named_differently  # a batch's judgement only: one report never loads it
        assert self._db is not None
        return {seq: [AcrossFinding(body, year, source, None, spec, Finding(
            "previous-report-named-differently", "info", params=MappingProxyType(facts)))]
            for seq, (body, year, source, spec, facts) in named_differently(
                self._db, self._specs, judged, args, MAX_NAMED, later).items()}

    def _judge(self, pairs: list) -> list[AcrossFinding]:
        with exact():
            return self._judge_exactly(pairs)

    def _judge_exactly(self, pairs: list) -> list[AcrossFinding]:
        _, body, year, source, ref, vals, versions = pairs[0][:7]
        spec = self._specs[ref]
        if not spec.across:
            return []
        if versions is None:  # one finding for the report, not one per rule: batches can be large
            return [AcrossFinding(body, year, source, None, spec, Finding(
                "no-previous-report", "info", params=MappingProxyType({
                    "rule_title": LONE_TITLE, "missing_year": year - 1})))]
        if versions > 1:  # identical copies are one version; differing ones cannot be told apart
            sources = listed([pair[7] for pair in pairs], versions, MAX_NAMED)
            return [AcrossFinding(body, year, source, pairs[0][7], spec, Finding(
                "previous-report-ambiguous", "info", params=MappingProxyType({
                    "rule_title": LONE_TITLE, "missing_year": year - 1, "count": versions,
                    "sources": sources, "previous_source": sources})))]
        previous_source, previous_ref, previous_vals = pairs[0][7:10]
        merged, unusable = kept_values(spec, vals)
        before, before_unusable = kept_values(self._specs[previous_ref], previous_vals)
        merged.update((PREVIOUS + cell, value) for cell, value in before.items())
        unusable.update((PREVIOUS + cell, why) for cell, why in before_unusable.items())
        bad, unseen = frozenset(unusable), frozenset(cell for cell, why in unusable.items() if why == UNSEEN)
        out = []
        for check in spec.across:  # a cell not seen, or unusable, in either year: not checkable, never blank or 0
            outcome = evaluate.run(check, merged, bad)
            decl = check.rule.decl
            if outcome.status == "fail":
                finding = Finding("rule-violated", decl.severity, check.cells, decl.id, check.binding,
                                  outcome.reported, outcome.computed, outcome.blank, equation=outcome.equation,
                                  params=MappingProxyType({"rule_title": decl.title, "rule_message": decl.message,
                                                           "previous_source": previous_source}))
            elif outcome.status == "skip":
                finding = not_checkable(outcome, unseen, previous_source=previous_source)
            else:
                continue
            out.append(AcrossFinding(body, year, source, previous_source, spec, finding))
        return out

    def findings(self) -> list[AcrossFinding]:
        """Every finding of the rules across reports, in report order (kept for the 0.1 API)."""
        return [item for _, items in self.by_report() for item in items]

    def close(self) -> None:
        """Remove the temporary file (also done when the ledger is collected, or at exit)."""
        if self._remove is not None:
            self._remove()
        self._db = None
        self._waiting = []  # nothing of the closed file is kept: a closed ledger holds no report


MAX_NAMED = 5  # sources a duplicate or ambiguous finding names; the others are counted (a body's 2,000 reports
# of one year named in full in each of its 2,000 reports of the next: 134 MB of output for 4,000 reports)
SMALL_GROUP = 64  # reports of one body and year read with each of them to name its copies


def _in_order(member: tuple) -> tuple:
    """A report of a group, (seq, digest, source), in the order copies are named: no values first, then by values
    and source (as the index lists a large group's)."""
    return member[1] is not None, member[1] or "", member[2]


def _remove(db: sqlite3.Connection, folder: str, rmtree: Callable) -> None:
    db.close()
    rmtree(folder, ignore_errors=True)
