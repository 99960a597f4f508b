"""Validate instances against a compiled spec: structure, cell types, rules, root causes.

``iter_findings`` yields findings; ``validate`` wraps them in a :class:`Report`.
Nothing here keeps state between instances.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from types import MappingProxyType
from typing import Any

from govspec.errors import InstanceError, did_you_mean
from govspec.findings import SEVERITY_ORDER, Finding
from govspec.io.instance import EXPECTED, REPORT_KEYS, TOP_LEVEL_KEYS, cell_value, check_document, json_type, read_json
from govspec.io.values import NOT_SEEN, CellText, read_text
from govspec.rules import evaluate
from govspec.spec import loader
from govspec.spec.compiler import CompiledSpec
from govspec.spec.resolver import SpecNotFound


@dataclass(frozen=True)
class Report:
    """The result of validating one instance."""

    source: str
    spec: CompiledSpec
    selected_by: str                 # "version", "year" or "option"
    metadata: Mapping
    findings: tuple[Finding, ...]
    not_reported: tuple[str, ...]    # cells of the spec that are missing or null
    values: Mapping = field(default_factory=lambda: MappingProxyType({}))  # cells rules across reports read
    all_values: Mapping | None = None  # every usable value, when asked for (govspec audit draws the tables)

    @property
    def valid(self) -> bool:
        return not any(f.is_error for f in self.findings)

    def count(self, severity: str) -> int:
        return sum(1 for f in self.findings if f.severity == severity)


@dataclass(frozen=True)
class CellData:
    values: Mapping[str, Any]  # cell id → int | Decimal
    invalid: frozenset
    present: frozenset               # cells with a value that is not blank (usable or not)
    findings: tuple[Finding, ...]


def _params(**kwargs) -> Mapping:
    return MappingProxyType(kwargs)


def _label(cell) -> dict:
    return {"zh": cell.short_label("zh"), "en": cell.short_label("en")}


def read_cells(spec: CompiledSpec, tables: Mapping, unseen=()) -> CellData:
    """The usable values of an instance's cells, and findings about the ones that are not.

    ``unseen`` cells were not visible in the published source (cut off, or not placeable): like
    invalid ones, every rule that reads them is not checkable.
    """
    values: dict = {}
    invalid: set = set(c for c in unseen if c in spec.cell_index)
    present: set = set()
    findings: list[Finding] = []
    table_ids = [t.id for t in spec.spec.tables]
    for table_id, rows in tables.items():
        where = f"tables.{table_id}"
        if table_id not in table_ids:
            findings.append(Finding("unknown-table", "error", location=where,
                                    params=_params(name=table_id, suggestion=did_you_mean(table_id, table_ids))))
            continue
        table = spec.spec.table(table_id)
        if not isinstance(rows, dict):
            findings.append(_shape(where, rows))
            invalid.update(c.id for c in spec.cells if c.table.id == table_id)
            continue
        for row_id, columns in rows.items():
            if row_id not in table._row_blocks:
                row_ids = [r.id for r in table.rows]
                findings.append(Finding("unknown-row", "error", location=f"{where}.{row_id}", params=_params(
                    table=table_id, name=row_id, suggestion=did_you_mean(row_id, row_ids))))
                continue
            if not isinstance(columns, dict):
                findings.append(_shape(f"{where}.{row_id}", columns))
                invalid.update(c.id for c in spec.cells if c.table.id == table_id and c.row.id == row_id)
                continue
            row_cells = spec.row_cells.get((table_id, row_id), {})
            for column_id, raw in columns.items():
                if raw is NOT_SEEN:
                    continue
                cell = row_cells.get(column_id)
                kind = type(raw)
                if cell is not None and kind is int and (raw >= 0 or cell.type == "signed_count"):
                    cell_id = cell.id  # the common case: a plain integer
                    values[cell_id] = raw if cell.type != "money" else Decimal(raw)
                    present.add(cell_id)
                    continue
                cell_id = f"{table_id}.{row_id}.{column_id}"
                if cell is None:
                    column_ids = [c.id for c in table.block_of(row_id).columns]
                    findings.append(Finding("unknown-column", "error", location=f"tables.{cell_id}", params=_params(
                        row=f"{table_id}.{row_id}", name=column_id, suggestion=did_you_mean(column_id, column_ids))))
                    continue
                position = None
                if isinstance(raw, CellText):
                    position = raw.position
                    reading = read_text(raw.text, cell.type, cell.column.unit, spec.spec.placeholders)
                    if reading.note and reading.note["kind"] == "unit":
                        findings.append(Finding("value-converted", "info", (cell_id,), location=f"tables.{cell_id}",
                                                position=position, params=_params(
                                                    label=_label(cell), text=reading.note["text"],
                                                    value=reading.note["value"], unit=reading.note["to"])))
                    raw = reading.value
                if raw is None:
                    continue
                present.add(cell_id)
                value, problem = cell_value(raw, cell.type)
                if problem:
                    invalid.add(cell_id)
                    findings.append(Finding("wrong-type", "error", (cell_id,), location=f"tables.{cell_id}",
                                            position=position, params=_params(
                                                label=_label(cell), expected=EXPECTED[cell.type], found=_show(raw))))
                    continue
                if value < 0 and cell.type != "signed_count":
                    findings.append(Finding("negative-value", "error", (cell_id,), location=f"tables.{cell_id}",
                                            position=position, params=_params(label=_label(cell), value=str(value))))
                values[cell_id] = value
    return CellData(MappingProxyType(values), frozenset(invalid), frozenset(present), tuple(findings))


def _shape(where: str, value) -> Finding:
    return Finding("not-an-object", "error", location=where, params=_params(where=where, found=json_type(value)))


def _show(raw) -> str:
    text = repr(raw) if isinstance(raw, str) else str(raw).lower() if isinstance(raw, bool) else str(raw)
    return text if len(text) <= 40 else text[:37] + "..."


def metadata_findings(document: Mapping, spec: CompiledSpec, selected_by: str) -> Iterator[Finding]:
    for key in document:
        if key not in TOP_LEVEL_KEYS:
            yield Finding("unknown-key", "warning", location=key,
                          params=_params(name=key, suggestion=did_you_mean(key, TOP_LEVEL_KEYS)))
    report = document.get("report") or {}
    for key in report:
        if key not in REPORT_KEYS:
            yield Finding("unknown-key", "warning", location=f"report.{key}", params=_params(
                name=f"report.{key}", suggestion=did_you_mean(f"report.{key}", [f"report.{k}" for k in REPORT_KEYS])))
    agency = report.get("agency")
    if not isinstance(agency, str) or not agency.strip():
        yield Finding("metadata-invalid", "warning", location="report.agency", params=_params(
            name="agency", problem={"zh": "缺少报告机关名称", "en": "the reporting body's name is missing"}))
    published = report.get("published")
    if published is not None and not _is_date(published):
        yield Finding("metadata-invalid", "warning", location="report.published", params=_params(
            name="published", problem={"zh": f"应为 YYYY-MM-DD 日期，实为 {_show(published)}",
                                        "en": f"expected a YYYY-MM-DD date, found {_show(published)}"}))
    kind = report.get("kind")
    if kind is not None and kind not in REPORT_KINDS:
        yield Finding("metadata-invalid", "warning", location="report.kind", params=_params(
            name="kind", problem={"zh": f"应为 department（部门）或 government（政府），实为 {_show(kind)}",
                                  "en": f"expected department or government, found {_show(kind)}"}))
    late = lateness(report)
    if late is not None:
        yield Finding("published-late", "warning", location="report.published", params=_params(**late))
    year = report.get("year")
    if year is not None and selected_by != "year" and not spec.spec.governs(year):
        yield Finding("template-year-mismatch", "warning", location="version",
                      params=_params(year=year, version=spec.version))


REPORT_KINDS = ("department", "government")


def lateness(report: Mapping) -> dict | None:
    """The facts of a late publication (条例 art. 49–50), or None if on time or not known."""
    published, year, kind = report.get("published"), report.get("year"), report.get("kind")
    if not _is_date(published) or not isinstance(year, int) or isinstance(year, bool) or year < 1900:
        return None
    date = datetime.date.fromisoformat(str(published))
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
    if not isinstance(value, str):
        return False
    try:
        datetime.date.fromisoformat(value)
    except ValueError:
        return False
    return len(value) == 10


def rule_findings(spec: CompiledSpec, cells: CellData, only: frozenset | None = None) -> list[Finding]:
    """Run every check (or ``only`` these, when the rest are known to hold); failing checks become findings."""
    if only is None:
        outcomes = evaluate.run_all(spec.checks, cells.values, cells.invalid, len(spec.cells))
    else:
        outcomes = [evaluate.run(check, cells.values, cells.invalid) for check in spec.checks if check.key in only]
    failed = [o for o in outcomes if o.status == "fail"]
    causes = _root_causes(failed, cells.values)
    findings = []
    for outcome in outcomes:
        check = outcome.check
        decl = check.rule.decl
        if outcome.status == "fail":
            findings.append(Finding(
                "rule-violated", decl.severity, check.cells, decl.id, check.binding,
                outcome.reported, outcome.computed, outcome.blank, tuple(causes.get(check.key, ())),
                equation=outcome.equation, params=_params(rule_message=decl.message, rule_title=decl.title)))
        elif outcome.status == "skip":
            findings.append(Finding(
                "rule-not-checkable", "info", outcome.invalid or outcome.blank, decl.id, check.binding,
                blank_cells=outcome.blank, params=_params(rule_message=decl.message, rule_title=decl.title)))
    return findings


def _root_causes(failed: list, values: Mapping) -> dict:
    """Which failures disappear once another failing total is corrected.

    For a failing ``cell == expression`` check, set the cell to the expression's value and
    re-run the other failing checks that read it; those that now hold failed only because of it.
    Two checks that would each explain the other are both left as root causes.
    """
    explains: dict = {}
    for root in failed:
        correction = root.check.correction
        if correction is None:
            continue
        cell, expression = correction
        fixed = dict(values)
        fixed[cell] = expression.value(values)
        for other in failed:
            if other is not root and cell in other.check.cells and evaluate.holds(other.check, fixed):
                explains.setdefault(other.check.key, []).append(root.check.key)
    return {key: roots for key, roots in explains.items()
            if not any(key in explains.get(root, ()) for root in roots)}


def order_findings(findings: list[Finding]) -> tuple[Finding, ...]:
    """Errors before warnings before info; within a severity, root causes before consequences."""
    return tuple(sorted(findings, key=lambda f: (SEVERITY_ORDER[f.severity], bool(f.caused_by))))


def iter_findings(spec: CompiledSpec, document: Mapping, selected_by: str = "option") -> Iterator[Finding]:
    """Every finding about ``document`` (an instance dict) under ``spec``."""
    yield from _findings(spec, document, selected_by, read_cells(spec, document["tables"], document.get("unseen", ())))


def _findings(spec: CompiledSpec, document: Mapping, selected_by: str, cells: CellData) -> tuple[Finding, ...]:
    return order_findings([*cells.findings, *metadata_findings(document, spec, selected_by), *rule_findings(spec, cells)])


def select_spec(document: Mapping, spec=None, version: str | None = None, source: str = "<instance>"):
    """The compiled spec for a document: options win over the document's own 'spec'/'version'."""
    if isinstance(spec, CompiledSpec):
        return spec, "option"
    spec_id = spec or document.get("spec")
    if not spec_id:
        raise InstanceError("the instance does not name its spec: add \"spec\" or use --spec", source=source,
                            key="spec")
    spec_id = str(spec_id)
    if spec is None or "@" not in spec_id:
        version = version or document.get("version")
    year = (document.get("report") or {}).get("year")
    try:
        selection = loader.load(spec_id, version, year if isinstance(year, int) and not isinstance(year, bool) else None)
    except SpecNotFound as exc:
        raise InstanceError(exc.message, source=source, key=exc.key) from None
    return selection.spec, selection.how


def validate_document(document: Mapping, source: str = "<instance>", spec=None, version: str | None = None,
                      reader_findings: tuple = (), keep_values: bool = False) -> Report:
    """Validate an instance already read (JSON values, or :class:`CellText` from CSV)."""
    check_document(document, source)
    compiled, selected_by = select_spec(document, spec, version, source)
    cells = read_cells(compiled, document["tables"], document.get("unseen", ()))
    findings = order_findings([*reader_findings, *_findings(compiled, document, selected_by, cells)])
    not_reported = tuple(c.id for c in compiled.cells if c.id not in cells.present)
    metadata = MappingProxyType(dict(document.get("report") or {}))
    values = MappingProxyType({c: cells.values[c] for c in compiled.across_cells if c in cells.values})
    return Report(source, compiled, selected_by, metadata, findings, not_reported, values,
                  cells.values if keep_values else None)


def validate(instance, *, spec=None, version: str | None = None, source: str | None = None) -> Report:
    """Validate one instance: a dict, or the path of a JSON file.

    ``spec`` may be a spec id, a spec file path, or a :class:`CompiledSpec`; it and
    ``version`` override what the instance says.  Raises :class:`InstanceError` (or
    :class:`SpecError`) only when the input cannot be read or no spec can be chosen.
    """
    if isinstance(instance, (str, Path)):
        return validate_document(read_json(instance), source or str(instance), spec, version)
    return validate_document(instance, source or "<instance>", spec, version)


def is_valid(instance, **options) -> bool:
    return validate(instance, **options).valid


__all__ = ["Report", "iter_findings", "validate", "is_valid", "select_spec"]
