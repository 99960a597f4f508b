"""Lint a spec file: what would make it wrong, found before any report is validated.

Besides the meta-schema and reference errors that loading reports, lint analyses the rules. Every
integer equality rule is a row of a linear system over the cells; exact rational elimination (no
sampling, no floating point) finds rules that contradict each other, rules implied by others
(redundant), and — since counts cannot be negative — rules that can never hold or that force every
cell they read to zero. The definitions ``cell == expression`` must not be circular.
"""

from __future__ import annotations

from govspec.errors import SpecError
from govspec.findings import CODES
from govspec.records import record
from govspec.rules.algebra import Equality, equalities
from govspec.spec.compiler import CompiledSpec, compile_spec
from govspec.spec.extension import merge
from govspec.spec.loader import base_document, meta_errors
from govspec.spec.model import build_spec
from govspec.spec.yamlsource import read_spec_document

SEVERITY_ORDER = {"error": 0, "warning": 1, "info": 2}
MAX_LISTED = 5
MAX_WORK = 20_000_000  # elimination steps spec lint spends on one spec (a 150×150 table of totals takes ~5 s)


@record
class LintFinding:
    code: str
    severity: str
    message: str
    source: str
    line: int | None = None
    column: int | None = None
    key: str | None = None

    def __post_init__(self) -> None:
        known = CODES.get(self.code)
        if known is None or known.scope != "spec":  # every code in the one catalogue (docs/finding-codes.md)
            raise ValueError(f"lint code {self.code!r} is not in govspec.findings.CODES")

    def __str__(self) -> str:
        where = ":".join(str(x) for x in (self.source, self.line, self.column) if x is not None)
        key = f" [{self.key}]" if self.key else ""
        return f"{where}{key}: {self.severity} [{self.code}] {self.message}"




def _from_error(error: SpecError, code: str) -> LintFinding:
    return LintFinding(code, "error", error.message, error.source or "?", error.line, error.column, error.key)


def lint_file(path) -> list[LintFinding]:
    """Every finding about one spec file, errors first: every meta-schema error; else the first error of
    the spec's structure (a table or reference the rest depends on), else every rule that does not
    compile; else what the rules imply."""
    try:
        doc = read_spec_document(path)
    except SpecError as error:
        return [_from_error(error, "spec-error")]
    findings = [_from_error(e, "meta-schema") for e in meta_errors(doc)]
    if findings:
        return findings
    try:
        if "extends" in doc.data:
            doc = merge(doc, base_document(doc))
            findings = [_from_error(e, "meta-schema") for e in meta_errors(doc)]
            if findings:
                return findings
        errors: list[SpecError] = []
        compiled = compile_spec(build_spec(doc), errors)
    except SpecError as error:
        return [_from_error(error, "spec-error")]
    if errors:  # every rule that does not compile; what the others imply is analysed once these are fixed
        return sorted((_from_error(e, "spec-error") for e in errors), key=lambda f: f.line or 0)
    findings = analyse(compiled)
    return sorted(findings, key=lambda f: (SEVERITY_ORDER[f.severity], f.line or 0))


def analyse(spec: CompiledSpec) -> list[LintFinding]:
    return [*_system(spec), *_circular(spec), *_unconstrained(spec), *_removed(spec)]


def _finding(spec: CompiledSpec, code: str, severity: str, message: str, rule_id: str | None) -> LintFinding:
    path = ()
    if rule_id is not None:
        path = next((r.decl.path + ("check",) for r in spec.rules if r.id == rule_id), ())
    line, column = spec.spec.document.position(path)
    return LintFinding(code, severity, message, spec.spec.source, line, column,
                       ".".join(map(str, path)) or None)


def _listed(keys) -> str:
    keys = sorted(keys)
    more = f" and {len(keys) - MAX_LISTED} more" if len(keys) > MAX_LISTED else ""
    return ", ".join(keys[:MAX_LISTED]) + more


def _nonnegative(spec: CompiledSpec) -> set:
    return {i for i, c in enumerate(spec.cells) if c.type in ("count", "money")}


def _system(spec: CompiledSpec):
    """Eliminate the equality rules one by one, keeping which rules each reduced row came from."""
    nonneg = _nonnegative(spec)
    basis: list = []  # (pivot, {cell: coefficient}, constant, provenance)
    work = 0
    for item in equalities(spec):
        if not isinstance(item, Equality):
            continue
        check = item.check
        work += sum(len(prow) + len(pprov) for _, prow, _, pprov in basis) + len(item.coefficients)
        if work > MAX_WORK:  # bounded cost: a spec this large is not analysed, and lint says so
            yield _finding(spec, "not-analysed", "info", f"the equality rules are too many and too wide to "
                           f"analyse within the limit ({MAX_WORK} steps): contradictions, impossible and "
                           "redundant rules were not looked for from here on", check.rule.id)
            return
        row = dict(item.coefficients)
        constant = item.constant  # the rule says: Σ row·x + constant == 0
        rule_id = check.rule.id
        sign = _sign_problem(row, constant, nonneg)
        if not row and constant != 0 or sign == "never":
            yield _finding(spec, "never-holds", "error", f"{check.key} can never hold: "
                           f"{check.rule.ast.text()}", rule_id)
            continue
        if sign == "zero":
            yield _finding(spec, "forces-zero", "error", f"{check.key} forces every cell it reads to 0: "
                           f"{_listed(spec.cells[i].id for i in row)}", rule_id)
        provenance = {check.key}
        for pivot, prow, pconstant, pprov in basis:
            if pivot in row:
                factor = row[pivot] / prow[pivot]
                for i, c in prow.items():
                    row[i] = row.get(i, 0) - factor * c
                constant -= factor * pconstant
                row = {i: c for i, c in row.items() if c}
                provenance |= pprov
        if not row:
            if constant != 0:
                yield _finding(spec, "contradiction", "error", f"{check.key} contradicts "
                               f"{_listed(provenance - {check.key})}: no values satisfy them all", rule_id)
            else:
                yield _finding(spec, "redundant", "info", f"{check.key} is implied by "
                               f"{_listed(provenance - {check.key})}", rule_id)
            continue
        if len(provenance) > 1 and _sign_problem(row, constant, nonneg) in ("never", "zero"):
            kind = _sign_problem(row, constant, nonneg)
            code, text = ("never-holds", "cannot all hold") if kind == "never" else \
                ("forces-zero", f"force {_listed(spec.cells[i].id for i in row)} to 0")
            yield _finding(spec, code, "error", f"{_listed(provenance)} together {text}", rule_id)
        pivot = min(row)
        basis.append((pivot, row, constant, provenance))


def _sign_problem(row: dict, constant, nonneg: set) -> str | None:
    """For Σ c·x + k == 0 over non-negative x: "never" if impossible, "zero" if every x must be 0."""
    if not row or not set(row) <= nonneg:
        return None
    signs = {c > 0 for c in row.values()}
    if len(signs) != 1:
        return None
    positive = signs.pop()
    if constant == 0:
        return "zero"
    if (positive and constant > 0) or (not positive and constant < 0):
        return "never"
    return None


def _circular(spec: CompiledSpec):
    """A cycle among definitions ``cell == expression``."""
    edges: dict = {}
    rule_of: dict = {}
    for check in spec.checks:
        correction = check.correction
        if correction is None:
            continue
        cell, _ = correction
        others = [c for c in check.cells if c != cell]
        edges.setdefault(cell, set()).update(others)
        rule_of.setdefault(cell, check)
    state: dict = {}
    reported: set = set()

    def visit(cell, path):
        state[cell] = "open"
        for nxt in sorted(edges.get(cell, ())):
            if state.get(nxt) == "open":
                cycle = path[path.index(nxt):] + [nxt] if nxt in path else [cell, nxt]
                key = frozenset(cycle)
                if key not in reported:
                    reported.add(key)
                    yield _finding(spec, "circular", "error", "circular totals: " + " → ".join(cycle),
                                   rule_of[cell].rule.id)
            elif nxt not in state:
                yield from visit(nxt, path + [nxt])
        state[cell] = "done"

    for cell in sorted(edges):
        if cell not in state:
            yield from visit(cell, [cell])


def _unconstrained(spec: CompiledSpec):
    read = {c for check in spec.checks for c in check.cells}
    loose = [c.id for c in spec.cells if c.id not in read and c.type == "signed_count"]
    if loose:
        yield _finding(spec, "unconstrained-cell", "info", f"{len(loose)} cells are read by no rule and may "
                       f"hold any integer: {_listed(loose)}", None)


def _removed(spec: CompiledSpec):
    for item in spec.spec.removed_rules:
        yield _finding(spec, "removed-rule", "info", f"removes rule {item['id']} of {spec.spec.extends}: "
                       f"{item['reason']['zh']} / {item['reason']['en']}", None)
