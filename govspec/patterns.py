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

    @property
    def compiled(self) -> re.Pattern:
        """The compiled pattern (compiled now if it was not)."""
        compiled = self.__dict__.get("_compiled")
        if compiled is None:
            compiled = re.compile(*self._source)
            for method in _METHODS:  # from now on found on the instance: __getattr__ is not asked again
                setattr(self, method, getattr(compiled, method))
            self._compiled = compiled
        return compiled

    def __getattr__(self, name: str) -> Any:  # what the instance does not hold: a method before the compile, or
        if name.startswith("_"):              # another attribute of the pattern (flags, groups, pattern)
            raise AttributeError(name)
        return getattr(self.compiled, name)

    def __repr__(self) -> str:
        return f"LazyPattern({self._source[0]!r})"
