"""Validate instances against a compiled spec: structure, cell types, rules, root causes.

``iter_findings`` yields findings; ``validate`` wraps them in a :class:`Report`.
Nothing here keeps state between instances.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import field, replace
from pathlib import Path
from types import MappingProxyType

from govspec.check.cells import CellData, params, read_cells
from govspec.check.content import content_digest
from govspec.check.metadata import metadata_findings
from govspec.check.variants import Sums, read_variants, stand_in
from govspec.check.verdict import PASSED, not_evaluated, verdict
from govspec.errors import InstanceError
from govspec.findings import SEVERITY_ORDER, Equation, Finding
from govspec.io.instance import check_document
from govspec.io.values import CellText
from govspec.records import cached, record
from govspec.rules import evaluate
from govspec.rules.conditions import NEGATED, compare
from govspec.rules.linear import exact
from govspec.spec import loader
from govspec.spec.compiler import CompiledSpec
from govspec.spec.resolver import SpecNotFound

NO_VALUES: Mapping = MappingProxyType({})


@record(init=False)
class Report:
    """The result of validating one instance.  Its ``__init__`` stores the fields directly, as a finding's does
    (:mod:`govspec.findings`): a batch makes one a report."""

    source: str
    spec: CompiledSpec
    selected_by: str                 # "version", "year" or "option"
    metadata: Mapping
    findings: tuple[Finding, ...]
    not_reported: tuple[str, ...]    # cells of the spec that are missing or null
    values: Mapping = field(default_factory=lambda: NO_VALUES)  # cells rules across reports read
    all_values: Mapping | None = None  # every usable value, when asked for (govspec audit draws the tables)
    strict_blanks: bool = False      # checks skipped for blank cells make the report incomplete
    unseen: tuple[str, ...] = ()     # cells the published source did not show (not read, or not placed)
    digest: str | None = None        # what it says, comparable across copies (govspec.check.content)
    provenance: Mapping | None = None  # with all_values: cell -> (where it was read, the text read), when known

    def __init__(self, source: str, spec: CompiledSpec, selected_by: str, metadata: Mapping,
                 findings: tuple[Finding, ...], not_reported: tuple[str, ...], values: Mapping = NO_VALUES,
                 all_values: Mapping | None = None, strict_blanks: bool = False, unseen: tuple[str, ...] = (),
                 digest: str | None = None, provenance: Mapping | None = None) -> None:
        fields = self.__dict__
        fields["source"], fields["spec"], fields["selected_by"], fields["metadata"] = source, spec, selected_by, metadata
        fields["findings"], fields["not_reported"], fields["values"] = findings, not_reported, values
        fields["all_values"], fields["strict_blanks"], fields["unseen"] = all_values, strict_blanks, unseen
        fields["digest"], fields["provenance"] = digest, provenance

    @property
    def not_evaluated(self) -> dict[str, int]:
        """Error-level checks not evaluated, by reason (:data:`govspec.check.verdict.REASONS`)."""
        return dict(self._not_evaluated)

    @cached
    def _not_evaluated(self) -> dict[str, int]:  # counted once: the outputs ask several times a report
        return not_evaluated(self.findings, len(self.not_reported) < len(self.spec.cells))

    @cached
    def verdict(self) -> str:
        """``passed``, ``failed`` or ``incomplete`` (:mod:`govspec.check.verdict`)."""
        return verdict(self.findings, self._not_evaluated, self.strict_blanks)

    @property
    def valid(self) -> bool:
        """True when the verdict is *passed*: every error-level check was evaluated and holds."""
        return self.verdict == PASSED

    def _known(self, verdict: str, not_evaluated: dict[str, int]) -> Report:
        """The report, its verdict and checks not evaluated known where it is made — a clean report of the fast path
        (:meth:`govspec.check.light.Light.report`) — and kept as if worked out (the values of ``verdict`` and
        ``not_evaluated``), not worked out again when first read."""
        self.__dict__.update(verdict=verdict, _not_evaluated=not_evaluated)
        return self

    def with_findings(self, extra: tuple[Finding, ...]) -> Report:
        """The same report with more findings (those of the rules across reports, which judge it too)."""
        return replace(self, findings=order_findings([*self.findings, *extra])) if extra else self

    def __getstate__(self) -> dict:
        """What a report pickles: its fields and what it worked out, not its texts (:meth:`rendered`), as large as the
        rest: a worker process of a batch sends them apart (:func:`govspec.check.batch.validate_unit`), and any other
        reader makes them again."""
        state = self.__dict__
        if "_rendered" in state:
            state = dict(state)
            del state["_rendered"]
        return state

    def rendered(self, form: tuple, make: Callable[[Report], str]) -> str:
        """``make(self)``: the report as an output writes it (``form``: the output and its language), made once
        and kept with the report — so a worker process of a batch renders its reports, and the main process
        writes them.  A report with more findings is a new report, rendered again."""
        kept = self.__dict__.setdefault("_rendered", {})  # a cache, not a field: compared and replaced without it
        if form not in kept:
            kept[form] = make(self)
        return kept[form]

    def count(self, severity: str) -> int:
        return sum(1 for f in self.findings if f.severity == severity)

    def to_dict(self, lang: str = "zh") -> dict:
        """The report as plain JSON data, in the shape of one entry of ``govspec validate --format json``'s
        ``reports`` (format 2, docs/cli.md): verdict, counts, each finding with labels, message, equation and
        numbers in ``lang``.  ``json.dumps(report.to_dict())`` works."""
        from govspec.present.json_report import report_json  # the output's shape, defined once, with the CLI's
        return report_json(self, lang)

    def explain(self, finding: Finding, lang: str = "zh") -> str:
        """One of the report's findings as ``govspec validate`` prints it: its message, the equation with the
        numbers, the difference, blank cells, causes, the report of the year before."""
        from govspec.present.text_report import finding_lines
        return "\n".join(line.strip() for line in finding_lines(self.spec, finding, lang))


def rule_findings(spec: CompiledSpec, cells: CellData, only: tuple | None = None,
                  sums: Sums | None = None) -> list[Finding]:
    """Run every check (or ``only`` these of the spec's checks, in its order, when the rest are known to hold);
    failing checks become findings.  ``sums``: printed rows that stand for the sum of rows not printed
    (:mod:`govspec.check.variants`)."""
    with exact():  # amounts are summed without rounding, at any size govspec reads
        if only is None:
            outcomes = evaluate.run_all(spec.checks, cells.values, cells.invalid, len(spec.cells))
        else:
            outcomes = [evaluate.run(check, cells.values, cells.invalid) for check in only]
        if sums:
            outcomes = [_with_stand_in(o, cells, sums) for o in outcomes]
            outcomes = [o for o in outcomes if o.status != "pass"]
        failed = [o for o in outcomes if o.status == "fail"]
        causes = _root_causes(failed, cells.values)
    findings = []
    for outcome in outcomes:
        if outcome.status == "fail":
            findings.append(_violated(outcome.check, outcome.reported, outcome.computed, outcome.blank,
                                      outcome.equation, causes))
        elif outcome.status == "skip":
            findings.append(not_checkable(outcome, cells.unseen))
    return findings


def failing_findings(checks: tuple, values: Mapping) -> list[Finding]:
    """What :func:`rule_findings` gives for ``checks`` (found failing, in the spec's order) on a complete report of
    usable integers whose checks are each one comparison of linear forms over integers without tolerance — the
    fast path's broken reports (:meth:`~govspec.check.fastpath.FastChecker.explainable`; ``tests/test_batch.py``
    compares the two).  Nothing there can be blank or unusable, so each check is summed once, and whether correcting
    one failing total makes another check hold is worked out from that check's linear form: the correction moves
    its difference by the cell's coefficient times the correction."""
    failed = []
    for check in checks:
        comparison = check.comparison
        left_terms, left = evaluate.shown(comparison.left, values)
        right_terms, right = evaluate.shown(comparison.right, values)
        if not compare(comparison.op, left, right, check.rule.decl.tolerance):
            failed.append((check, left, right, Equation(left_terms, NEGATED[comparison.op], right_terms)))
    sides = {check.key: (left, right) for check, left, right, _ in failed}

    def holds_corrected(root, cell: str, other) -> bool:  # the root's cell set to what its expression sums to
        left, right = sides[root.key]
        other_left, other_right = sides[other.key]
        moved = other.difference.coefficients.get(cell, 0) * (right - left)
        return compare(other.comparison.op, other_left - other_right + moved, 0, other.rule.decl.tolerance)

    causes = _causes([check for check, _, _, _ in failed], holds_corrected)
    return [_violated(check, left, right, (), equation, causes) for check, left, right, equation in failed]


def _violated(check, reported, computed, blank: tuple, equation, causes: Mapping) -> Finding:
    decl = check.rule.decl
    return Finding("rule-violated", decl.severity, check.cells, decl.id, check.binding, reported, computed, blank,
                   tuple(causes.get(check.key, ())), equation=equation,
                   params=params(rule_message=decl.message, rule_title=decl.title))


def _with_stand_in(outcome: evaluate.Outcome, cells: CellData, sums: Sums) -> evaluate.Outcome:
    if outcome.status != "skip" or not outcome.invalid:
        return outcome
    stand_in_for = stand_in(outcome.check, cells.values, cells.invalid, sums)
    if stand_in_for is None:
        return outcome
    return evaluate.run(outcome.check, *stand_in_for)


def not_checkable(outcome: evaluate.Outcome, unseen: frozenset = frozenset(), **extra) -> Finding:
    """A check that was not evaluated, with why: cells not read from the source, unusable, or blank."""
    check, decl = outcome.check, outcome.check.rule.decl
    reason = ("unseen" if any(c in unseen for c in outcome.invalid) else "invalid") if outcome.invalid else "blank"
    return Finding("rule-not-checkable", "info", outcome.invalid or outcome.blank, decl.id, check.binding,
                   blank_cells=outcome.blank, params=params(rule_message=decl.message, rule_title=decl.title,
                                                            reason=reason, rule_severity=decl.severity, **extra))


def _root_causes(failed: list, values: Mapping) -> dict:
    """Which failures disappear once another failing total is corrected (:func:`_causes`), each check evaluated
    again on the values with the total corrected."""
    fixed = {o.check.key: o.check.correction[1].value(values) for o in failed if o.check.correction is not None}

    def holds_corrected(root, cell: str, other) -> bool:  # each total's correction summed once, as before
        return evaluate.holds(other, _Corrected(cell, fixed[root.key], values))

    return _causes([outcome.check for outcome in failed], holds_corrected)


def _causes(failed: list, holds_corrected: Callable) -> dict:
    """Which failures disappear once another failing total is corrected.

    For a failing ``cell == expression`` check, set the cell to the expression's value and ask the other failing
    checks that read it again (``holds_corrected(root, cell, other)``); those that now hold failed only because of
    it.  Two checks that would each explain the other are both left as root causes.
    """
    explains: dict = {}
    for root in failed:
        correction = root.correction
        if correction is None:
            continue
        cell = correction[0]
        for other in failed:
            if other is not root and cell in other.cells and holds_corrected(root, cell, other):
                explains.setdefault(other.key, []).append(root.key)
    return {key: roots for key, roots in explains.items()
            if not any(key in explains.get(root, ()) for root in roots)}


class _Corrected(Mapping):
    """The values with one cell corrected, read through (not copied: the detailed path holds every value)."""

    __slots__ = ("_cell", "_value", "_base")

    def __init__(self, cell: str, value, base: Mapping) -> None:
        self._cell, self._value, self._base = cell, value, base

    def __getitem__(self, key: str):
        return self._value if key == self._cell else self._base[key]

    def get(self, key: str, default=None):
        return self._value if key == self._cell else self._base.get(key, default)

    def __contains__(self, key: object) -> bool:
        return key == self._cell or key in self._base

    def __iter__(self):
        yield self._cell
        yield from (key for key in self._base if key != self._cell)

    def __len__(self) -> int:
        return len(self._base) + (self._cell not in self._base)


def order_findings(findings: list[Finding]) -> tuple[Finding, ...]:
    """Errors before warnings before info; within a severity, root causes before consequences."""
    return tuple(sorted(findings, key=lambda f: (SEVERITY_ORDER[f.severity], bool(f.caused_by))))


def iter_findings(spec: CompiledSpec, document: Mapping, selected_by: str = "option") -> Iterator[Finding]:
    """Every finding about ``document`` (an instance dict) under ``spec``; a document that is not an instance
    raises :class:`InstanceError`, as ``validate`` does."""
    check_document(document, "<instance>")
    yield from _findings(spec, document, selected_by, read_cells(spec, document["tables"], document.get("unseen", ())))


def _findings(spec: CompiledSpec, document: Mapping, selected_by: str, cells: CellData) -> tuple[Finding, ...]:
    sums, found = read_variants(spec, document.get("variants") or {}) if document.get("variants") else ({}, [])
    return order_findings([*cells.findings, *found, *metadata_findings(document, spec, selected_by),
                           *rule_findings(spec, cells, sums=sums)])


def select_spec(document: Mapping, spec=None, version: str | None = None, source: str = "<instance>"):
    """The compiled spec for a document: options win over the document's own 'spec'/'version'."""
    if isinstance(spec, CompiledSpec):
        return spec, "option"
    spec_id = spec or document.get("spec")
    if not spec_id:
        raise InstanceError("the instance does not name its spec: add \"spec\" or use --spec",
                            zh="报告实例没有注明所用规范：请加上 \"spec\"，或使用 --spec", source=source,
                            key="spec")
    spec_id = str(spec_id)
    if spec is None or "@" not in spec_id:
        version = version or document.get("version")
    year = (document.get("report") or {}).get("year")
    try:
        selection = loader.load(spec_id, version, year if isinstance(year, int) and not isinstance(year, bool) else None)
    except SpecNotFound as exc:
        raise InstanceError(exc.message, zh=exc.zh, source=source, key=exc.key) from None
    return selection.spec, selection.how


def validate_document(document: Mapping, source: str = "<instance>", spec=None, version: str | None = None,
                      reader_findings: tuple = (), keep_values: bool = False, strict_blanks: bool = False) -> Report:
    """Validate an instance already read (JSON values, or :class:`CellText` from CSV)."""
    check_document(document, source)
    compiled, selected_by = select_spec(document, spec, version, source)
    try:
        cells = read_cells(compiled, document["tables"], document.get("unseen", ()))
    except InstanceError as error:  # said of the document's tables: the input is named
        error.source = error.source or source
        raise
    findings = order_findings([*reader_findings, *_findings(compiled, document, selected_by, cells)])
    not_reported = tuple(c.id for c in compiled.cells if c.id not in cells.present)
    metadata = MappingProxyType(dict(document.get("report") or {}))
    values = MappingProxyType({c: cells.values[c] for c in compiled.across_cells if c in cells.values})
    return Report(source, compiled, selected_by, metadata, findings, not_reported, values,
                  cells.values if keep_values else None, strict_blanks, tuple(sorted(cells.unseen)),
                  content_digest(compiled, cells.values), _provenance(document["tables"]) if keep_values else None)


def _provenance(tables: Mapping) -> Mapping | None:
    """Where each cell's value was read and its text, for values read as text with their place (CSV, documents)."""
    found = {f"{t}.{r}.{c}": (value.position, value.text)
             for t, rows in tables.items() if isinstance(rows, Mapping)
             for r, columns in rows.items() if isinstance(columns, Mapping)
             for c, value in columns.items() if isinstance(value, CellText)}
    return MappingProxyType(found) if found else None


def validate(instance, *, spec=None, version: str | None = None, source: str | None = None,
             strict_blanks: bool = False) -> Report:
    """Validate one instance: a dict, or the path of a file in any format govspec reads (JSON, CSV, one
    line of JSON Lines, PDF, Word, Excel, HTML, text) that holds one report.

    ``spec`` may be a spec id, a spec file path, or a :class:`CompiledSpec`; it and
    ``version`` override what the instance says.  Raises :class:`InstanceError` (or
    :class:`SpecError`) only when the input cannot be read or no spec can be chosen.
    ``report.verdict`` is ``passed``, ``failed`` or ``incomplete``; ``strict_blanks`` makes checks
    skipped for blank cells count as not evaluated.
    """
    if isinstance(instance, (str, Path)):
        from govspec.io.readers import read_one  # late: the readers reach extraction, which loads specs
        item = read_one(instance)
        return validate_document(item.document, source or item.source, spec, version, item.findings,
                                 strict_blanks=strict_blanks)
    return validate_document(instance, source or "<instance>", spec, version, strict_blanks=strict_blanks)


def is_valid(instance, **options) -> bool:
    return validate(instance, **options).valid


__all__ = ["Report", "iter_findings", "validate", "is_valid", "select_spec"]
