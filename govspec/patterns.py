"""Regular expressions compiled when they are first used, not when their module is imported.

Compiling a pattern costs a fresh process 0.1–0.8 ms (Python caches compiled patterns only within a process), and the
modules ``govspec validate one.json`` imports hold a dozen, most of which one report never uses: some 3.5 ms of its
start. A :class:`LazyPattern` is written as ``re.compile`` is and used as the compiled pattern is; once compiled, its
methods are the compiled pattern's own (bound, stored on the instance), so a call costs what it did.
"""

from __future__ import annotations

import re
from typing import Any

_METHODS = ("match", "fullmatch", "search", "sub", "subn", "split", "finditer", "findall")


class LazyPattern:
    """``re.compile(pattern, flags)``, made on first use."""

    def __init__(self, pattern: str, flags: int = 0) -> None:
        self._source = (pattern, flags)

    def __getattr__(self, name: str) -> Any:  # only for what the instance does not hold yet: before the compile
        if name.startswith("__"):
            raise AttributeError(name)
        compiled = self.__dict__.get("compiled")
        if compiled is None:
            compiled = re.compile(*self._source)
            for method in _METHODS:
                setattr(self, method, getattr(compiled, method))
            self.compiled = compiled
        return getattr(compiled, name)  # its other attributes (flags, groups, pattern) read through it

    def __repr__(self) -> str:
        return f"LazyPattern({self._source[0]!r})"
