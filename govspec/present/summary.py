"""Counts over a batch, the same for every output format: reports per verdict, reports breaking each rule
(errors and warnings apart), reports judged by the rules across reports."""

from __future__ import annotations

from collections import Counter
from dataclasses import field

from govspec.check.verdict import FAILED, INCOMPLETE, PASSED, worst
from govspec.io.instance import Unreadable
from govspec.records import record
from govspec.spec.compiler import PREVIOUS

UNREADABLE = "unreadable"


@record(frozen=False)
class Summary:
    """Counts over a batch.  Every count is of reports, not of findings."""

    reports: int = 0
    passed: int = 0
    failed: int = 0
    incomplete: int = 0
    unreadable: int = 0
    rules: Counter = field(default_factory=Counter)        # reports breaking each rule (any severity)
    by_severity: dict = field(default_factory=lambda: {"error": Counter(), "warning": Counter()})
    across: Counter = field(default_factory=Counter)       # reports with an error / warning across reports
    not_evaluated: Counter = field(default_factory=Counter)  # reports with error-level checks not evaluated, by why
    without_previous: int = 0                              # reports whose year before is not in the batch
    accepted: int = 0
    stale: int = 0

    def add(self, result) -> None:
        self.reports += 1
        if getattr(result, "only_notes", False):  # a clean report of the fast path (govspec.check.light): every check
            self.passed += 1                      # evaluated and held, its findings notes — passed, nothing more to count
            return
        if isinstance(result, Unreadable):
            self.unreadable += 1
            return
        verdict = result.verdict
        setattr(self, verdict, getattr(self, verdict) + 1)
        broken: set = set()   # (rule, severity) of its findings of broken rules, not accepted
        across: set = set()   # the severities of those that read the year before
        for f in result.findings:  # one pass: most reports of a batch have none, or a few notes
            if f.accepted is not None:
                self.accepted += 1
            elif f.code == "rule-violated":
                if f.severity in self.by_severity:
                    broken.add((f.rule, f.severity))
                if _across(f.cells):
                    across.add(f.severity)
        for rule in {rule for rule, _ in broken}:
            self.rules[rule] += 1
        for rule, severity in broken:
            self.by_severity[severity][rule] += 1
        for severity in across:
            self.across[severity] += 1
        for reason in result.not_evaluated:
            self.not_evaluated[reason] += 1

    @property
    def verdict(self) -> str:
        """The batch's verdict (unreadable inputs aside): failed over incomplete over passed."""
        return worst([FAILED] * bool(self.failed) + [INCOMPLETE] * bool(self.incomplete) + [PASSED])

    def as_json(self) -> dict:
        def ranked(counter: Counter) -> dict:
            return dict(sorted(counter.items(), key=lambda kv: (-kv[1], kv[0])))
        return {"reports": self.reports, "passed": self.passed, "failed": self.failed,
                "incomplete": self.incomplete, "unreadable": self.unreadable,
                "valid": self.passed,  # deprecated: the number of reports that passed
                "rules": ranked(self.rules),
                "rules_by_severity": {s: ranked(c) for s, c in self.by_severity.items()},
                "not_evaluated": ranked(self.not_evaluated),
                "across": {"error": self.across.get("error", 0), "warning": self.across.get("warning", 0),
                           "without_previous_year": self.without_previous},
                "accepted": self.accepted, "stale_exceptions": self.stale}


def _across(cells: tuple[str, ...]) -> bool:
    return any(c.startswith(PREVIOUS) for c in cells)
