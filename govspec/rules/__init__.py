"""The rule language: syntax tree (:mod:`~govspec.rules.syntax`), parser (:mod:`~govspec.rules.parser`),
compiled linear forms (:mod:`~govspec.rules.linear`) and conditions (:mod:`~govspec.rules.conditions`),
evaluation (:mod:`~govspec.rules.evaluate`), and the exact algebra that lint and the solver share
(:mod:`~govspec.rules.algebra`, :mod:`~govspec.rules.solver`).

Entry points: ``parse``, ``to_text`` (below) and ``govspec.rules.solver.random_instance`` (docs/api.md).
"""

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
