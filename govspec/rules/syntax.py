"""The rule language: text → tokens → AST, and AST → text.  Parsed once, never eval'd.

Grammar (lowest precedence first)::

    rule       := "if" condition "then" condition | condition
    condition  := conj ("or" conj)*
    conj       := neg ("and" neg)*
    neg        := "not" neg | comparison | "reported" "(" ref ")" | "(" condition ")"
    comparison := expr ("==" | "!=" | "<=" | ">=" | "<" | ">") expr
    expr       := term (("+" | "-") term)*
    term       := unary ("*" unary)*          -- one side of "*" must hold no cell (rules stay linear)
    unary      := "-" unary | NUMBER | ref | "sum" "(" ref ")" | "previous" "(" ref ")" | "(" expr ")"
    ref        := part "." part ["." part]    -- row.column, or table.row.column
    part       := atom [".." atom]            -- a range in the order of the spec
    atom       := NAME | "$row" | "$col" | "@" NAME | "*"

A reference with a range, a group (``@name``) or ``*`` names a set of cells and may
only stand inside ``sum(…)`` or ``reported(…)``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

MAX_RULE_LENGTH = 10_000
MAX_DEPTH = 50

KEYWORDS = {"if", "then", "and", "or", "not", "sum", "reported", "previous"}
COMPARISONS = ("==", "!=", "<=", ">=", "<", ">")

_TOKEN = re.compile(r"""
    (?P<space>\s+)
  | (?P<number>\d+(?:\.\d+)?(?![A-Za-z_]))
  | (?P<var>\$(?:row|col)\b)
  | (?P<group>@[a-z][a-z0-9_]*)
  | (?P<name>[A-Za-z_][A-Za-z0-9_]*)
  | (?P<op>==|!=|<=|>=|\.\.|[<>+\-*().,])
""", re.VERBOSE)


class RuleSyntaxError(ValueError):
    """Rule text that does not parse; ``position`` is a 0-based character offset."""

    def __init__(self, message: str, text: str, position: int) -> None:
        super().__init__(message)
        self.message = message
        self.text = text
        self.position = position

    def __str__(self) -> str:
        return f"{self.message} at character {self.position + 1}: {self.text[:80]!r}"


# --- AST ----------------------------------------------------------------------------

@dataclass(frozen=True)
class Atom:
    kind: str   # "name" | "var" | "group" | "all"
    value: str  # the name, "row"/"col", the group id, or "*"


@dataclass(frozen=True)
class Part:
    start: Atom
    end: Atom | None = None  # set for a range start..end


@dataclass(frozen=True)
class Ref:
    parts: tuple[Part, ...]

    @property
    def is_set(self) -> bool:
        return any(p.end is not None or p.start.kind in ("group", "all") for p in self.parts)


@dataclass(frozen=True)
class Number:
    value: int | Decimal


@dataclass(frozen=True)
class Sum:
    ref: Ref


@dataclass(frozen=True)
class Reported:
    ref: Ref


@dataclass(frozen=True)
class Previous:
    """The same cell in the same body's report for the year before (rules across reports only)."""

    ref: Ref


@dataclass(frozen=True)
class Neg:
    operand: object


@dataclass(frozen=True)
class BinOp:
    op: str  # "+", "-", "*"
    left: object
    right: object


@dataclass(frozen=True)
class Compare:
    op: str
    left: object
    right: object


@dataclass(frozen=True)
class BoolOp:
    op: str  # "and" | "or"
    left: object
    right: object


@dataclass(frozen=True)
class Not:
    operand: object


@dataclass(frozen=True)
class If:
    condition: object
    then: object




def is_constant(node) -> bool:
    """True for an arithmetic expression with no cell in it, such as ``3`` or ``(2 * 5)``."""
    if isinstance(node, Number):
        return True
    if isinstance(node, Neg):
        return is_constant(node.operand)
    if isinstance(node, BinOp):
        return is_constant(node.left) and is_constant(node.right)
    return False
BOOLEAN = (Compare, BoolOp, Not, If, Reported)


# --- lexer and parser -------------------------------------------------------------------

@dataclass(frozen=True)
class Token:
    kind: str
    text: str
    position: int


def tokenize(text: str) -> list[Token]:
    tokens, position = [], 0
    while position < len(text):
        match = _TOKEN.match(text, position)
        if not match:
            raise RuleSyntaxError(f"unexpected character {text[position]!r}", text, position)
        kind = match.lastgroup
        if kind != "space":
            word = match.group()
            if kind == "name" and word in KEYWORDS:
                kind = "keyword"
            tokens.append(Token(kind, word, position))
        position = match.end()
    tokens.append(Token("end", "", len(text)))
    return tokens


class _Parser:
    def __init__(self, text: str) -> None:
        self.text = text
        self.tokens = tokenize(text)
        self.index = 0
        self.depth = 0

    # helpers
    @property
    def token(self) -> Token:
        return self.tokens[self.index]

    def fail(self, message: str, token: Token | None = None) -> RuleSyntaxError:
        token = token or self.token
        return RuleSyntaxError(message, self.text, token.position)

    def accept(self, *texts: str) -> Token | None:
        if self.token.kind in ("op", "keyword") and self.token.text in texts:
            token = self.token
            self.index += 1
            return token
        return None

    def expect(self, text: str) -> Token:
        token = self.accept(text)
        if token is None:
            found = self.token.text or "end of rule"
            raise self.fail(f"expected {text!r}, found {found!r}")
        return token

    def nested(self):
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise self.fail(f"rule nested deeper than {MAX_DEPTH} levels")

    # grammar
    def rule(self):
        if self.accept("if"):
            condition = self.condition()
            self.expect("then")
            node = If(condition, self.condition())
        else:
            node = self.condition()
        if self.token.kind != "end":
            raise self.fail(f"unexpected {self.token.text!r}")
        return node

    def condition(self):
        node = self.conj()
        while self.accept("or"):
            node = BoolOp("or", node, self.conj())
        return node

    def conj(self):
        node = self.neg()
        while self.accept("and"):
            node = BoolOp("and", node, self.neg())
        return node

    def neg(self):
        self.nested()
        try:
            if self.accept("not"):
                return Not(self.neg())
            if self.accept("reported"):
                self.expect("(")
                node = Reported(self.ref())
                self.expect(")")
                return node
            if self.token.text == "(" and self._parenthesised_condition():
                self.expect("(")
                node = self.condition()
                self.expect(")")
                return node
            return self.comparison()
        finally:
            self.depth -= 1

    def _parenthesised_condition(self) -> bool:
        """Does the '(' here open a condition (not an arithmetic group)?"""
        depth, index = 0, self.index
        while True:
            token = self.tokens[index]
            if token.kind == "end":
                return False
            if token.text == "(":
                depth += 1
            elif token.text == ")":
                depth -= 1
                if depth == 0:
                    following = self.tokens[index + 1]
                    return following.text not in COMPARISONS + ("+", "-", "*")
            elif depth == 1 and (token.text in COMPARISONS or token.text in ("and", "or", "not", "reported")):
                return True
            index += 1

    def comparison(self):
        left = self.expr()
        token = self.accept(*COMPARISONS)
        if token is None:
            found = self.token.text or "end of rule"
            raise self.fail(f"expected a comparison (==, !=, <=, >=, <, >), found {found!r}")
        return Compare(token.text, left, self.expr())

    def expr(self):
        node = self.term()
        while True:
            token = self.accept("+", "-")
            if token is None:
                return node
            node = BinOp(token.text, node, self.term())

    def term(self):
        node = self.unary()
        while True:
            token = self.accept("*")
            if token is None:
                return node
            right = self.unary()
            if not is_constant(node) and not is_constant(right):
                raise self.fail("'*' needs a number on one side (rules are linear)", token)
            node = BinOp("*", node, right)

    def unary(self):
        self.nested()
        try:
            token = self.token
            if self.accept("-"):
                operand = self.unary()
                if isinstance(operand, Number):  # a negative constant, so "-3 * x" stays linear
                    return Number(-operand.value)
                return Neg(operand)
            if token.kind == "number":
                self.index += 1
                return Number(Decimal(token.text) if "." in token.text else int(token.text))
            if self.accept("sum"):
                self.expect("(")
                node = Sum(self.ref())
                self.expect(")")
                return node
            if self.accept("previous"):
                self.expect("(")
                start = self.token
                ref = self.ref()
                if ref.is_set:
                    raise self.fail("previous(…) takes one cell", start)
                self.expect(")")
                return Previous(ref)
            if self.accept("("):
                node = self.expr()
                self.expect(")")
                return node
            ref = self.ref()
            if ref.is_set:
                raise self.fail("a set of cells (range, @group or *) can only stand inside sum(…) or reported(…)",
                                token)
            return ref
        finally:
            self.depth -= 1

    def ref(self) -> Ref:
        start = self.token
        parts = [self.part()]
        while self.accept("."):
            parts.append(self.part())
        if len(parts) not in (2, 3):
            raise self.fail(f"a cell reference has 2 parts (row.column) or 3 (table.row.column), not {len(parts)}",
                            start)
        return Ref(tuple(parts))

    def part(self) -> Part:
        start = self.atom()
        if self.accept(".."):
            end = self.atom()
            if start.kind != "name" or end.kind != "name":
                raise self.fail("a range goes from one id to another: first..last")
            return Part(start, end)
        return Part(start)

    def atom(self) -> Atom:
        token = self.token
        if token.kind == "name":
            self.index += 1
            return Atom("name", token.text)
        if token.kind == "var":
            self.index += 1
            return Atom("var", token.text[1:])
        if token.kind == "group":
            self.index += 1
            return Atom("group", token.text[1:])
        if self.accept("*"):
            return Atom("all", "*")
        raise self.fail(f"expected a row, column or table id, found {token.text or 'end of rule'!r}")


def parse(text: str):
    """Parse rule text into an AST; raises :class:`RuleSyntaxError`."""
    if len(text) > MAX_RULE_LENGTH:
        raise RuleSyntaxError(f"rule longer than {MAX_RULE_LENGTH} characters", text[:80], 0)
    return _Parser(text).rule()


# --- printer ------------------------------------------------------------------------------

def _atom_text(atom: Atom) -> str:
    return {"name": atom.value, "var": "$" + atom.value, "group": "@" + atom.value, "all": "*"}[atom.kind]


def ref_text(ref: Ref) -> str:
    return ".".join(_atom_text(p.start) + (".." + _atom_text(p.end) if p.end else "") for p in ref.parts)


_PRECEDENCE = {"or": 1, "and": 2, "not": 3, "cmp": 4, "+": 5, "-": 5, "*": 6, "neg": 7}


def to_text(node, parent: int = 0) -> str:
    """Canonical text of an AST; ``parse(to_text(ast)) == ast``."""
    if isinstance(node, If):
        return f"if {to_text(node.condition)} then {to_text(node.then)}"
    if isinstance(node, BoolOp):
        own = _PRECEDENCE[node.op]
        text = f"{to_text(node.left, own)} {node.op} {to_text(node.right, own + 1)}"
    elif isinstance(node, Not):
        own = _PRECEDENCE["not"]
        text = f"not {to_text(node.operand, own)}"
    elif isinstance(node, Compare):
        own = _PRECEDENCE["cmp"]
        text = f"{to_text(node.left, own)} {node.op} {to_text(node.right, own)}"
        return f"({text})" if parent > own else text
    elif isinstance(node, BinOp):
        own = _PRECEDENCE[node.op]
        text = f"{to_text(node.left, own)} {node.op} {to_text(node.right, own + 1)}"
    elif isinstance(node, Neg):
        own = _PRECEDENCE["neg"]
        text = f"-{to_text(node.operand, own)}"
    elif isinstance(node, Number):
        return str(node.value)
    elif isinstance(node, Sum):
        return f"sum({ref_text(node.ref)})"
    elif isinstance(node, Reported):
        return f"reported({ref_text(node.ref)})"
    elif isinstance(node, Previous):
        return f"previous({ref_text(node.ref)})"
    elif isinstance(node, Ref):
        return ref_text(node)
    else:
        raise TypeError(f"not a rule node: {node!r}")
    return f"({text})" if parent > own else text
