"""Hypothesis strategies that build report instances for any spec (needs the ``test`` extra).

``instances(spec)`` yields instances that satisfy the spec's identities *by construction*: the
equality rules are solved once (exact rational elimination), some cells are chosen freely and
the determined ones are computed from them — totals from their parts, the stated identity's
remaining term from the others.  ``broken_instances(spec)`` yields an instance and the exact
set of checks it must break: one cell changed by a non-zero amount breaks exactly the equality
checks in which that cell has a non-zero weight.

    from hypothesis import given
    from govspec.testing import instances, broken_instances

    @given(instances(spec))
    def test_my_tool_accepts_valid_reports(document): ...

See docs/testing.md.
"""

from __future__ import annotations

from hypothesis import assume
from hypothesis import strategies as st

from govspec.check.report import validate_document
from govspec.records import record
from govspec.rules.solver import solve, solver
from govspec.spec.compiler import CompiledSpec

__all__ = ["instances", "broken_instances", "Broken"]


def _value_strategy(cell, max_value: int):
    if cell.type == "count":
        return st.integers(0, max_value)
    if cell.type == "signed_count":
        return st.integers(-max_value, max_value)
    return st.decimals(min_value=0, max_value=max_value * 100, places=2, allow_nan=False, allow_infinity=False)


def _document(spec: CompiledSpec, values: dict, year: int) -> dict:
    tables: dict = {}
    for cell in spec.cells:
        value = values.get(cell.id)
        tables.setdefault(cell.table.id, {}).setdefault(cell.row.id, {})[cell.column.id] = value
    return {"spec": spec.id, "version": spec.version,
            "report": {"agency": "测试机关", "year": year, "published": f"{year + 1}-01-20"}, "tables": tables}


def _year(spec: CompiledSpec) -> int:
    start, end = spec.spec.years
    return start if end is None else end


@st.composite
def _values(draw, spec: CompiledSpec, max_value: int):
    s = solver(spec)
    free = {s.cell_ids[i]: draw(_value_strategy(spec.cells[i], max_value)) for i in s.free}
    values = solve(s, free)
    assume(values is not None)
    return values


@st.composite
def instances(draw, spec: CompiledSpec, *, max_value: int = 30, blanks: bool = True):
    """Instances of ``spec`` with no error-level finding, built by solving its identities.

    With ``blanks``, some cells whose value is 0 are left blank (null) — still valid wherever the
    spec's blank policy reads them as 0 or skips the rule.
    """
    values = draw(_values(spec, max_value))
    if blanks:
        zeros = sorted(cell_id for cell_id, v in values.items() if v == 0)
        for cell_id in draw(st.lists(st.sampled_from(zeros), unique=True, max_size=8)) if zeros else []:
            values[cell_id] = None
    document = _document(spec, values, _year(spec))
    report = validate_document(document, spec=spec)
    assume(report.valid)  # inequalities and conditions are not solved, only filtered
    return document


@record
class Broken:
    document: dict
    cell: str                 # the cell that was changed
    delta: object             # by how much
    expected: frozenset       # the checks (rule[binding]) that must fail
    rules: frozenset          # their rule ids


def broken_instances(spec: CompiledSpec, *, max_value: int = 30):
    """An instance with one cell changed by a non-zero amount, and exactly the checks it breaks.

    Raises ValueError for a spec with no integer equality rule (nothing can be broken exactly).
    """
    s = solver(spec)
    candidates = sorted(cell_id for cell_id in s.weights if cell_id not in s.other_cells)
    if not candidates:
        raise ValueError(f"{spec.spec.ref} has no integer equality rule to break")
    return _broken(spec, candidates, max_value)


@st.composite
def _broken(draw, spec: CompiledSpec, candidates: list, max_value: int):
    s = solver(spec)
    values = draw(_values(spec, max_value))
    assume(validate_document(_document(spec, dict(values), _year(spec)), spec=spec).valid)  # inequalities too
    cell_id = draw(st.sampled_from(candidates))
    delta = draw(st.integers(1, max_value))
    values[cell_id] = values[cell_id] + delta
    document = _document(spec, values, _year(spec))
    expected = s.weights[cell_id]
    rules = frozenset(key.split("[")[0] for key in expected)
    return Broken(document, cell_id, delta, frozenset(expected), rules)
