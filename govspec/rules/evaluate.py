"""Evaluating compiled checks against the values of one instance.

Values are a mapping ``cell id → int | Decimal`` of the reported, usable cells; a cell
not in it is blank.  Under ``on_blank: zero`` a blank reads as 0; under ``skip`` a check
that reads a blank cell is not evaluated.  Arithmetic is exact (integers and Decimals).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Mapping

from govspec.rules import syntax as rl
from govspec.spec.compiler import CellRef, CellsReported, CellSum, Check
from govspec.findings import Equation, Term

NEGATED = {"==": "≠", "!=": "=", "<=": ">", ">=": "<", "<": "≥", ">": "≤"}


@dataclass(frozen=True)
class Outcome:
    check: Check
    status: str                          # "pass" | "fail" | "skip"
    blank: tuple[str, ...] = ()          # cells read that were not reported
    invalid: tuple[str, ...] = ()        # cells read whose value was unusable
    equation: Equation | None = None     # the comparison that failed
    reported: object = None
    computed: object = None


def run_all(checks, values: Mapping[str, object], invalid: frozenset, cell_count: int) -> list[Outcome]:
    """The outcomes of the checks that do not pass (failed or skipped), in check order.

    Linear comparisons are summed over a dense copy of the values (blanks read as 0)."""
    complete = len(values) == cell_count and not invalid
    dense = _Dense(values)
    get = dense.__getitem__
    outcomes = []
    for check in checks:
        if complete and check.linear is not None:
            left, right = _side_value(check.linear[0], get), _side_value(check.linear[1], get)
            if compare(check.tree.op, left, right, check.rule.decl.tolerance):
                continue
        outcome = run(check, values, invalid)
        if outcome.status != "pass":
            outcomes.append(outcome)
    return outcomes


class _Dense(dict):
    """Values with blanks reading as 0, for fast summing with ``map(dense.__getitem__, cells)``."""

    def __missing__(self, key):
        return 0


def _side_value(side, get):
    total = side.constant
    if side.plus:
        total += sum(map(get, side.plus))
    if side.minus:
        total -= sum(map(get, side.minus))
    for cell, factor in side.scaled:
        total += factor * get(cell)
    return total


def run(check: Check, values: Mapping[str, object], invalid: frozenset = frozenset()) -> Outcome:
    read = check.cells
    bad = tuple(c for c in read if c in invalid) if invalid else ()
    blank = tuple(c for c in read if c not in values and c not in invalid)
    if bad or (blank and check.rule.decl.on_blank == "skip"):
        return Outcome(check, "skip", blank, bad)
    evaluator = _Evaluator(values, check.rule.decl.tolerance)
    if evaluator.truth(check.tree):
        return Outcome(check, "pass", blank)
    failed = evaluator.failed
    if failed is None:
        return Outcome(check, "fail", blank)
    node, left, right = failed
    equation = Equation(tuple(flatten(node.left, values)), NEGATED[node.op], tuple(flatten(node.right, values)))
    return Outcome(check, "fail", blank, (), equation, left, right)


def holds(check: Check, values: Mapping[str, object]) -> bool:
    return _Evaluator(values, check.rule.decl.tolerance).truth(check.tree)


def value_of(node, values: Mapping[str, object]):
    """The value of a numeric expression, blanks read as 0."""
    return _Evaluator(values, Decimal(0)).number(node)


class _Evaluator:
    def __init__(self, values: Mapping[str, object], tolerance: Decimal) -> None:
        self.values = values
        self.tolerance = tolerance
        self.failed = None  # (Compare node, left, right) of the last false comparison

    def number(self, node):
        if isinstance(node, CellRef):
            return self.values.get(node.cell, 0)
        if isinstance(node, CellSum):
            return sum((self.values.get(c, 0) for c in node.cells), 0)
        if isinstance(node, rl.Number):
            return node.value
        if isinstance(node, rl.Neg):
            return -self.number(node.operand)
        left, right = self.number(node.left), self.number(node.right)
        if node.op == "+":
            return left + right
        if node.op == "-":
            return left - right
        return left * right

    def truth(self, node) -> bool:
        if isinstance(node, rl.Compare):
            left, right = self.number(node.left), self.number(node.right)
            result = self._compare(node.op, left, right)
            if not result:
                self.failed = (node, left, right)
            return result
        if isinstance(node, rl.If):
            return not self.truth(node.condition) or self.truth(node.then)
        if isinstance(node, rl.BoolOp):
            if node.op == "and":
                return self.truth(node.left) and self.truth(node.right)
            return self.truth(node.left) or self.truth(node.right)
        if isinstance(node, rl.Not):
            self.failed = None
            return not self.truth(node.operand)
        if isinstance(node, CellsReported):
            return all(c in self.values for c in node.cells)
        raise TypeError(f"not a condition: {node!r}")

    def _compare(self, op: str, left, right) -> bool:
        return compare(op, left, right, self.tolerance)


def compare(op: str, left, right, t) -> bool:
    """``left op right``, with tolerance ``t`` widening ==, !=, <= and >=."""
    if op == "==":
        return abs(left - right) <= t
    if op == "!=":
        return abs(left - right) > t
    if op == "<=":
        return left <= right + t
    if op == ">=":
        return left >= right - t
    if op == "<":
        return left < right
    return left > right


def flatten(node, values: Mapping[str, object], sign: int = 1, factor=1):
    """The terms of a linear expression, for showing an equation with its numbers."""
    if isinstance(node, rl.BinOp) and node.op in "+-":
        yield from flatten(node.left, values, sign, factor)
        yield from flatten(node.right, values, sign if node.op == "+" else -sign, factor)
    elif isinstance(node, rl.BinOp):  # "*": one side holds no cell
        constant, other = (node.left, node.right) if rl.is_constant(node.left) else (node.right, node.left)
        yield from flatten(other, values, sign, factor * value_of(constant, values))
    elif isinstance(node, rl.Neg):
        yield from flatten(node.operand, values, -sign, factor)
    elif isinstance(node, CellRef):
        yield Term("+" if sign > 0 else "-", (node.cell,), values.get(node.cell), factor)
    elif isinstance(node, CellSum):
        parts = tuple(values.get(c) for c in node.cells)
        reported = [v for v in parts if v is not None]
        yield Term("+" if sign > 0 else "-", node.cells, sum(reported, 0) if reported else None, factor, True, parts)
    elif isinstance(node, rl.Number):
        yield Term("+" if sign > 0 else "-", (), node.value, factor)
