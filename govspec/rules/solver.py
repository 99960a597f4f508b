"""Solving a spec's equality rules: which cells determine which (exact rational elimination).

Used to build instances that satisfy a spec by construction (:mod:`govspec.testing`, the
benchmarks): choose the free cells, compute the determined ones.
"""

from __future__ import annotations

import random
from fractions import Fraction
from functools import cache

from govspec.records import record
from govspec.rules.algebra import Equality, equalities, substitute
from govspec.spec.compiler import CompiledSpec


@record
class Solver:
    """The equality checks of a spec in reduced row-echelon form over the cells."""

    spec: CompiledSpec
    cell_ids: tuple
    pivots: tuple     # (pivot cell index, {free cell index: coefficient}, constant): x_p = const + Σ c·x_f
    free: tuple       # indexes of cells chosen freely
    weights: dict     # cell id -> frozenset of equality check keys it has a non-zero weight in
    equality_keys: frozenset
    other_cells: frozenset  # cells read by checks that are not linear equalities


@cache
def solver(spec: CompiledSpec) -> Solver:
    cell_ids = tuple(c.id for c in spec.cells)
    index = {cell_id: i for i, cell_id in enumerate(cell_ids)}
    money = {i for i, c in enumerate(spec.cells) if c.type == "money"}
    rows: list = []
    weights: dict[str, set] = {}
    equality_keys: set[str] = set()
    other_cells: set[str] = set()
    priority: dict[int, int] = {}
    for item in equalities(spec):
        if not isinstance(item, Equality) or any(i in money for i in item.coefficients):
            check = item.check if isinstance(item, Equality) else item
            other_cells.update(check.cells)
            continue
        check = item.check
        rows.append((item.coefficients, item.constant))
        equality_keys.add(check.key)
        for i in item.coefficients:
            weights.setdefault(cell_ids[i], set()).add(check.key)
        if check.correction:
            priority[index[check.correction[0]]] = priority.get(index[check.correction[0]], 0) + 1
    pivots = _eliminate(rows, priority, len(cell_ids))
    pivot_set = {p for p, _, _ in pivots}
    free = tuple(i for i in range(len(cell_ids)) if i not in pivot_set)
    return Solver(spec, cell_ids, tuple(pivots), free, {k: frozenset(v) for k, v in weights.items()},
                  frozenset(equality_keys), frozenset(other_cells))


def _eliminate(rows, priority: dict, width: int):
    """Gauss-Jordan elimination; pivots prefer totals (cells that rules define), then earlier cells."""
    rows = [(dict(c), k) for c, k in rows]
    order = sorted(range(width), key=lambda i: (-priority.get(i, 0), i))
    rank = {cell: position for position, cell in enumerate(order)}
    done: list = []
    while rows:
        coefficients, constant = rows.pop()
        for pivot, pivot_row, pivot_constant in done:  # substitute known pivots
            coefficients, constant = substitute(coefficients, constant, pivot, pivot_row, pivot_constant)
        if not coefficients:
            if constant != 0:
                raise ValueError("the spec's equalities contradict each other")
            continue
        pivot = min(coefficients, key=rank.__getitem__)
        scale = -coefficients.pop(pivot)
        expression = {i: c / scale for i, c in coefficients.items()}
        value = constant / scale
        # x_pivot = value + Σ expression[i] x_i ; substitute into earlier pivots
        done = [(other, *substitute(row, const, pivot, expression, value)) for other, row, const in done]
        done.append((pivot, expression, value))
    return done


def solve(s: Solver, free_values: dict) -> dict | None:
    """All cell values from values of the free cells; None if a determined count would be negative
    or fractional."""
    values = dict(free_values)
    for pivot, expression, constant in s.pivots:
        total = constant + sum(c * Fraction(values[s.cell_ids[i]]) for i, c in expression.items())
        cell = s.spec.cells[pivot]
        if total.denominator != 1 or (cell.type == "count" and total < 0):
            return None
        values[s.cell_ids[pivot]] = int(total)
    return values


def random_instance(spec: CompiledSpec, rng: random.Random, max_value: int = 30) -> dict:
    """A complete instance satisfying every equality rule, from a seeded random generator."""
    s = solver(spec)
    while True:
        free: dict[str, int | float] = {}
        for i in s.free:
            cell = spec.cells[i]
            if cell.type == "signed_count":
                free[s.cell_ids[i]] = rng.randint(-max_value, max_value)
            elif cell.type == "money":
                free[s.cell_ids[i]] = round(rng.uniform(0, max_value * 100), 2)
            else:
                free[s.cell_ids[i]] = rng.randint(0, max_value)
        values = solve(s, free)
        if values is not None:
            break
    tables: dict = {}
    for cell in spec.cells:
        tables.setdefault(cell.table.id, {}).setdefault(cell.row.id, {})[cell.column.id] = values[cell.id]
    year = spec.spec.years[1] or spec.spec.years[0]
    return {"spec": spec.id, "version": spec.version,
            "report": {"agency": f"测试机关{rng.randint(1, 99999)}", "year": year, "published": f"{year + 1}-01-20"},
            "tables": tables}
