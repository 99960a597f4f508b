"""Counts over a batch, the same for every output format."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from govspec.io.instance import Unreadable


@dataclass
class Summary:
    """Counts over a batch: reports read, valid, invalid, unreadable, and reports breaking each rule."""

    reports: int = 0
    valid: int = 0
    invalid: int = 0
    unreadable: int = 0
    rules: Counter = field(default_factory=Counter)
    across: Counter = field(default_factory=Counter)  # severities of findings across reports; "lone" reports

    accepted: int = 0
    stale: int = 0

    def add_across(self, items) -> None:
        lone = set()
        for item in items:
            if item.finding.code == "no-previous-report":
                lone.add(item.source)
            elif item.finding.accepted is not None:
                self.accepted += 1
            else:
                self.across[item.finding.severity] += 1
                if item.finding.code == "rule-violated":
                    self.rules[item.finding.rule] += 1
        self.across["lone"] = len(lone)

    @property
    def failed(self) -> bool:
        """An error anywhere: in a report, or across reports."""
        return bool(self.invalid or self.across.get("error"))

    def add(self, result) -> None:
        self.reports += 1
        if isinstance(result, Unreadable):
            self.unreadable += 1
            return
        if result.valid:
            self.valid += 1
        else:
            self.invalid += 1
        self.accepted += sum(1 for f in result.findings if f.accepted is not None)
        for rule in {f.rule for f in result.findings if f.code == "rule-violated" and f.accepted is None}:
            self.rules[rule] += 1

    def as_json(self) -> dict:
        return {"reports": self.reports, "valid": self.valid, "invalid": self.invalid,
                "unreadable": self.unreadable, "rules": dict(sorted(self.rules.items(), key=lambda kv: (-kv[1], kv[0]))),
                "across": {"error": self.across.get("error", 0), "warning": self.across.get("warning", 0),
                           "info": self.across.get("info", 0),
                           "without_previous_year": self.across.get("lone", 0)},
                "accepted": self.accepted, "stale_exceptions": self.stale}
