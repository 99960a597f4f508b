"""Exact linear algebra over a spec's equality checks, shared by ``spec lint`` and the solver.

An equality check ``left == right`` (tolerance 0, integer coefficients) is the row
``Σ coefficient·x + constant == 0`` over the spec's cells, in exact rationals.
"""

from __future__ import annotations

from collections.abc import Iterator
from fractions import Fraction

from govspec.records import record
from govspec.spec.compiler import Check, CompiledSpec


@record
class Equality:
    check: Check
    coefficients: dict[int, Fraction]  # cell index → coefficient (non-zero)
    constant: Fraction


def equalities(spec: CompiledSpec) -> Iterator[Equality | Check]:
    """Each check of the spec, as an :class:`Equality` when it is an exact linear equality, else itself."""
    index = {cell.id: i for i, cell in enumerate(spec.cells)}
    for check in spec.checks:
        comparison = check.comparison
        form = None
        if comparison is not None and comparison.op == "==" and check.rule.decl.tolerance == 0:
            form = comparison.integer_form()
        if form is None:
            yield check
            continue
        yield Equality(check, {index[c]: Fraction(k) for c, k in form[0].items()}, Fraction(form[1]))


def substitute(row: dict, constant: Fraction, pivot: int, expression: dict,
               value: Fraction) -> tuple[dict, Fraction]:
    """``row`` (Σ row·x + constant) with ``x_pivot = value + Σ expression·x`` put in for the pivot."""
    if pivot not in row:
        return row, constant
    row = dict(row)
    factor = row.pop(pivot)
    for i, c in expression.items():
        row[i] = row.get(i, 0) + factor * c
    return {i: c for i, c in row.items() if c}, constant + factor * value
