"""The report's own facts (``report.*``): keys, agency, dates, kind, the template's years, and the
publication deadline (条例 art. 49–50)."""

from __future__ import annotations

import datetime
import functools
from collections.abc import Iterator, Mapping

from govspec.check.cells import params
from govspec.errors import did_you_mean
from govspec.findings import Finding
from govspec.io.instance import REPORT_KEYS, TOP_LEVEL_KEYS, show
from govspec.io.values import read_date
from govspec.spec.compiler import CompiledSpec


def metadata_findings(document: Mapping, spec: CompiledSpec, selected_by: str) -> Iterator[Finding]:
    for key in document:
        if key not in TOP_LEVEL_KEYS:
            yield Finding("unknown-key", "warning", location=key,
                          params=params(name=key, suggestion=did_you_mean(key, TOP_LEVEL_KEYS)))
    report = document.get("report") or {}
    for key in report:
        if key not in REPORT_KEYS:
            yield Finding("unknown-key", "warning", location=f"report.{key}", params=params(
                name=f"report.{key}", suggestion=did_you_mean(f"report.{key}", [f"report.{k}" for k in REPORT_KEYS])))
    if not agency_given(report.get("agency")):
        yield Finding("metadata-invalid", "warning", location="report.agency", params=params(
            name="agency", problem={"zh": "缺少报告机关名称", "en": "the reporting body's name is missing"}))
    for name in ("dated", "published"):
        value = report.get(name)
        if value is not None and not _is_date(value):
            yield Finding("metadata-invalid", "warning", location=f"report.{name}", params=params(
                name=name, problem={"zh": f"应为日期（如 2025-01-20、2025/1/20、2025年1月20日），实为 {show(value)}",
                                    "en": f"expected a date (2025-01-20, 2025/1/20, 2025年1月20日), found {show(value)}"}))
    kind = report.get("kind")
    if kind is not None and kind not in REPORT_KINDS:
        yield Finding("metadata-invalid", "warning", location="report.kind", params=params(
            name="kind", problem={"zh": f"应为 department（部门）或 government（政府），实为 {show(kind)}",
                                  "en": f"expected department or government, found {show(kind)}"}))
    late = lateness(report)
    if late is not None:
        yield Finding("published-late", "warning", location="report.published", params=params(**late))
    note = deadline_note(report)
    if note is not None:
        yield note
    year = report.get("year")
    if year is not None and selected_by != "year" and not spec.spec.governs(year):
        yield Finding("template-year-mismatch", "warning", location="version",
                      params=params(year=year, version=spec.version))


REPORT_KINDS = ("department", "government")

# What the checks of a report's own facts read of it: :func:`metadata_findings`, and before them the checks of its
# shape (:func:`govspec.io.instance.check_document`) and of the spec it names (``Validator._checker``).  They read its
# top-level values but the tables, the keys of its ``report``, the values of these of them, and of its agency only
# whether it is named: documents alike in these get the same findings from them (:func:`facts_read`), so a batch
# judges the facts of many reports once (``Validator._judged``; a CSV-wide block by its columns, govspec.check.wide).
# A check that reads more must be declared here (tests/test_properties.py fails otherwise).
FACTS_READ = ("year", "published", "dated", "kind")


def agency_given(agency) -> bool:
    """Whether a report names the body it is about (its ``report.agency``)."""
    return isinstance(agency, str) and bool(agency.strip())


def facts_read(document: Mapping) -> tuple:
    """What the checks of a document's facts read of it: its keys, its top-level values but the tables and ``report``,
    the keys of ``report`` and the values of :data:`FACTS_READ` there, and whether it names its agency — each value with
    its type (2021 and 2021.0 are equal in Python, not to these checks)."""
    report = document.get("report", {})
    top = tuple([(key, type(value), value) for key, value in document.items() if key != "tables" and key != "report"])
    if type(report) is not dict and not isinstance(report, Mapping):  # the common case told without the ABC's check
        return tuple(document), top, (type(report), report)
    values = tuple(map(report.get, FACTS_READ))
    return tuple(document), top, tuple(report), values, tuple(map(type, values)), agency_given(report.get("agency"))


NOTES = frozenset({"deadline-not-checked"})  # what metadata_findings says of a report that is in order


def deadline_notes(report: Mapping) -> tuple[Finding, ...]:
    """The notes (:data:`NOTES`) about a report whose metadata is otherwise in order: the fast path's share
    of :func:`metadata_findings`."""
    note = deadline_note(report)
    return (note,) if note is not None else ()


def deadline_note(report: Mapping) -> Finding | None:
    """Why the publication deadline could not be (fully) checked, or None when it was."""
    published, year, kind = report.get("published"), report.get("year"), report.get("kind")
    try:
        return _deadline_note(published, year, kind)
    except TypeError:  # a value that cannot be a cache key (a list where a date belongs): not cached
        return _deadline_note.__wrapped__(published, year, kind)


@functools.lru_cache(maxsize=4096, typed=True)  # the same few dates, years and kinds in a whole batch
def _deadline_note(published, year, kind) -> Finding | None:
    if published is not None and not _is_date(published):
        return None  # said already: metadata-invalid
    if published is None:
        return _NO_DATE  # one value for every such report: findings are immutable
    if not isinstance(year, int) or isinstance(year, bool):
        return _NO_YEAR
    if kind not in REPORT_KINDS:
        date = read_date(published)
        if date is None or not datetime.date(year + 1, 1, 31) < date <= datetime.date(year + 1, 3, 31):
            return None  # on time for either kind, or late for both (published-late)
        reason = {"zh": f"报告未注明类型（report.kind），于 {published} 发布：若为部门报告已逾期（次年1月31日前），"
                        "若为政府报告则按期（次年3月31日前）",
                  "en": f"the report does not give its kind (report.kind) and was published on {published}: late "
                        "for a department (by 31 January), on time for a government (by 31 March)"}
        return _note(reason)
    return None


def _note(reason: dict) -> Finding:
    return Finding("deadline-not-checked", "info", location="report.published", params=params(reason=reason))


_NO_DATE = _note({"zh": "报告未注明发布日期（report.published）",
                           "en": "the report does not give its publication date (report.published)"})
_NO_YEAR = _note({"zh": "报告未注明年度（report.year）", "en": "the report does not give its year (report.year)"})


def lateness(report: Mapping) -> dict | None:
    """The facts of a late publication (条例 art. 49–50), or None if on time or not known."""
    published, year, kind = report.get("published"), report.get("year"), report.get("kind")
    if not _is_date(published) or not isinstance(year, int) or isinstance(year, bool) or year < 1900:
        return None
    date = read_date(published)
    assert date is not None
    if kind == "department":
        deadline, rule = datetime.date(year + 1, 1, 31), ("部门：次年1月31日前", "departments: by 31 January")
    elif kind == "government":
        deadline, rule = datetime.date(year + 1, 3, 31), ("政府：次年3月31日前", "governments: by 31 March")
    else:  # kind unknown: only what is late for either kind
        deadline, rule = datetime.date(year + 1, 3, 31), ("未注明类型，按最晚期限3月31日", "kind not given: the later deadline")
    if date <= deadline:
        return None
    return {"year": year, "published": published, "deadline": deadline.isoformat(), "rule": rule[0], "rule_en": rule[1]}


def _is_date(value) -> bool:
    return read_date(value) is not None
