"""Records: dataclasses that compile nothing until they are used.

CPython 3.11 compiles six small functions for each frozen dataclass while its module is imported (``__init__``,
``__repr__``, ``__eq__``, ``__hash__``, ``__setattr__``, ``__delattr__``), some 1 ms a class: about 50 ms of
``govspec validate one.json``, which imports 55 of them. A record is a dataclass all the same —
:func:`dataclasses.fields`, :func:`~dataclasses.replace`, :func:`~dataclasses.asdict`,
:func:`~dataclasses.is_dataclass`, pattern matching, pickling and type checkers see one — made this way:

- ``dataclasses`` itself reads the fields (and sets ``__match_args__``), asked to generate no method;
- comparison, hashing, ``repr`` and immutability are closures over the fields' names, made without compiling
  anything (``operator.attrgetter`` reads the fields in C), and behave as the generated methods do;
- ``__init__`` binds the arguments as the generated one does — positional and keyword arguments, defaults,
  factories, fields left out of ``__init__``, ``__post_init__`` — without compiling anything, for a record's first
  :data:`GENERATED_AFTER` instances; from then on it is the one ``dataclasses`` generates (made by ``dataclasses``,
  on a class of the same fields), which costs some 0.6 ms to make and is faster per instance. Arguments it cannot
  bind go to the generated one at once, so that the error is the generated one's. ``validate one.json`` makes
  some 930 records of 15 classes while it compiles its spec (200 cells the most), and makes no ``__init__``;
  a batch makes the generated ones of the records it makes by the thousand. :func:`inspect.signature` of a record is
  its generated ``__init__``'s from the start (asked for, it is made).

A method the class defines itself is kept, as ``dataclasses`` keeps it. ``tests/test_records.py`` compares
records with dataclasses of the same fields.
"""

from __future__ import annotations

import dataclasses
from _thread import get_ident
from collections.abc import Callable, Iterable
from operator import attrgetter
from typing import TYPE_CHECKING, Any, Generic, TypeVar, overload

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
        cls.__init__ = _first_init(cls, fields, frozen)  # type: ignore[misc]
        cls.__signature__ = _Signature(cls)  # type: ignore[attr-defined]
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


GENERATED_AFTER = 256  # instances a record makes through its first __init__ before dataclasses makes its own


def _first_init(cls: type, fields: tuple[dataclasses.Field, ...], frozen: bool) -> Callable[..., None]:
    """An ``__init__`` that binds the arguments as the generated one does, without compiling anything, for the
    first :data:`GENERATED_AFTER` instances; then (or at once, for arguments it cannot bind, so that the error is
    the generated one's) it puts the generated ``__init__`` in its place and runs that."""
    positional = tuple(f.name for f in fields if f.init and not f.kw_only)
    accepted = frozenset(f.name for f in fields if f.init)
    steps: list[tuple[str, int, Any]] = []  # each field set, in the fields' order: as the generated __init__ sets it
    for f in fields:
        if f.default_factory is not dataclasses.MISSING:
            steps.append((f.name, _FACTORY if f.init else _MADE, f.default_factory))
        elif f.init:
            steps.append((f.name, _REQUIRED if f.default is dataclasses.MISSING else _DEFAULT, f.default))
        # a field out of __init__ with a plain default (or none) is not set: it is read from the class
    plain = [name for name, _kind, _default in steps] == list(positional)  # no field out of __init__ set, none keyword
    post_init = hasattr(cls, "__post_init__")
    assign = object.__setattr__ if frozen else setattr
    made = [0]

    def __init__(self: Any, *args: Any, **kwargs: Any) -> None:
        made[0] += 1
        values: Iterable[tuple[str, Any]] | None
        if made[0] > GENERATED_AFTER:
            values = None
        elif plain and not kwargs and len(args) == len(positional):  # every argument given in order: nothing to bind
            values = zip(positional, args)
        else:
            values = _bound(positional, accepted, steps, args, kwargs)
        if values is None:
            _generated_in_place(cls)
            cls.__init__(self, *args, **kwargs)  # type: ignore[misc]
            return
        for name, value in values:
            assign(self, name, value)
        if post_init:
            self.__post_init__()
    __init__.__qualname__ = f"{cls.__qualname__}.__init__"
    __init__.first = True  # type: ignore[attr-defined]
    return __init__


_REQUIRED, _DEFAULT, _FACTORY, _MADE = range(4)


def _bound(positional: tuple[str, ...], accepted: frozenset[str], steps: list[tuple[str, int, Any]],
           args: tuple, kwargs: dict) -> Iterable[tuple[str, Any]] | None:
    """Each field's value for these arguments, or None when they do not bind (the generated ``__init__`` says why)."""
    if len(args) > len(positional):
        return None
    given = dict(zip(positional, args))
    for name in kwargs:
        if name not in accepted or name in given:
            return None
    given.update(kwargs)
    values = []
    for name, kind, default in steps:
        if kind != _MADE and name in given:
            values.append((name, given[name]))
        elif kind == _REQUIRED:
            return None  # a required argument is missing
        else:
            values.append((name, default if kind == _DEFAULT else default()))  # a default, or a factory's
    return values


def _generated_in_place(cls: type) -> None:
    """Put the ``__init__`` dataclasses generates in the place of the record's first one (if it is still there)."""
    if getattr(cls.__dict__.get("__init__"), "first", False):
        type.__setattr__(cls, "__init__", _generated_init(cls))


class _Signature:
    """A record's ``__signature__``: read (by :func:`inspect.signature`) from the record or a class that extends it, it
    puts the record's generated ``__init__`` in place and answers None, so that the signature is worked out from the
    ``__init__`` the class has."""

    def __init__(self, cls: type) -> None:
        self.cls = cls

    def __get__(self, instance: Any, owner: Any = None) -> None:
        if instance is None:  # read from the record or a class that extends it (whose __init__ may be the record's)
            _generated_in_place(self.cls)
        return None


def _check_init(cls: type, fields: tuple[dataclasses.Field, ...]) -> None:
    """Refuse now what the ``__init__`` made at the first use could not take, as dataclasses would."""
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


def _generated_init(cls: type) -> Callable[..., None]:
    """The ``__init__`` dataclasses generates for ``cls``'s fields — parameters, defaults, factories, the call of
    ``__post_init__`` —, made by dataclasses itself on a class of those fields alone (govspec compiles no code)."""
    annotations: dict[str, Any] = {}
    namespace: dict[str, Any] = {"__annotations__": annotations, "__module__": cls.__module__,
                                 "__qualname__": cls.__qualname__, "__doc__": cls.__doc__}  # a doc: no signature
    for f in dataclasses.fields(cls):
        annotations[f.name] = f.type
        namespace[f.name] = dataclasses.field(default=f.default, default_factory=f.default_factory, init=f.init,
                                              kw_only=f.kw_only)
    if hasattr(cls, "__post_init__"):
        namespace["__post_init__"] = cls.__post_init__  # the generated __init__ calls it when the class has one
    frozen = cls.__dataclass_params__.frozen  # type: ignore[attr-defined]
    twin: Any = dataclasses.dataclass(type(cls.__name__, (), namespace), frozen=frozen, repr=False, eq=False,
                                      match_args=False)
    return twin.__init__


R = TypeVar("R")


class cached(Generic[R]):  # noqa: N801 - a decorator, named as functools.cached_property is
    """A value worked out from a record when first read and kept in its ``__dict__``, as
    :class:`functools.cached_property` keeps it (so a record compares, hashes and pickles as before), without the lock
    that ``cached_property`` takes on Python 3.10–3.11 on every first read (some 1 µs: a batch reads a report's verdict
    once a report); two threads reading it at once both work it out, and keep the same value."""

    def __init__(self, function: Callable[[Any], R]) -> None:
        self.function = function
        self.name = function.__name__
        self.__doc__ = function.__doc__

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name

    @overload
    def __get__(self, instance: None, owner: type | None = None) -> cached[R]: ...
    @overload
    def __get__(self, instance: object, owner: type | None = None) -> R: ...

    def __get__(self, instance: Any, owner: type | None = None) -> Any:
        if instance is None:
            return self
        value = instance.__dict__[self.name] = self.function(instance)
        return value
