"""Counts over a batch, the same for every output format: reports per verdict, reports breaking each rule
(errors and warnings apart), reports judged by the rules across reports."""

from __future__ import annotations

from collections import Counter
from dataclasses import field

from govspec.check.verdict import FAILED, INCOMPLETE, PASSED, worst
from govspec.check.written import Entries
from govspec.io.instance import Unreadable
from govspec.records import record
from govspec.spec.compiler import PREVIOUS

UNREADABLE = "unreadable"
BROKEN = ("error", "warning")  # the severities whose broken rules a summary counts by rule (Summary.by_severity)


@record(frozen=False)
class Summary:
    """Counts over a batch.  Every count is of reports, not of findings."""

    reports: int = 0
    passed: int = 0
    failed: int = 0
    incomplete: int = 0
    unreadable: int = 0
    rules: Counter = field(default_factory=Counter)        # reports breaking each rule (any severity)
    by_severity: dict = field(default_factory=lambda: {severity: Counter() for severity in BROKEN})
    across: Counter = field(default_factory=Counter)       # reports with an error / warning across reports
    not_evaluated: Counter = field(default_factory=Counter)  # reports with error-level checks not evaluated, by why
    without_previous: int = 0                              # reports whose year before is not in the batch
    accepted: int = 0
    stale: int = 0

    def add(self, result) -> None:
        """Count a result: a report, or an unreadable input."""
        if getattr(result, "only_notes", False):  # a clean report of the fast path (govspec.check.light): every check
            self.reports += 1                     # evaluated and held, its findings notes — passed, nothing more to
            self.passed += 1                      # count
        else:
            self.add_tally(tally(result))

    def add_entries(self, entries: Entries) -> None:
        """Count results as a worker process wrote them, by their tallies."""
        plain = entries.tallies.count(None)  # passed, nothing more to count: most reports of a batch
        self.reports += plain
        self.passed += plain
        for counted in entries.tallies:
            if counted is not None:
                self.add_tally(counted)

    def add_tally(self, counted: tuple | None) -> None:
        """Count a result by its :func:`tally`."""
        self.reports += 1
        if counted is None:
            self.passed += 1
            return
        verdict = counted[0]
        if verdict == UNREADABLE:
            self.unreadable += 1
            return
        _, accepted, broken, across, not_evaluated = counted
        setattr(self, verdict, getattr(self, verdict) + 1)
        self.accepted += accepted
        for rule in {rule for rule, _ in broken}:
            self.rules[rule] += 1
        for rule, severity in broken:
            self.by_severity[severity][rule] += 1
        for severity in across:
            self.across[severity] += 1
        for reason in not_evaluated:
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


def tally(result) -> tuple | None:
    """What a :class:`Summary` counts of a result, as plain values that another process can send: None for a report
    that passed with notes at most (every check evaluated and held), ``("unreadable",)`` for an unreadable input, else
    its verdict, how many of its findings were accepted, the (rule, severity) of its findings of broken rules not
    accepted, the severities of those that read the year before, and why its checks were not evaluated."""
    if getattr(result, "only_notes", False):
        return None
    if isinstance(result, Unreadable):
        return (UNREADABLE,)
    accepted = 0
    broken: set = set()   # (rule, severity) of its findings of broken rules, not accepted
    across: set = set()   # the severities of those that read the year before
    for f in result.findings:  # one pass: most reports of a batch have none, or a few notes
        if f.accepted is not None:
            accepted += 1
        elif f.code == "rule-violated":
            if f.severity in BROKEN:
                broken.add((f.rule, f.severity))
            if _across(f.cells):
                across.add(f.severity)
    verdict, not_evaluated = result.verdict, tuple(result.not_evaluated)
    if verdict == PASSED and not (accepted or broken or across or not_evaluated):
        return None
    return verdict, accepted, tuple(broken), tuple(across), not_evaluated


def _across(cells: tuple[str, ...]) -> bool:
    return any(c.startswith(PREVIOUS) for c in cells)
