"""Evaluating compiled checks against the values of one instance.

Values are a mapping ``cell id → int | Decimal`` of the reported, usable cells; a cell
not in it is blank.  Under ``on_blank: zero`` a blank reads as 0; under ``skip`` a check
that reads a blank cell is not evaluated.  Arithmetic is exact (integers and Decimals).
The conditions evaluate themselves (:mod:`govspec.rules.conditions`); this module decides which
checks run and turns a failed comparison into an :class:`~govspec.findings.Equation`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from itertools import filterfalse

from govspec.findings import Equation, Term
from govspec.records import record
from govspec.rules.conditions import NEGATED, Trace, compare
from govspec.rules.linear import Linear, LinearTerm, Number
from govspec.spec.compiler import Check

__all__ = ["Outcome", "run_all", "run", "holds", "compare", "terms", "shown"]


@record(init=False)
class Outcome:
    check: Check
    status: str                          # "pass" | "fail" | "skip"
    blank: tuple[str, ...] = ()          # cells read that were not reported
    invalid: tuple[str, ...] = ()        # cells read whose value was unusable
    equation: Equation | None = None     # the comparison that failed
    reported: Number | None = None
    computed: Number | None = None

    def __init__(self, check: Check, status: str, blank: tuple[str, ...] = (), invalid: tuple[str, ...] = (),
                 equation: Equation | None = None, reported: Number | None = None,
                 computed: Number | None = None) -> None:  # stored as govspec.findings explains
        fields = self.__dict__
        fields["check"], fields["status"], fields["blank"], fields["invalid"] = check, status, blank, invalid
        fields["equation"], fields["reported"], fields["computed"] = equation, reported, computed


def run_all(checks: Sequence[Check], values: Mapping[str, Number], invalid: frozenset,
            cell_count: int) -> list[Outcome]:
    """The outcomes of the checks that do not pass (failed or skipped), in check order.

    A comparison whose cells are all reported and usable (every one, in a complete report) is first summed
    from its compiled linear form alone, both sides at once (``Check.difference``); only a check that does not hold
    that way, or reads a blank or unusable cell, is evaluated in full.  The checks that read such a cell are found
    from the cells, not check by check."""
    touched = () if len(values) == cell_count and not invalid else _touched(checks, values, invalid)
    get = values.__getitem__
    outcomes = []
    for number, check in enumerate(checks):
        difference = check.difference
        if difference is not None and number not in touched:
            if compare(check.comparison.op, difference.sum(get), 0, check.rule.decl.tolerance):  # type: ignore[union-attr]
                continue
        outcome = run(check, values, invalid)
        if outcome.status != "pass":
            outcomes.append(outcome)
    return outcomes


_READERS: dict = {}  # id of a spec's checks -> (the checks, cell -> the positions of the checks that read it)


def _touched(checks: Sequence[Check], values: Mapping[str, Number], invalid: frozenset = frozenset()) -> set[int]:
    """The positions of the checks that read a cell without a usable value, or one ``invalid`` names (a cell the
    source did not show, though the instance gives it a value: :func:`run` does not read it either)."""
    kept = _READERS.get(id(checks))
    if kept is None or kept[0] is not checks:
        if len(_READERS) >= 64:
            _READERS.clear()
        readers: dict = {}
        for number, check in enumerate(checks):
            for cell in check.cells:
                readers.setdefault(cell, []).append(number)
        kept = _READERS[id(checks)] = (checks, readers)
    readers = kept[1]
    return {number for cell in filterfalse(values.__contains__, readers) for number in readers[cell]} | \
        {number for cell in invalid if cell in values for number in readers.get(cell, ())}


def run(check: Check, values: Mapping[str, Number], invalid: frozenset = frozenset()) -> Outcome:
    read = check.cells
    if invalid:
        bad = tuple(c for c in read if c in invalid)
        blank = tuple(c for c in read if c not in values and c not in invalid)
    else:  # most reports: every cell usable, most of them reported
        bad, blank = (), tuple(filterfalse(values.__contains__, read))
    if bad or (blank and check.rule.decl.on_blank == "skip"):
        return Outcome(check, "skip", blank, bad)
    trace = Trace()
    if check.condition.truth(values, check.rule.decl.tolerance, trace):
        return Outcome(check, "pass", blank)
    if trace.failed is None:
        return Outcome(check, "fail", blank)
    comparison, left, right = trace.failed
    shown = Equation(terms(comparison.left, values), NEGATED[comparison.op], terms(comparison.right, values))
    return Outcome(check, "fail", blank, (), shown, left, right)


def holds(check: Check, values: Mapping[str, Number]) -> bool:
    return check.condition.truth(values, check.rule.decl.tolerance, Trace())


def terms(expression: Linear, values: Mapping[str, Number]) -> tuple[Term, ...]:
    """The terms of a linear expression with their values, for showing an equation."""
    return tuple([_term(term, values) for term in expression.terms])


def _term(term: LinearTerm, values: Mapping[str, Number]) -> Term:
    cells = term.cells
    if not cells:
        return Term(term.sign, (), term.number, term.factor)
    if not term.is_sum:
        return Term(term.sign, cells, values.get(cells[0]), term.factor)
    parts: tuple = tuple(map(values.get, cells))
    if None in parts:
        reported = [v for v in parts if v is not None]
        return Term(term.sign, cells, sum(reported, 0) if reported else None, term.factor, True, parts)
    return Term(term.sign, cells, sum(parts), term.factor, True, parts)


def shown(expression: Linear, values: Mapping[str, Number]) -> tuple[tuple[Term, ...], Number]:
    """:func:`terms` and the expression's value at once, for values that hold every cell it reads (a complete
    report of usable values): the value summed from the terms, as :meth:`Linear.value` sums it (exact: integers,
    or amounts in :func:`~govspec.rules.linear.exact`'s context)."""
    shown_terms = []
    total: Number = 0
    for term in expression.terms:
        cells, factor = term.cells, term.factor
        if not cells:
            value = term.number
            shown_terms.append(Term(term.sign, (), value, factor))
        elif term.is_sum:
            parts = tuple(map(values.__getitem__, cells))
            value = sum(parts)
            shown_terms.append(Term(term.sign, cells, value, factor, True, parts))
        else:
            value = values[cells[0]]
            shown_terms.append(Term(term.sign, cells, value, factor))
        if term.sign == "+":
            total += value if factor == 1 else value * factor
        else:
            total -= value if factor == 1 else value * factor
    return tuple(shown_terms), total
