"""Linear expressions over cells, computed once when a spec is compiled.

Every arithmetic expression of the rule language is linear (``*`` needs a number on one side), so
the compiler turns each one into a :class:`Linear`: its terms as written (for showing an equation
with its numbers) and its coefficients (for summing, for the fast path's matrix, for lint and the
solver).  Nothing else walks arithmetic.
"""

from __future__ import annotations

import decimal
from collections.abc import Callable, Mapping
from contextlib import AbstractContextManager
from dataclasses import field
from decimal import Decimal
from itertools import repeat

from govspec.io.values import EXACT
from govspec.records import record

Number = int | Decimal

def exact() -> AbstractContextManager:
    """``with exact(): …`` — Decimal arithmetic that does not round (see :data:`EXACT`)."""
    return decimal.localcontext(EXACT)


@record
class LinearTerm:
    """One term as the rule writes it: ``sign · factor · (cell | sum(cells) | number)``."""

    sign: str                  # "+" | "-"
    cells: tuple[str, ...]     # () for a number
    factor: Number = 1
    is_sum: bool = False       # written sum(…): shown as one term with its parts
    number: Number = 0         # the number, for a term without cells


@record
class Linear:
    """``Σ terms``: a linear expression with its terms in the order written."""

    terms: tuple[LinearTerm, ...]
    coefficients: Mapping[str, Number] = field(init=False, compare=False, repr=False)
    constant: Number = field(init=False, compare=False, repr=False)
    # the coefficients split for fast summing: cells added once, subtracted once, scaled
    _plus: tuple[str, ...] = field(init=False, compare=False, repr=False)
    _minus: tuple[str, ...] = field(init=False, compare=False, repr=False)
    _scaled: tuple[tuple[str, Number], ...] = field(init=False, compare=False, repr=False)

    def __post_init__(self) -> None:
        coefficients: dict[str, Number] = {}
        constant: Number = 0
        for term in self.terms:
            weight = term.factor if term.sign == "+" else -term.factor
            if not term.cells:
                constant += weight * term.number
            for cell in term.cells:
                coefficients[cell] = coefficients.get(cell, 0) + weight
        set_ = object.__setattr__
        set_(self, "coefficients", coefficients)
        set_(self, "constant", constant)
        set_(self, "_plus", tuple(c for c, k in coefficients.items() if k == 1))
        set_(self, "_minus", tuple(c for c, k in coefficients.items() if k == -1))
        set_(self, "_scaled", tuple((c, k) for c, k in coefficients.items() if k not in (0, 1, -1)))

    # --- building (the compiler) ----------------------------------------------------------------

    @staticmethod
    def of_number(value: Number) -> Linear:
        return Linear((LinearTerm("+", (), 1, False, value),))

    @staticmethod
    def of_cells(cells: tuple[str, ...], is_sum: bool) -> Linear:
        return Linear((LinearTerm("+", cells, 1, is_sum),))

    def __add__(self, other: Linear) -> Linear:
        return Linear(self.terms + other.terms)

    def __neg__(self) -> Linear:
        return Linear(tuple(LinearTerm("-" if t.sign == "+" else "+", t.cells, t.factor, t.is_sum, t.number)
                            for t in self.terms))

    def __sub__(self, other: Linear) -> Linear:
        return self + (-other)

    def scaled(self, factor: Number) -> Linear:
        return Linear(tuple(LinearTerm(t.sign, t.cells, t.factor * factor, t.is_sum, t.number) for t in self.terms))

    # --- reading -------------------------------------------------------------------------------

    @property
    def cells(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(c for t in self.terms for c in t.cells))

    @property
    def single_cell(self) -> str | None:
        """The cell, when the expression is exactly one cell (``cell == …`` defines it)."""
        if len(self.terms) == 1 and len(self.terms[0].cells) == 1 and not self.terms[0].is_sum \
                and self.terms[0].sign == "+" and self.terms[0].factor == 1:
            return self.terms[0].cells[0]
        return None

    def value(self, values: Mapping[str, Number]) -> Number:
        """The value with blanks read as 0; exact (integers and Decimals)."""
        get = values.get
        total = self.constant
        if self._plus:
            total += sum(map(get, self._plus, repeat(0)))
        if self._minus:
            total -= sum(map(get, self._minus, repeat(0)))
        for cell, factor in self._scaled:
            total += factor * get(cell, 0)
        return total

    def sum(self, get: Callable[[str], Number]) -> Number:
        total = self.constant
        if self._plus:
            total += sum(map(get, self._plus))
        if self._minus:
            total -= sum(map(get, self._minus))
        for cell, factor in self._scaled:
            total += factor * get(cell)
        return total

    def integer_form(self) -> tuple[dict[str, int], int] | None:
        """(non-zero coefficients, constant) when all are integers, else None (money factors)."""
        if not isinstance(self.constant, int) or any(not isinstance(k, int) for k in self.coefficients.values()):
            return None
        return {c: int(k) for c, k in self.coefficients.items() if k}, int(self.constant)
