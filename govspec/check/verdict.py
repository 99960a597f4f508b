"""A report's verdict: *passed*, *failed* or *incomplete* — never "passed" for what was not checked.

- **failed**: an error-level finding (not accepted), including a rule across reports that breaks.
- **incomplete**: nothing failed, but an error-level check could not be evaluated because a cell it
  reads was not read from the source (not seen, not placed) or has no usable value, or the report has
  no value at all.  Checks skipped because a cell is *blank* (reported empty, ``on_blank: skip``) are
  counted and shown, and make the report incomplete only under ``strict_blanks``.
- **passed**: every error-level check was evaluated and holds.

Rules across reports without the previous year's report stay "not checkable" outside the verdict.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from govspec.findings import Finding

PASSED, INCOMPLETE, FAILED = "passed", "incomplete", "failed"
VERDICTS = (PASSED, INCOMPLETE, FAILED)  # in rising order of concern
NO_VALUES = "no_values"
REASONS = ("unseen", "invalid", "blank", NO_VALUES)  # why an error-level check was not evaluated
WORDS = {
    "zh": {PASSED: "通过", FAILED: "不通过", INCOMPLETE: "未完成检查",
           "unseen": "原文中未读到", "invalid": "取值无效", "blank": "空白单元格", NO_VALUES: "报告没有任何数值"},
    "en": {PASSED: "passed", FAILED: "failed", INCOMPLETE: "incomplete",
           "unseen": "not read from the source", "invalid": "unusable values", "blank": "blank cells",
           NO_VALUES: "the report has no value at all"},
}


def not_evaluated(findings: Iterable[Finding], has_values: bool = True) -> dict[str, int]:
    """How many error-level checks were not evaluated, by reason (see :data:`REASONS`)."""
    counts: dict[str, int] = {}
    for finding in findings:
        if finding.code == "rule-not-checkable" and finding.params.get("rule_severity") == "error":
            reason = finding.params.get("reason", "blank")
            counts[reason] = counts.get(reason, 0) + 1
    if not has_values:
        counts[NO_VALUES] = 1
    return counts


def verdict(findings: Iterable[Finding], counts: Mapping[str, int], strict_blanks: bool = False) -> str:
    if any(f.is_error for f in findings):
        return FAILED
    if any(n and (reason != "blank" or strict_blanks) for reason, n in counts.items()):
        return INCOMPLETE
    return PASSED


def worst(verdicts: Iterable[str]) -> str:
    """The verdict of a batch: failed over incomplete over passed."""
    return max(verdicts, key=VERDICTS.index, default=PASSED)


def with_more(own: str, more: Iterable[Finding], strict_blanks: bool = False) -> str:
    """The verdict of a report whose own findings gave ``own``, once ``more`` findings judge it too (those of the
    rules across reports): the same as :func:`verdict` over all of them, since an error anywhere fails it and the
    checks not evaluated add up."""
    more = list(more)
    if own == FAILED or any(f.is_error for f in more):
        return FAILED
    if own == INCOMPLETE or verdict(more, not_evaluated(more), strict_blanks) == INCOMPLETE:
        return INCOMPLETE
    return PASSED
