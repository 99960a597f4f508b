"""The rule language: syntax (:mod:`~govspec.rules.syntax`), parser (:mod:`~govspec.rules.parser`),
compiled linear forms and conditions, evaluation, and the exact algebra lint and the solver share."""

from govspec.rules.parser import COMPARISONS, KEYWORDS, MAX_DEPTH, MAX_RULE_LENGTH, RuleSyntaxError, parse, parse_part
from govspec.rules.syntax import (
                                  Atom,
                                  BinOp,
                                  BoolOp,
                                  Compare,
                                  Cond,
                                  Expr,
                                  If,
                                  Neg,
                                  Not,
                                  Number,
                                  Part,
                                  Previous,
                                  Ref,
                                  Reported,
                                  Sum,
                                  is_constant,
                                  ref_text,
                                  to_text,
)

__all__ = [
    "COMPARISONS", "KEYWORDS", "MAX_DEPTH", "MAX_RULE_LENGTH", "RuleSyntaxError", "parse", "parse_part",
    "Atom", "BinOp", "BoolOp", "Compare", "Cond", "Expr", "If", "Neg", "Not", "Number", "Part", "Previous", "Ref",
    "Reported", "Sum", "is_constant", "ref_text", "to_text",
]
