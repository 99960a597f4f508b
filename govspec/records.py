"""Records: dataclasses that compile nothing until they are used.

CPython 3.11 compiles six small functions for each frozen dataclass while its module is imported (``__init__``,
``__repr__``, ``__eq__``, ``__hash__``, ``__setattr__``, ``__delattr__``), some 1 ms a class: about 50 ms of
``govspec validate one.json``, which imports 55 of them. A record is a dataclass all the same —
:func:`dataclasses.fields`, :func:`~dataclasses.replace`, :func:`~dataclasses.asdict`,
:func:`~dataclasses.is_dataclass`, pattern matching, pickling and type checkers see one — made this way:

- ``dataclasses`` itself reads the fields (and sets ``__match_args__``), asked to generate no method;
- comparison, hashing, ``repr`` and immutability are closures over the fields' names, made without compiling
  anything (``operator.attrgetter`` reads the fields in C), and behave as the generated methods do;
- ``__init__`` is compiled when the class is first instantiated — the same parameters, defaults, factories and
  ``__post_init__`` call as the one ``dataclasses`` generates, from the fields' names alone (no value is ever part
  of the compiled text) — so a class a run never instantiates never pays for it (31 of the 55 in that run).

A method the class defines itself is kept, as ``dataclasses`` keeps it. ``tests/test_records.py`` compares
records with dataclasses of the same fields.
"""

from __future__ import annotations

import dataclasses
import keyword
from _thread import get_ident
from collections.abc import Callable
from operator import attrgetter
from typing import TYPE_CHECKING, Any, TypeVar, overload

if TYPE_CHECKING:
    from typing_extensions import dataclass_transform
else:
    def dataclass_transform(**_options):
        return lambda decorator: decorator

T = TypeVar("T", bound=type)


@overload
def record(cls: T, /) -> T: ...
@overload
def record(*, frozen: bool = True, init: bool = True, repr: bool = True, eq: bool = True) -> Callable[[T], T]: ...


@dataclass_transform(frozen_default=True, field_specifiers=(dataclasses.field, dataclasses.Field))
def record(cls: Any = None, /, *, frozen: bool = True, init: bool = True, repr: bool = True,
           eq: bool = True) -> Any:
    """The dataclass ``cls``, frozen unless ``frozen=False``; its methods made when first needed."""
    def make(cls: T) -> T:
        return _record(cls, frozen=frozen, init=init, show=repr, eq=eq)
    return make if cls is None else make(cls)


def _record(cls: T, *, frozen: bool, init: bool, show: bool, eq: bool) -> T:
    own = dict(cls.__dict__)
    for base in cls.__mro__[1:-1]:
        if dataclasses.is_dataclass(base):  # its flags would have to be the record's while dataclasses reads it
            raise TypeError(f"record {cls.__qualname__} cannot inherit from the dataclass {base.__qualname__}")
    documented = bool(cls.__doc__)
    if not documented:
        cls.__doc__ = cls.__name__  # spares dataclasses working out a signature that is not yet the class's
    # The flags below say what dataclasses is to generate (nothing): the class's own flags are set after.
    cls = dataclasses.dataclass(cls, init=False, repr=False, eq=False)  # type: ignore[assignment]
    fields = dataclasses.fields(cls)
    names = tuple(f.name for f in fields)
    if not documented:
        cls.__doc__ = f"{cls.__name__}({', '.join(names)})"
    if frozen:
        if "__setattr__" in own or "__delattr__" in own:
            raise TypeError(f"record {cls.__qualname__} is frozen: it cannot define __setattr__ or __delattr__")
        cls.__setattr__, cls.__delattr__ = _immutable(cls, frozenset(names))  # type: ignore[method-assign]
    if init and "__init__" not in own:
        _check_init(cls, fields)
        cls.__init__ = _first_init(cls)  # type: ignore[misc]
    if show and "__repr__" not in own:
        cls.__repr__ = _repr(tuple(f.name for f in fields if f.repr))  # type: ignore[assignment]
    if eq:
        if "__eq__" not in own:
            cls.__eq__ = _eq(_values(tuple(f.name for f in fields if f.compare)))  # type: ignore[assignment]
        # as dataclasses: a hash of the compared fields when frozen, none when not, unless the class has its own
        # (a class that defines __eq__ has __hash__ None in its body without having chosen it)
        if "__hash__" not in own or (own["__hash__"] is None and "__eq__" in own):
            hashed = tuple(f.name for f in fields if (f.compare if f.hash is None else f.hash))
            cls.__hash__ = _hash(_values(hashed)) if frozen else None  # type: ignore[assignment]
    cls.__dataclass_params__ = _params(cls.__dataclass_params__, init=init, repr=show, eq=eq,  # type: ignore[attr-defined]
                                       frozen=frozen)
    return cls


def _params(params: Any, **flags: bool) -> Any:
    """The class's own flags where dataclasses keeps them (its private ``_DataclassParams``, whose fields vary)."""
    names = getattr(params, "__slots__", None) or vars(params)
    kept = {name: getattr(params, name) for name in names}
    return type(params)(**{**kept, **flags})


def _values(names: tuple[str, ...]) -> Callable[[Any], tuple]:
    """The fields' values as a tuple, as the generated methods compare and hash them."""
    if len(names) > 1:
        return attrgetter(*names)
    if names:
        one = attrgetter(names[0])
        return lambda self: (one(self),)
    return lambda self: ()


def _eq(values: Callable[[Any], tuple]) -> Callable[[Any, Any], Any]:
    def __eq__(self: Any, other: Any) -> Any:
        if other.__class__ is self.__class__:
            return values(self) == values(other)
        return NotImplemented
    return __eq__


def _hash(values: Callable[[Any], tuple]) -> Callable[[Any], int]:
    def __hash__(self: Any) -> int:
        return hash(values(self))
    return __hash__


def _repr(names: tuple[str, ...]) -> Callable[[Any], str]:
    showing: set[tuple[int, int]] = set()

    def __repr__(self: Any) -> str:
        key = (id(self), get_ident())
        if key in showing:  # a record that holds itself, as reprlib shows it
            return "..."
        showing.add(key)
        try:
            return f"{self.__class__.__qualname__}({', '.join(f'{n}={getattr(self, n)!r}' for n in names)})"
        finally:
            showing.discard(key)
    return __repr__


def _immutable(cls: Any, names: frozenset[str]) -> tuple[Callable[..., None], Callable[..., None]]:
    def __setattr__(self: Any, name: str, value: Any) -> None:
        if type(self) is cls or name in names:
            raise dataclasses.FrozenInstanceError(f"cannot assign to field {name!r}")
        super(cls, self).__setattr__(name, value)

    def __delattr__(self: Any, name: str) -> None:
        if type(self) is cls or name in names:
            raise dataclasses.FrozenInstanceError(f"cannot delete field {name!r}")
        super(cls, self).__delattr__(name)
    return __setattr__, __delattr__


def _first_init(cls: type) -> Callable[..., None]:
    """An ``__init__`` that compiles the class's own in its place, then runs it."""
    def __init__(self: Any, *args: Any, **kwargs: Any) -> None:
        if cls.__dict__.get("__init__") is __init__:
            type.__setattr__(cls, "__init__", _compiled_init(cls))
        cls.__init__(self, *args, **kwargs)  # type: ignore[misc]
    __init__.__qualname__ = f"{cls.__qualname__}.__init__"
    return __init__


class _Factory:
    """The default a parameter shows when its field's default comes from a factory, as in dataclasses."""

    def __repr__(self) -> str:
        return "<factory>"


_FACTORY = _Factory()


def _check_init(cls: type, fields: tuple[dataclasses.Field, ...]) -> None:
    """Refuse now what the ``__init__`` compiled at the first use could not take, as dataclasses would."""
    odd = [f.name for f in fields if not f.name.isidentifier() or keyword.iskeyword(f.name) or f.name.startswith("__")]
    if odd:  # the compiled text is made of the names: nothing but plain names gets into it
        raise TypeError(f"record {cls.__qualname__}: field names must be plain identifiers: {odd}")
    initvar = getattr(dataclasses, "_FIELD_INITVAR", None)
    if any(getattr(f, "_field_type", None) is initvar for f in cls.__dataclass_fields__.values()):  # type: ignore[attr-defined]
        raise TypeError(f"record {cls.__qualname__}: an InitVar is not supported")
    seen_default = False
    for f in fields:
        if f.init and not f.kw_only:
            if f.default is not dataclasses.MISSING or f.default_factory is not dataclasses.MISSING:
                seen_default = True
            elif seen_default:
                raise TypeError(f"non-default argument {f.name!r} follows default argument")


def _compiled_init(cls: type) -> Callable[..., None]:
    """The ``__init__`` dataclasses would generate for ``cls``: its fields as parameters (keyword-only ones after
    ``*``), defaults and factories, ``__post_init__`` called when the class has one; a frozen record's fields set
    through ``object.__setattr__``."""
    frozen = cls.__dataclass_params__.frozen  # type: ignore[attr-defined]
    fields = dataclasses.fields(cls)
    scope: dict[str, Any] = {"__object": object, "__factory": _FACTORY}
    positional: list[str] = []
    keyword_only: list[str] = []
    lines: list[str] = []
    for number, f in enumerate(fields):
        value = f.name
        if f.default_factory is not dataclasses.MISSING:
            scope[f"__make{number}"] = f.default_factory
            value = f"__make{number}()" + (f" if {f.name} is __factory else {f.name}" if f.init else "")
        elif not f.init:
            continue  # read from the class attribute that holds its default
        if f.init:
            parameter = f.name
            if f.default_factory is not dataclasses.MISSING:
                parameter += "=__factory"
            elif f.default is not dataclasses.MISSING:
                scope[f"__default{number}"] = f.default
                parameter += f"=__default{number}"
            (keyword_only if f.kw_only else positional).append(parameter)
        lines.append(f"__object.__setattr__(self, {f.name!r}, {value})" if frozen else f"self.{f.name} = {value}")
    if hasattr(cls, "__post_init__"):
        lines.append("self.__post_init__()")
    parameters = ", ".join(["self", *positional, *(["*", *keyword_only] if keyword_only else [])])
    body = "".join(f"        {line}\n" for line in lines or ["pass"])
    source = f"def __make__({', '.join(scope)}):\n    def __init__({parameters}):\n{body}    return __init__\n"
    namespace: dict[str, Any] = {}
    exec(compile(source, f"<record {cls.__qualname__}>", "exec"), {}, namespace)  # field names only, never data
    init = namespace["__make__"](*scope.values())
    init.__qualname__ = f"{cls.__qualname__}.__init__"
    init.__annotations__ = {**{f.name: f.type for f in fields if f.init}, "return": None}
    return init
