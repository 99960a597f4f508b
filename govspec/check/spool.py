"""Results of a batch kept in input order until the rules across reports have judged them.

A report's verdict can depend on the same body's report of the year before, which may come later in
the input.  The spool keeps each result — in memory up to :data:`IN_MEMORY`, then pickled to a
temporary file, so that memory stays flat however large the batch — and gives them back in order.
Compiled specs are not copied: the pickle names them, and the spool gives the same objects back.
"""

from __future__ import annotations

import io
import os
import pickle
import tempfile
from collections.abc import Iterator
from types import MappingProxyType
from typing import Any

from govspec.spec.compiler import CompiledSpec

IN_MEMORY = 4096


class _Pickler(pickle.Pickler):
    def __init__(self, file: io.BufferedWriter, specs: list[CompiledSpec]) -> None:
        super().__init__(file, protocol=pickle.HIGHEST_PROTOCOL)
        self.specs = specs

    def persistent_id(self, obj: Any) -> Any:  # noqa: D102 - pickle's hook
        if isinstance(obj, CompiledSpec):
            for index, spec in enumerate(self.specs):
                if spec is obj:
                    return ("spec", index)
            self.specs.append(obj)
            return ("spec", len(self.specs) - 1)
        if type(obj) is MappingProxyType:  # not picklable itself; its contents are
            return ("proxy", dict(obj))
        return None


class _Unpickler(pickle.Unpickler):
    def __init__(self, file: io.BufferedReader, specs: list[CompiledSpec]) -> None:
        super().__init__(file)
        self.specs = specs

    def persistent_load(self, pid: Any) -> Any:  # noqa: D102 - pickle's hook
        kind, value = pid
        return self.specs[value] if kind == "spec" else MappingProxyType(value)


class Spool:
    """Append results, then replay them in order once (:meth:`replay`)."""

    def __init__(self) -> None:
        self._memory: list[Any] = []
        self._file: io.BufferedRandom | None = None
        self._path: str | None = None
        self._specs: list[CompiledSpec] = []
        self._pickler: _Pickler | None = None
        self.count = 0

    def add(self, result: Any) -> int:
        """Keep a result; returns its sequence number (0, 1, …)."""
        if self._pickler is not None:
            self._pickler.dump(result)
            self._pickler.clear_memo()
        elif len(self._memory) < IN_MEMORY:
            self._memory.append(result)
        else:
            handle, self._path = tempfile.mkstemp(prefix="govspec-spool-")
            self._file = os.fdopen(handle, "w+b")
            self._pickler = _Pickler(self._file, self._specs)  # type: ignore[arg-type]
            self._pickler.dump(result)
            self._pickler.clear_memo()  # each record stands alone (memory stays flat)
        self.count += 1
        return self.count - 1

    def replay(self) -> Iterator[tuple[int, Any]]:
        """Every result with its sequence number, in the order added; the spool is emptied."""
        try:
            kept = len(self._memory)
            yield from enumerate(self._memory)
            self._memory = []
            if self._file is not None:
                self._file.flush()
                self._file.seek(0)
                for seq in range(kept, self.count):  # one unpickler per record: the pickler's memo is cleared
                    yield seq, _Unpickler(self._file, self._specs).load()  # type: ignore[arg-type]
        finally:
            self.close()

    def close(self) -> None:
        if self._file is not None:
            self._file.close()
            self._file = None
        if self._path is not None:
            os.unlink(self._path)
            self._path = None
