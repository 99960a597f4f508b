"""Reviewed exceptions: findings an auditor has looked at and accepted, kept in a YAML file.

    accepted:
      - report: {agency: 鹤岗市司法局, year: 2020}      # or agency_code
        rule: applications.balance                     # a rule id, or one check: applications.balance[total]
        cells: [applications.carried_over.total]       # optional: the finding must involve these cells
        reason: 上年结转数据已向该局核实，原表漏填
        reviewer: 张三
        date: 2026-11-20

A matching finding is reported as accepted, with its reason, and no longer fails the exit code.  An
entry that matches no finding is *stale* and is reported as a warning, so next year's run stays honest.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import replace
from pathlib import Path
from types import MappingProxyType

from govspec.check.bodies import body_of
from govspec.errors import SpecError
from govspec.records import record
from govspec.spec.yamlsource import load_yaml

MAX_BYTES = 5_000_000


@record
class Entry:
    body: str
    year: int
    rule: str
    cells: tuple
    reason: str
    reviewer: str
    date: str
    where: str  # file:line

    def matches(self, body, year, finding) -> bool:
        return (body == self.body and year == self.year and self.rule in (finding.rule, finding.check)
                and set(self.cells) <= set(finding.cells))

    def facts(self) -> MappingProxyType:
        return MappingProxyType({"reason": self.reason, "reviewer": self.reviewer, "date": self.date,
                                 "entry": self.where})


def load(path: str | Path) -> list[Entry]:
    """Read an exceptions file; a malformed one is a SpecError naming the file and line (exit 3)."""
    path = Path(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise SpecError(f"cannot read the exceptions file: {exc.strerror}", source=str(path),
            zh=f"无法读取例外文件（{exc.strerror}）") from None
    if len(raw) > MAX_BYTES:
        raise SpecError(f"exceptions file larger than {MAX_BYTES} bytes", source=str(path), zh=f"例外文件超过 {MAX_BYTES} 字节")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise SpecError("the exceptions file is not UTF-8", source=str(path), zh="例外文件不是 UTF-8 编码") from None
    doc = load_yaml(text, str(path))
    data = doc.data
    if not isinstance(data, dict) or not isinstance(data.get("accepted"), list):
        raise doc.error("an exceptions file is a mapping with a list 'accepted'", zh="例外文件应为含列表 'accepted' 的映射")
    entries = []
    for index, item in enumerate(data["accepted"]):
        where = ("accepted", index)
        if not isinstance(item, dict):
            raise doc.error("each accepted finding is a mapping", where, zh="每条认可的问题应为一个映射")
        unknown = set(item) - {"report", "rule", "cells", "reason", "reviewer", "date"}
        if unknown:
            raise doc.error(f"unknown key {sorted(unknown)[0]!r}", where + (sorted(unknown)[0],),
                zh=f"未知的键 {sorted(unknown)[0]!r}")
        for key in ("report", "rule", "reason", "reviewer", "date"):
            if key not in item:
                raise doc.error(f"'{key}' is required (who accepted what, when and why)", where,
                    zh=f"缺少 '{key}'（须写明谁、何时、为何认可了什么）")
        report = item["report"]
        body = body_of(report) if isinstance(report, dict) else None
        year = report.get("year") if isinstance(report, dict) else None
        if body is None or not isinstance(year, int):
            raise doc.error("report needs agency (or agency_code) and year", where + ("report",),
                zh="report 须有 agency（或 agency_code）和 year")
        cells = item.get("cells", [])
        if not isinstance(cells, list) or not all(isinstance(c, str) for c in cells):
            raise doc.error("cells is a list of cell ids", where + ("cells",), zh="cells 应为单元格编号的列表")
        date = _review_date(item["date"])
        if date is None:
            raise doc.error(f"date must be the day of the review, such as 2026-11-20 (or 2026/11/20), not "
                            f"{str(item['date'])[:30]!r}", where + ("date",),
                                zh=f"date 应为复核的日期，如 2026-11-20（或 2026/11/20），而不是 {str(item['date'])[:30]!r}")
        for key in ("rule", "reason", "reviewer"):
            if not isinstance(item[key], str) or not item[key].strip():
                raise doc.error(f"'{key}' must be text", where + (key,), zh=f"'{key}' 应为文字")
        line, _ = doc.position(where)
        entries.append(Entry(body, year, item["rule"], tuple(cells), item["reason"], item["reviewer"], str(date),
                             f"{path}:{line}"))
    return entries


def _review_date(value) -> str | None:
    """The review's date as YYYY-MM-DD, from the forms people and Excel write; None if it is not a date."""
    if isinstance(value, datetime.date):
        return value.isoformat()
    match = re.fullmatch(r"\s*(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?\s*", str(value))
    if not match:
        return None
    try:
        return datetime.date(int(match[1]), int(match[2]), int(match[3])).isoformat()
    except ValueError:  # 2026-13-45
        return None


class Acceptances:
    """Applies the entries of exceptions files to reports and findings across reports."""

    def __init__(self, entries: list[Entry]) -> None:
        self.entries = entries
        self.used: set = set()
        # Each finding of a batch is looked up among its own body's and year's entries, in the file's order: a scan
        # of every entry for every finding took 38 s for 20,000 reports and 20,000 entries.
        self._of: dict[tuple, list[tuple[int, Entry]]] = {}
        for index, entry in enumerate(entries):
            self._of.setdefault((entry.body, entry.year), []).append((index, entry))

    def _accept(self, body, year, finding):
        for index, entry in self._of.get((body, year), ()):
            if entry.matches(body, year, finding):
                self.used.add(index)
                return replace(finding, accepted=entry.facts())
        return finding

    def finding(self, body, year, finding):
        """``finding`` of the body's report of ``year``, accepted when an entry matches it."""
        return self._accept(body, year, finding)

    def report(self, report):
        body, year = body_of(report.metadata), report.metadata.get("year")
        findings = tuple(self._accept(body, year, f) for f in report.findings)
        return replace(report, findings=findings) if findings != report.findings else report

    def across(self, items: list) -> list:
        return [replace(item, finding=self._accept(item.body, item.year, item.finding)) for item in items]

    def stale(self) -> list[Entry]:
        """Entries that matched nothing in this run."""
        return [entry for index, entry in enumerate(self.entries) if index not in self.used]
