"""A LazyPattern is compiled when first used, and then is the compiled pattern's methods."""

from __future__ import annotations

import re

import pytest

from govspec.patterns import LazyPattern


def test_a_lazy_pattern_compiles_on_first_use_and_answers_as_the_compiled_one(monkeypatch):
    compiled: list = []
    real = re.compile
    monkeypatch.setattr(re, "compile", lambda *args: compiled.append(args) or real(*args))
    lazy = LazyPattern(r"(\d{4})\s*年", re.M)
    assert compiled == []  # made, not compiled
    assert lazy.search("报告 2024 年").group(1) == "2024" and compiled == [(r"(\d{4})\s*年", re.M)]
    same = real(r"(\d{4})\s*年", re.M)
    text = "2023年\n2024 年 x"
    assert [m.span() for m in lazy.finditer(text)] == [m.span() for m in same.finditer(text)]
    assert lazy.sub("Y", text) == same.sub("Y", text) and lazy.findall(text) == same.findall(text)
    assert lazy.match("x") is None and lazy.fullmatch("2024年").group(0) == "2024年" and lazy.split(text) == same.split(text)
    assert lazy.flags == same.flags and lazy.compiled.pattern == same.pattern and len(compiled) == 1


def test_the_compiled_pattern_may_be_asked_for_first():
    lazy = LazyPattern(r"\d+")
    assert lazy.compiled == re.compile(r"\d+") and lazy.match("12").group() == "12" and lazy.groups == 0


def test_a_bad_pattern_fails_where_it_is_used_and_dunder_lookups_do_not_compile():
    lazy = LazyPattern("(")
    with pytest.raises(AttributeError):
        lazy.__array__  # noqa: B018 - a protocol lookup must not compile (nor fail as re.error)
    with pytest.raises(re.error):
        lazy.match("x")
