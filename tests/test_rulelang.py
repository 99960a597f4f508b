"""The rule language: parsing, errors with positions, and text → AST → text stability."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import govspec.rules as rl


@pytest.mark.parametrize("text", [
    "received.$col + carried_over.$col == total.$col + carried_forward.$col",
    "$row.total == sum($row.natural_person..other)",
    "total.$col == sum(disclosed..other_other.$col)",
    "cases.review_total == sum(cases.review_upheld..review_pending)",
    "if a.b > 0 then reported(c.d)",
    "if a.b > 0 and not c.d == 0 then e.f >= 1 or g.h < 2",
    "2 * (a.b - c.d) <= -e.f + 3",
    "sum(@withheld.*) != 0",
    "t.r.c == 1.50",
])
def test_round_trip(text):
    ast = rl.parse(text)
    assert rl.parse(rl.to_text(ast)) == ast
    assert rl.to_text(rl.parse(rl.to_text(ast))) == rl.to_text(ast)


def test_precedence():
    ast = rl.parse("a.b + c.d * 2 == 1 or x.y == 2 and z.w == 3")
    assert isinstance(ast, rl.BoolOp) and ast.op == "or"
    assert isinstance(ast.right, rl.BoolOp) and ast.right.op == "and"
    left = ast.left.left
    assert isinstance(left, rl.BinOp) and left.op == "+" and left.right.op == "*"


@pytest.mark.parametrize("text,fragment,position", [
    ("a.b ==", "expected a row, column or table id", 6),
    ("a == b.c", "2 parts", 0),
    ("a.b.c.d == 1", "not 4", 0),
    ("a.b * c.d == 1", "'*' needs a number", 4),
    ("sum(a.b == 1", "expected ')'", 8),
    ("a.b..c == 1", "only stand inside sum", 0),
    ("$x.b == 1", "unexpected character '$'", 0),
    ("a.b + 1", "expected a comparison", 7),
    ("if a.b > 1 a.b < 2", "expected 'then'", 11),
    ("a.b == 1 junk", "unexpected 'junk'", 9),
    ("__import__('os').system('x') == 1", "unexpected character \"'\"", 11),
])
def test_syntax_errors_say_what_and_where(text, fragment, position):
    with pytest.raises(rl.RuleSyntaxError) as info:
        rl.parse(text)
    assert fragment in str(info.value)
    assert info.value.position == position


def test_deep_nesting_and_huge_rules_are_refused():
    with pytest.raises(rl.RuleSyntaxError, match="nested deeper"):
        rl.parse("(" * 500 + "a.b" + ")" * 500 + " == 1")
    with pytest.raises(rl.RuleSyntaxError, match="longer than"):
        rl.parse("a.b == " + " + ".join(["1"] * 5000))


names = st.sampled_from(["a", "row_1", "total", "$row", "$col", "@grp", "x_y"])
refs = st.builds(lambda a, b: f"{a}.{b}", names.filter(lambda n: n not in ("@grp",)), names.filter(
    lambda n: n not in ("@grp",)))


base_exprs = st.one_of(refs, st.integers(0, 999).map(str), st.just("sum(a..b.$col)"))
exprs = st.recursive(base_exprs, lambda sub: st.one_of(
    st.tuples(sub, st.sampled_from(["+", "-"]), sub).map(" ".join), sub.map(lambda e: f"({e})"),
    sub.map(lambda e: f"-{e}"), sub.map(lambda e: f"3 * {e}"), sub.map(lambda e: f"{e} * 2")), max_leaves=5)


comparisons = st.tuples(exprs, st.sampled_from(rl.COMPARISONS), exprs).map(" ".join)
conditions = st.recursive(comparisons, lambda c: st.one_of(
    st.tuples(c, st.sampled_from(["and", "or"]), c).map(" ".join), c.map(lambda x: f"not {x}"),
    c.map(lambda x: f"({x})")), max_leaves=4)


@settings(max_examples=200, deadline=None)
@given(conditions)
def test_generated_rules_round_trip(text):
    ast = rl.parse(text)
    assert rl.parse(rl.to_text(ast)) == ast


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=60))
def test_garbage_never_crashes_the_parser(text):
    try:
        rl.parse(text)
    except rl.RuleSyntaxError:
        pass
