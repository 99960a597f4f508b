"""Rules across reports: the same body's reports of consecutive years.

A batch keeps, for each report, the few values its spec's ``across_reports`` rules read (the
carry-over rows, say).  When the batch is done, each report is checked against the report of the
same body for the year before: ``previous(cell)`` reads that report, whatever template version it
used.  Bodies are matched by ``report.agency_code`` when given, else by the agency name normalised
(full-width and traditional forms, spaces).  A report with no report of the year before is *not
checkable* across years, never broken.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from types import MappingProxyType

from . import evaluate
from .compiler import PREVIOUS, CompiledSpec
from .findings import Finding

try:
    from zhconv import convert as _simplified
except ImportError:  # pragma: no cover
    def _simplified(text: str, _locale: str) -> str:
        return text


def body_of(metadata) -> str | None:
    """Which body a report is about: its agency code, or its agency name normalised."""
    code = metadata.get("agency_code")
    if isinstance(code, str) and code.strip():
        return "code:" + code.strip()
    agency = metadata.get("agency")
    if not isinstance(agency, str) or not agency.strip():
        return None
    return _name(agency)


@lru_cache(maxsize=65536)
def _name(agency: str) -> str:
    name = unicodedata.normalize("NFKC", _simplified(agency, "zh-cn"))
    return "name:" + re.sub(r"\s+", "", name)


LONE_TITLE = MappingProxyType({"zh": "跨年度规则", "en": "Rules across reports"})


@dataclass(frozen=True)
class AcrossFinding:
    """A finding of a rule across reports, with the two reports it compares."""

    body: str
    year: int
    source: str
    previous_source: str | None
    spec: CompiledSpec
    finding: Finding


class Ledger:
    """What the rules across reports need from each report of a batch."""

    def __init__(self) -> None:
        self._reports: dict = {}   # (body, year) -> (source, spec, values): about 150 bytes a report

    def add(self, report) -> None:
        body = body_of(report.metadata)
        year = report.metadata.get("year")
        if body is None or not isinstance(year, int) or isinstance(year, bool):
            return
        key = (body, year)
        if key not in self._reports:  # a second report of the same body and year is compared as the first
            self._reports[key] = (report.source, report.spec, tuple(report.values.items()))

    def findings(self) -> list[AcrossFinding]:
        out = []
        for (body, year), (source, spec, values) in sorted(self._reports.items()):
            if not spec.across:
                continue
            previous = self._reports.get((body, year - 1))
            current = dict(values)
            if previous is None:  # one finding for the report, not one per rule: batches can be large
                out.append(AcrossFinding(body, year, source, None, spec, Finding(
                    "no-previous-report", "info", params=MappingProxyType({
                        "rule_title": LONE_TITLE, "missing_year": year - 1}))))
                continue
            previous_source, _, previous_values = previous
            merged = dict(current)
            merged.update((PREVIOUS + cell, value) for cell, value in previous_values)
            for check in spec.across:
                outcome = evaluate.run(check, merged)
                decl = check.rule.decl
                params = MappingProxyType({"rule_title": decl.title, "rule_message": decl.message})
                if outcome.status == "fail":
                    finding = Finding("rule-violated", decl.severity, check.cells, decl.id, check.binding,
                                      outcome.reported, outcome.computed, outcome.blank, equation=outcome.equation,
                                      params=params)
                elif outcome.status == "skip":
                    finding = Finding("rule-not-checkable", "info", outcome.invalid or outcome.blank, decl.id,
                                      check.binding, blank_cells=outcome.blank, params=params)
                else:
                    continue
                out.append(AcrossFinding(body, year, source, previous_source, spec, finding))
        return out

    @property
    def pairs(self) -> int:
        """How many reports have a report of the same body for the year before."""
        return sum(1 for (body, year) in self._reports if (body, year - 1) in self._reports)
