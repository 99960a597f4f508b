"""Records behave as the dataclasses they stand for: each test makes a record and a dataclass of the same fields
and compares what they do."""

from __future__ import annotations

import ast
import copy
import dataclasses
import inspect
import pickle
import threading
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from govspec import records
from govspec.records import record

PACKAGE = Path(__file__).resolve().parent.parent / "govspec"


def pair(body: dict, **flags):
    """A record and a dataclass made from the same class body (``flags`` as dataclass() takes them)."""
    made = []
    for decorate in (lambda c: record(**flags)(c),
                     lambda c: dataclass(**{"frozen": True, **flags})(c)):
        namespace = {"__module__": __name__, "__qualname__": "Thing", **copy.copy(body)}
        namespace["__annotations__"] = dict(body.get("__annotations__", {}))
        for name, value in body.items():
            if isinstance(value, dataclasses.Field):  # a Field belongs to one class: a fresh one for each
                namespace[name] = field(default=value.default, default_factory=value.default_factory,
                                        init=value.init, repr=value.repr, hash=value.hash, compare=value.compare,
                                        kw_only=value.kw_only)
        made.append(decorate(type("Thing", (), namespace)))
    return made


PLAIN = {"__annotations__": {"a": "int", "b": "str", "c": "tuple"}, "b": "x", "c": field(default_factory=tuple)}


@pytest.fixture(autouse=True, params=["first __init__", "generated __init__"])
def init_made(request, monkeypatch):
    """Every test twice: records made through their first ``__init__`` (which compiles nothing), and through the one
    dataclasses generates (made at once)."""
    if request.param == "generated __init__":
        monkeypatch.setattr(records, "GENERATED_AFTER", 0)
    return request.param


def both(body=PLAIN, *args, flags=None, **kwargs):
    return [cls(*args, **kwargs) for cls in pair(body, **(flags or {}))]


def test_a_record_is_made_compared_hashed_and_shown_as_its_dataclass():
    mine, theirs = both(PLAIN, 1, c=(2,))
    assert repr(mine) == repr(theirs) == "Thing(a=1, b='x', c=(2,))"
    assert dataclasses.asdict(mine) == dataclasses.asdict(theirs)
    assert dataclasses.astuple(mine) == dataclasses.astuple(theirs)
    assert mine.__match_args__ == theirs.__match_args__ == ("a", "b", "c")
    assert hash(mine) == hash(theirs) == hash((1, "x", (2,)))
    again = type(mine)(1, "x", (2,))
    assert mine == again and hash(mine) == hash(again) and mine is not again
    assert mine != type(mine)(2) and mine != theirs  # another class: not equal, as dataclasses say
    assert (mine == 5) is False and mine.__eq__(5) is NotImplemented
    assert dataclasses.is_dataclass(mine) and dataclasses.fields(mine) == dataclasses.fields(mine)
    assert [f.name for f in dataclasses.fields(mine)] == [f.name for f in dataclasses.fields(theirs)]
    assert type(mine).__dataclass_params__.frozen and type(mine).__dataclass_params__.eq


def test_a_record_refuses_changes_as_a_frozen_dataclass_does():
    for thing in both(PLAIN, 1):
        with pytest.raises(dataclasses.FrozenInstanceError, match="cannot assign to field 'a'"):
            thing.a = 2
        with pytest.raises(dataclasses.FrozenInstanceError, match="cannot delete field 'b'"):
            del thing.b
        with pytest.raises(dataclasses.FrozenInstanceError):
            thing.other = 3


def test_a_record_takes_its_arguments_as_its_dataclass_does():
    mine, theirs = pair(PLAIN)
    assert str(inspect.signature(mine)) == str(inspect.signature(theirs))  # before its first use too
    mine, theirs = pair(PLAIN)
    assert mine(1) == mine(a=1, b="x", c=()) and mine(1).c == ()
    assert str(inspect.signature(mine)) == str(inspect.signature(theirs)) \
        == "(a: 'int', b: 'str' = 'x', c: 'tuple' = <factory>) -> None"
    for cls in (mine, theirs):
        with pytest.raises(TypeError, match="missing 1 required positional argument: 'a'"):
            cls()
        with pytest.raises(TypeError, match="unexpected keyword argument 'd'"):
            cls(1, d=2)
    assert mine(1).c is not mine(1).c or mine(1).c == ()  # the factory is called for each instance
    assert mine.__init__.__qualname__ == theirs.__init__.__qualname__ == "Thing.__init__"


def test_a_fresh_default_comes_from_its_factory_each_time():
    body = {"__annotations__": {"items": "list"}, "items": field(default_factory=list)}
    mine, theirs = pair(body, frozen=False)
    first, second = mine(), mine()
    first.items.append(1)
    assert second.items == [] and theirs().items == []


def test_post_init_and_fields_it_sets_work_as_in_a_dataclass():
    def __post_init__(self):
        object.__setattr__(self, "double", self.a * 2)
    body = {"__annotations__": {"a": "int", "double": "int"}, "double": field(init=False, compare=False, repr=False),
            "__post_init__": __post_init__}
    mine, theirs = both(body, 4)
    assert mine.double == theirs.double == 8 and repr(mine) == repr(theirs) == "Thing(a=4)"
    assert type(mine)(4) == mine and hash(type(mine)(4)) == hash(mine)
    assert dataclasses.replace(mine, a=5).double == 10


def test_fields_left_out_of_comparison_hash_or_repr_stay_out():
    body = {"__annotations__": {"a": "int", "note": "str", "weight": "int"}, "note": field(default="", compare=False),
            "weight": field(default=0, hash=False, repr=False)}
    mine, theirs = both(body, 1, "n", 2)
    assert repr(mine) == repr(theirs) == "Thing(a=1, note='n')"
    assert hash(mine) == hash(theirs)
    assert mine == type(mine)(1, "other", 2) and mine != type(mine)(1, "n", 3)


def test_keyword_only_fields_are_keyword_only_and_may_follow_defaults_without_one():
    body = {"__annotations__": {"a": "int", "b": "int"}, "a": 0, "b": field(kw_only=True)}
    mine, theirs = pair(body)
    assert mine(1, b=2).b == 2 and theirs(1, b=2).b == 2 and mine(b=3).a == 0
    assert str(inspect.signature(mine)) == str(inspect.signature(theirs)) == "(a: 'int' = 0, *, b: 'int') -> None"
    for cls in (mine, theirs):
        with pytest.raises(TypeError):
            cls(1, 2)


def test_a_mutable_record_has_no_hash_and_can_be_changed():
    mine, theirs = both(PLAIN, 1, flags={"frozen": False})
    for thing in (mine, theirs):
        thing.a = 5
        assert thing.a == 5
        with pytest.raises(TypeError, match="unhashable"):
            hash(thing)
    assert mine == type(mine)(5) and repr(mine) == repr(theirs)


def test_a_record_without_equality_is_compared_and_hashed_by_identity():
    mine, theirs = both(PLAIN, 1, flags={"eq": False, "repr": False})
    assert mine != type(mine)(1) and hash(mine) == object.__hash__(mine)
    assert repr(mine).startswith("<")


def test_methods_the_class_defines_are_kept():
    def __repr__(self):
        return "mine"

    def __eq__(self, other):
        return True

    def __init__(self, a):
        object.__setattr__(self, "a", a * 10)
    body = {"__annotations__": {"a": "int"}, "__repr__": __repr__, "__eq__": __eq__, "__hash__": None,
            "__init__": __init__}
    cls = record(type("Thing", (), {**body, "__module__": __name__}))
    assert repr(cls(1)) == "mine" and cls(1) == 5 and cls(1).a == 10
    assert hash(cls(1)) == hash((10,))  # __eq__ of its own and no hash chosen: the fields' hash, as dataclasses


def test_a_record_that_holds_itself_is_shown_without_recursion():
    body = {"__annotations__": {"items": "list"}}
    mine, theirs = [cls([]) for cls in pair(body, frozen=False)]
    for thing in (mine, theirs):
        thing.items.append(thing)
    assert repr(mine) == repr(theirs) == "Thing(items=[...])"


def test_a_record_survives_pickle_copy_and_replace():
    thing = Point(1, (2, 3))
    for other in (pickle.loads(pickle.dumps(thing)), copy.copy(thing), copy.deepcopy(thing)):
        assert other == thing and other is not thing
    assert dataclasses.replace(thing, x=5) == Point(5, (2, 3))
    match thing:
        case Point(1, rest):
            assert rest == (2, 3)
        case _:
            pytest.fail("a record is matched by its fields")


def test_the_first_use_is_safe_from_several_threads_at_once():
    @record
    class Fresh:
        a: int
        b: int = 2
    made: list = []
    threads = [threading.Thread(target=lambda: made.append(Fresh(1))) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert made == [Fresh(1, 2)] * 8


def test_a_record_cannot_inherit_from_a_dataclass_or_define_its_own_setattr():
    @dataclass(frozen=True)
    class Base:
        a: int
    with pytest.raises(TypeError, match="cannot inherit from the dataclass .*Base"):
        record(type("Child", (Base,), {"__annotations__": {"b": "int"}, "__module__": __name__}))
    with pytest.raises(TypeError, match="cannot define __setattr__"):
        record(type("Odd", (), {"__annotations__": {"b": "int"}, "__setattr__": lambda *a: None}))


def test_a_dataclass_may_extend_a_record():
    @dataclass(frozen=True)
    class Point3(Point):
        z: int = 0
    assert Point3(1, (2,), 3) == Point3(1, (2,), 3) and Point3(1, (2,)).z == 0


def test_a_class_that_extends_a_record_is_made_and_signed_as_the_record():
    mine, theirs = pair(PLAIN)
    child, other = type("Child", (mine,), {}), type("Child", (theirs,), {})
    assert str(inspect.signature(child)) == str(inspect.signature(other))
    assert child(1, c=(2,)).c == other(1, c=(2,)).c == (2,) and type(child(1)) is child


def test_every_dataclass_of_the_package_is_a_record():
    plain = [f"{path.relative_to(PACKAGE)}:{node.lineno}" for path in PACKAGE.rglob("*.py")
             for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
             if isinstance(node, ast.ClassDef)
             for decorator in node.decorator_list if "dataclass" in ast.unparse(decorator)]
    assert not plain, f"plain dataclasses compile their methods at import (use govspec.records.record): {plain}"


@record
class Point:
    x: int
    rest: tuple = ()


def test_what_the_first_use_could_not_compile_is_refused_when_the_class_is_made():
    with pytest.raises(TypeError, match="non-default argument 'b' follows default argument"):
        record(type("Odd", (), {"__annotations__": {"a": "int", "b": "int"}, "a": 0, "__module__": __name__}))
    with pytest.raises(TypeError, match="InitVar is not supported"):
        record(type("Odd", (), {"__annotations__": {"a": dataclasses.InitVar[int]}, "__module__": __name__}))


def test_a_field_left_out_of_init_keeps_its_default_or_its_factory():
    body = {"__annotations__": {"a": "int", "b": "int", "c": "list"}, "b": field(default=7, init=False),
            "c": field(default_factory=list, init=False)}
    mine, theirs = both(body, 1)
    assert (mine.b, mine.c) == (theirs.b, theirs.c) == (7, [])
    for thing in (mine, theirs):
        with pytest.raises((ValueError, TypeError), match="init=False"):  # TypeError since Python 3.13
            dataclasses.replace(thing, b=8)


def test_the_first_instances_compile_nothing_and_later_ones_use_the_generated_init(init_made, monkeypatch):
    monkeypatch.setattr(records, "GENERATED_AFTER", 3)
    mine, _ = pair(PLAIN)
    first = mine.__dict__["__init__"]
    assert [mine(i).a for i in range(3)] == [0, 1, 2] and mine.__dict__["__init__"] is first
    assert mine(3).a == 3 and mine.__dict__["__init__"] is not first  # the fourth: dataclasses' own
    assert not getattr(mine.__dict__["__init__"], "first", False) and mine(4, c=(1,)) == mine(4, "x", (1,))


LAYOUTS = st.lists(st.sampled_from(["required", "default", "factory", "out", "out default", "out factory",
                                    "keyword", "keyword default"]), max_size=5)
ARGUMENTS = st.tuples(st.lists(st.integers(0, 9), max_size=6),
                      st.dictionaries(st.sampled_from(["f0", "f1", "f2", "f3", "f4", "other"]), st.integers(0, 9),
                                      max_size=4))


@settings(max_examples=150, deadline=None)
@given(layout=LAYOUTS, arguments=ARGUMENTS, post_init=st.booleans())
def test_any_fields_and_arguments_give_what_the_dataclass_gives(layout, arguments, post_init):
    positional = [kind for kind in layout if kind in ("required", "default", "factory")]
    if "required" in positional[next((i for i, k in enumerate(positional) if k != "required"), len(positional)):]:
        return  # a required argument after one with a default: refused when the class is made (tested above)
    annotations, body = {}, {}
    for i, kind in enumerate(layout):
        name = f"f{i}"
        annotations[name] = "int"
        body[name] = {"required": field(), "default": field(default=i), "factory": field(default_factory=list),
                      "out": field(init=False), "out default": field(default=i, init=False),
                      "out factory": field(default_factory=list, init=False), "keyword": field(kw_only=True),
                      "keyword default": field(default=i, kw_only=True)}[kind]
    if post_init:
        body["__post_init__"] = lambda self: object.__setattr__(self, "seen", True)
    args, kwargs = arguments
    made = []
    for cls in pair({"__annotations__": annotations, **body}):
        try:
            thing = cls(*args, **kwargs)
        except TypeError as error:
            made.append(("refused", str(error).split("__init__()")[-1]))
        else:
            made.append((dataclasses.astuple(thing) if all(hasattr(thing, n) for n in annotations) else
                         sorted(vars(thing).items()), sorted(vars(thing))))
    assert made[0] == made[1]


@record
class _Counted:
    values: tuple

    @records.cached
    def total(self) -> int:
        """The sum, worked out once."""
        _Counted.worked += 1
        return sum(self.values)

    worked = 0


def test_a_cached_value_is_worked_out_once_and_kept_beside_the_fields():
    """As functools.cached_property: kept in the instance's ``__dict__``, not a field — equality, hashing, ``repr`` and
    pickling are the record's — and the class gives the descriptor, with the function's doc."""
    one, other = _Counted((1, 2, 3)), _Counted((1, 2, 3))
    before = _Counted.worked
    assert one.total == 6 and one.total == 6 and _Counted.worked == before + 1
    assert one.__dict__["total"] == 6 and "total" not in other.__dict__
    assert one == other and hash(one) == hash(other) and repr(one) == repr(other) == "_Counted(values=(1, 2, 3))"
    assert [f.name for f in dataclasses.fields(_Counted)] == ["values"]
    assert pickle.loads(pickle.dumps(one)) == one and pickle.loads(pickle.dumps(one)).total == 6
    assert isinstance(_Counted.total, records.cached) and _Counted.total.__doc__ == "The sum, worked out once."
    with pytest.raises(dataclasses.FrozenInstanceError):
        one.total = 7  # type: ignore[misc]
