"""The rule language's syntax tree.  Each node prints itself back as text, and turns itself into
what a compiled check evaluates (:mod:`govspec.rules.linear`, :mod:`govspec.rules.conditions`) given
a :class:`Scope` that resolves references to cells.  The grammar is in :mod:`govspec.rules.parser`.

A reference with a range, a group (``@name``) or ``*`` names a set of cells and may only stand inside
``sum(…)`` or ``reported(…)``.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Protocol

from govspec.records import record
from govspec.rules import conditions as c
from govspec.rules.linear import Linear

Value = int | Decimal
PREVIOUS = "previous:"  # prefix of a cell id read from the same body's report of the year before

_PRECEDENCE = {"or": 1, "and": 2, "not": 3, "cmp": 4, "+": 5, "-": 5, "*": 6, "neg": 7}


class Scope(Protocol):
    """What resolution needs from the compiler: the cells a reference names, in spec order."""

    def cells(self, ref: Ref) -> tuple[str, ...]: ...


def _wrap(text: str, own: int, parent: int) -> str:
    return f"({text})" if parent > own else text


# --- references --------------------------------------------------------------------------

@record
class Atom:
    kind: str   # "name" | "var" | "group" | "all"
    value: str  # the name, "row"/"col", the group id, or "*"

    def text(self) -> str:
        return {"name": self.value, "var": "$" + self.value, "group": "@" + self.value, "all": "*"}[self.kind]


@record
class Part:
    start: Atom
    end: Atom | None = None  # set for a range start..end

    def text(self) -> str:
        return self.start.text() + (".." + self.end.text() if self.end else "")


# --- arithmetic ----------------------------------------------------------------------------

class Expr:
    """An arithmetic node."""

    is_condition = False

    def text(self, parent: int = 0) -> str:
        raise NotImplementedError

    def constant(self) -> Value | None:
        """The value, when the expression holds no cell; else None."""
        return None

    def linear(self, scope: Scope) -> Linear:
        raise NotImplementedError


@record
class Ref(Expr):
    parts: tuple[Part, ...]

    @property
    def is_set(self) -> bool:
        return any(p.end is not None or p.start.kind in ("group", "all") for p in self.parts)

    def text(self, parent: int = 0) -> str:
        return ".".join(p.text() for p in self.parts)

    def linear(self, scope: Scope) -> Linear:
        return Linear.of_cells(scope.cells(self)[:1], False)


@record
class Number(Expr):
    value: Value

    def text(self, parent: int = 0) -> str:
        return str(self.value)

    def constant(self) -> Value | None:
        return self.value

    def linear(self, scope: Scope) -> Linear:
        return Linear.of_number(self.value)


@record
class Sum(Expr):
    ref: Ref

    def text(self, parent: int = 0) -> str:
        return f"sum({self.ref.text()})"

    def linear(self, scope: Scope) -> Linear:
        return Linear.of_cells(scope.cells(self.ref), True)


@record
class Previous(Expr):
    """The same cell in the same body's report for the year before (rules across reports only)."""

    ref: Ref

    def text(self, parent: int = 0) -> str:
        return f"previous({self.ref.text()})"

    def linear(self, scope: Scope) -> Linear:
        return Linear.of_cells((PREVIOUS + scope.cells(self.ref)[0],), False)


@record
class Neg(Expr):
    operand: Expr

    def text(self, parent: int = 0) -> str:
        own = _PRECEDENCE["neg"]
        return _wrap(f"-{self.operand.text(own)}", own, parent)

    def constant(self) -> Value | None:
        value = self.operand.constant()
        return None if value is None else -value

    def linear(self, scope: Scope) -> Linear:
        return -self.operand.linear(scope)


@record
class BinOp(Expr):
    op: str  # "+", "-", "*"
    left: Expr
    right: Expr

    def text(self, parent: int = 0) -> str:
        own = _PRECEDENCE[self.op]
        return _wrap(f"{self.left.text(own)} {self.op} {self.right.text(own + 1)}", own, parent)

    def constant(self) -> Value | None:
        left, right = self.left.constant(), self.right.constant()
        if left is None or right is None:
            return None
        return left + right if self.op == "+" else left - right if self.op == "-" else left * right

    def linear(self, scope: Scope) -> Linear:
        if self.op == "+":
            return self.left.linear(scope) + self.right.linear(scope)
        if self.op == "-":
            return self.left.linear(scope) - self.right.linear(scope)
        factor = self.left.constant()  # "*": the parser made sure one side holds no cell
        if factor is not None:
            return self.right.linear(scope).scaled(factor)
        factor = self.right.constant()
        assert factor is not None, "'*' without a number on either side"
        return self.left.linear(scope).scaled(factor)


# --- conditions ----------------------------------------------------------------------------

class Cond:
    """A condition node."""

    is_condition = True

    def text(self, parent: int = 0) -> str:
        raise NotImplementedError

    def resolve(self, scope: Scope) -> c.Condition:
        raise NotImplementedError


@record
class Compare(Cond):
    op: str
    left: Expr
    right: Expr

    def text(self, parent: int = 0) -> str:
        own = _PRECEDENCE["cmp"]
        return _wrap(f"{self.left.text(own)} {self.op} {self.right.text(own)}", own, parent)

    def resolve(self, scope: Scope) -> c.Condition:
        return c.Comparison(self.op, self.left.linear(scope), self.right.linear(scope))


@record
class BoolOp(Cond):
    op: str  # "and" | "or"
    left: Cond
    right: Cond

    def text(self, parent: int = 0) -> str:
        own = _PRECEDENCE[self.op]
        return _wrap(f"{self.left.text(own)} {self.op} {self.right.text(own + 1)}", own, parent)

    def resolve(self, scope: Scope) -> c.Condition:
        kind = c.AllOf if self.op == "and" else c.AnyOf
        return kind(self.left.resolve(scope), self.right.resolve(scope))


@record
class Not(Cond):
    operand: Cond

    def text(self, parent: int = 0) -> str:
        own = _PRECEDENCE["not"]
        return _wrap(f"not {self.operand.text(own)}", own, parent)

    def resolve(self, scope: Scope) -> c.Condition:
        return c.Negation(self.operand.resolve(scope))


@record
class If(Cond):
    condition: Cond
    then: Cond

    def text(self, parent: int = 0) -> str:
        return f"if {self.condition.text()} then {self.then.text()}"

    def resolve(self, scope: Scope) -> c.Condition:
        return c.Implication(self.condition.resolve(scope), self.then.resolve(scope))


@record
class Reported(Cond):
    ref: Ref

    def text(self, parent: int = 0) -> str:
        return f"reported({self.ref.text()})"

    def resolve(self, scope: Scope) -> c.Condition:
        return c.CellsReported(scope.cells(self.ref))


Node = Expr | Cond


def to_text(node: Node) -> str:
    """Canonical text of a syntax tree; ``parse(to_text(tree)) == tree``."""
    return node.text()


def ref_text(ref: Ref) -> str:
    return ref.text()


def is_constant(node: Node) -> bool:
    """True for an arithmetic expression with no cell in it, such as ``3`` or ``(2 * 5)``."""
    return isinstance(node, Expr) and node.constant() is not None
