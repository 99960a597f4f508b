"""Compiled conditions: what a check asks of a report's values, with every cell resolved.

The compiler turns a rule's syntax tree into these nodes (arithmetic already made :class:`Linear`).
Each node knows how to evaluate itself and which cells it reads, as in rule-engine: there is no
chain of type tests anywhere else.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from decimal import Decimal
from typing import Any

from govspec.records import record
from govspec.rules.linear import Linear, Number

NEGATED = {"==": "≠", "!=": "=", "<=": ">", ">=": "<", "<": "≥", ">": "≤"}


def compare(op: str, left: Number, right: Number, t: Number) -> bool:
    """``left op right``, with tolerance ``t`` widening ==, !=, <= and >=."""
    difference: Any = left - right  # int or Decimal, exact
    if op == "==":
        return abs(difference) <= t
    if op == "!=":
        return abs(difference) > t
    if op == "<=":
        return difference <= t
    if op == ">=":
        return difference >= -t
    if op == "<":
        return difference < 0
    return difference > 0


class Trace:
    """What an evaluation saw: the last comparison that came out false, with both sides' values."""

    __slots__ = ("failed",)

    def __init__(self) -> None:
        self.failed: tuple[Comparison, Number, Number] | None = None


class Condition:
    """A compiled condition."""

    def truth(self, values: Mapping[str, Number], tolerance: Number, trace: Trace) -> bool:
        raise NotImplementedError

    def cells(self) -> Iterator[str]:
        raise NotImplementedError


@record
class Comparison(Condition):
    op: str
    left: Linear
    right: Linear

    def truth(self, values: Mapping[str, Number], tolerance: Number, trace: Trace) -> bool:
        left, right = self.left.value(values), self.right.value(values)
        result = compare(self.op, left, right, tolerance)
        if not result:
            trace.failed = (self, left, right)
        return result

    def cells(self) -> Iterator[str]:
        yield from self.left.cells
        yield from self.right.cells

    def integer_form(self) -> tuple[dict[str, int], int] | None:
        """``left - right`` as (coefficients, constant) in integers, or None."""
        return (self.left - self.right).integer_form()


@record
class AllOf(Condition):
    """``a and b``."""

    left: Condition
    right: Condition

    def truth(self, values: Mapping[str, Number], tolerance: Number, trace: Trace) -> bool:
        return self.left.truth(values, tolerance, trace) and self.right.truth(values, tolerance, trace)

    def cells(self) -> Iterator[str]:
        yield from self.left.cells()
        yield from self.right.cells()


@record
class AnyOf(Condition):
    """``a or b``."""

    left: Condition
    right: Condition

    def truth(self, values: Mapping[str, Number], tolerance: Number, trace: Trace) -> bool:
        return self.left.truth(values, tolerance, trace) or self.right.truth(values, tolerance, trace)

    def cells(self) -> Iterator[str]:
        yield from self.left.cells()
        yield from self.right.cells()


@record
class Negation(Condition):
    operand: Condition

    def truth(self, values: Mapping[str, Number], tolerance: Number, trace: Trace) -> bool:
        trace.failed = None  # a comparison that holds is what fails here: no equation to show
        return not self.operand.truth(values, tolerance, trace)

    def cells(self) -> Iterator[str]:
        yield from self.operand.cells()


@record
class Implication(Condition):
    """``if condition then then``."""

    condition: Condition
    then: Condition

    def truth(self, values: Mapping[str, Number], tolerance: Number, trace: Trace) -> bool:
        return not self.condition.truth(values, tolerance, trace) or self.then.truth(values, tolerance, trace)

    def cells(self) -> Iterator[str]:
        yield from self.condition.cells()
        yield from self.then.cells()


@record
class CellsReported(Condition):
    """``reported(cells)``: every cell has a value."""

    cell_ids: tuple[str, ...]

    def truth(self, values: Mapping[str, Number], tolerance: Number, trace: Trace) -> bool:
        return all(c in values for c in self.cell_ids)

    def cells(self) -> Iterator[str]:
        yield from self.cell_ids


ZERO = Decimal(0)
