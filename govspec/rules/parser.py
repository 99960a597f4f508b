"""The rule language's parser: text → tokens → syntax tree (:mod:`govspec.rules.syntax`).  Parsed once,
never eval'd.

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
"""

from __future__ import annotations

import re
from decimal import Decimal

from govspec.io.values import MAX_DIGITS
from govspec.patterns import LazyPattern
from govspec.records import record
from govspec.rules.syntax import (
    Atom,
    BinOp,
    BoolOp,
    Compare,
    Cond,
    Expr,
    If,
    Neg,
    Node,
    Not,
    Number,
    Part,
    Previous,
    Ref,
    Reported,
    Sum,
    is_constant,
)

MAX_RULE_LENGTH = 10_000
MAX_DEPTH = 50        # nesting: parentheses, not, and/or
MAX_OPERATORS = 200   # + - * in one expression (each one level of the syntax tree)
MAX_NUMBER_DIGITS = MAX_DIGITS  # govspec's one digit limit (docs/limits.md)

KEYWORDS = {"if", "then", "and", "or", "not", "sum", "reported", "previous"}
COMPARISONS = ("==", "!=", "<=", ">=", "<", ">")

_TOKEN = LazyPattern(r"""
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


@record
class Token:
    kind: str
    text: str
    position: int


def tokenize(text: str) -> list[Token]:
    tokens: list[Token] = []
    position = 0
    while position < len(text):
        match = _TOKEN.match(text, position)
        if not match:
            raise RuleSyntaxError(f"unexpected character {text[position]!r}", text, position)
        kind = match.lastgroup or ""
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
        self.operators = 0

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

    def nested(self) -> None:
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise self.fail(f"rule nested deeper than {MAX_DEPTH} levels")

    # grammar
    def rule(self) -> Cond:
        if self.accept("if"):
            condition = self.condition()
            self.expect("then")
            node: Cond = If(condition, self.condition())
        else:
            node = self.condition()
        if self.token.kind != "end":
            raise self.fail(f"unexpected {self.token.text!r}")
        return node

    def condition(self) -> Cond:
        node = self.conj()
        while self.accept("or"):
            node = BoolOp("or", node, self.conj())
        return node

    def conj(self) -> Cond:
        node = self.neg()
        while self.accept("and"):
            node = BoolOp("and", node, self.neg())
        return node

    def neg(self) -> Cond:
        self.nested()
        try:
            if self.accept("not"):
                return Not(self.neg())
            if self.accept("reported"):
                self.expect("(")
                reported = Reported(self.ref())
                self.expect(")")
                return reported
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

    def comparison(self) -> Compare:
        left = self.expr()
        token = self.accept(*COMPARISONS)
        if token is None:
            found = self.token.text or "end of rule"
            raise self.fail(f"expected a comparison (==, !=, <=, >=, <, >), found {found!r}")
        return Compare(token.text, left, self.expr())

    def expr(self) -> Expr:
        node = self.term()
        while True:
            token = self.accept("+", "-")
            if token is None:
                return node
            self.operator(token)
            node = BinOp(token.text, node, self.term())

    def operator(self, token: Token) -> None:
        self.operators += 1
        if self.operators > MAX_OPERATORS:
            raise self.fail(f"more than {MAX_OPERATORS} operators in the rule (use sum(…) for long sums)", token)

    def term(self) -> Expr:
        node = self.unary()
        while True:
            token = self.accept("*")
            if token is None:
                return node
            self.operator(token)
            right = self.unary()
            if not is_constant(node) and not is_constant(right):
                raise self.fail("'*' needs a number on one side (rules are linear)", token)
            node = BinOp("*", node, right)

    def unary(self) -> Expr:
        self.nested()
        try:
            token = self.token
            if self.accept("-"):
                operand = self.unary()
                if isinstance(operand, Number):  # a negative constant, so "-3 * x" stays linear
                    value = operand.value
                    return Number(value.copy_negate() if isinstance(value, Decimal) else -value)  # exact
                return Neg(operand)
            if token.kind == "number":
                if len(token.text) > MAX_NUMBER_DIGITS:
                    raise self.fail(f"a number of more than {MAX_NUMBER_DIGITS} digits", token)
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
                inner = self.expr()
                self.expect(")")
                return inner
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


def parse(text: str) -> Node:
    """Parse rule text into an AST; raises :class:`RuleSyntaxError`."""
    if len(text) > MAX_RULE_LENGTH:
        raise RuleSyntaxError(f"rule longer than {MAX_RULE_LENGTH} characters", text[:80], 0)
    return _Parser(text).rule()




def parse_part(text: str) -> Part:
    """One part of a reference (``for_each`` selectors: ``a..b``, ``@group``, ``*``)."""
    parser = _Parser(text)
    part = parser.part()
    if parser.token.kind != "end":
        raise parser.fail(f"unexpected {parser.token.text!r}")
    return part
