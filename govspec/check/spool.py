"""Results of a batch kept in input order until the rules across reports have judged them.

A report's verdict can depend on the same body's report of the year before, which may come later in
the input.  The spool keeps each result — in memory up to :data:`IN_MEMORY`, then pickled to a
temporary file, so that memory stays flat however large the batch — and gives them back in order.
Compiled specs are not copied: the pickle names them, and the spool gives the same objects back.
Most results of a batch are light (:mod:`govspec.check.light`), pickled as plain tuples in C, with no
Python hook per object, so spooling them costs little.
"""

from __future__ import annotations

import copyreg
import gc
import io
import os
from collections.abc import Iterator
from contextlib import contextmanager
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

from govspec.check.light import WAITING, plain, restored
from govspec.check.written import Entries
from govspec.spec.compiler import CompiledSpec

if TYPE_CHECKING:  # pickle and tempfile are imported when the spool first needs its file: most runs never do
    import pickle

IN_MEMORY = 4096
GROUP = 256  # results pickled together once IN_MEMORY are kept
COLLECT_EVERY = 200_000  # allocations between two runs of the collector while a batch runs (Python's: 700)


@contextmanager
def fewer_collections() -> Iterator[None]:
    """A batch makes many short-lived objects and holds few reference cycles: Python's collector, run every
    700 allocations, would scan the chunk being checked and the spooled results again and again (a third of
    the time of a batch).  Its first threshold is raised while the batch runs, and set back after."""
    old = gc.get_threshold()
    gc.set_threshold(max(old[0], COLLECT_EVERY), *old[1:])
    try:
        yield
    finally:
        gc.set_threshold(*old)


_SPECS: dict[int, CompiledSpec] = {}  # compiled specs pickled in this process, by id: named, not copied


def _spec(key: int) -> CompiledSpec:
    return _SPECS[key]


def _reduce_spec(spec: CompiledSpec):
    _SPECS[id(spec)] = spec
    return _spec, (id(spec),)


def _proxy(contents: dict) -> MappingProxyType:
    return MappingProxyType(contents)


def _reduce_proxy(proxy: MappingProxyType):
    return _proxy, (dict(proxy),)


copyreg.pickle(CompiledSpec, _reduce_spec)      # the spool gives the same spec objects back
copyreg.pickle(MappingProxyType, _reduce_proxy)  # read-only mappings are picklable through their contents


class Spool:
    """Append results, then replay them in order once (:meth:`replay`)."""

    def __init__(self) -> None:
        self._memory: list[Any] = []
        self._file: io.BufferedRandom | None = None
        self._path: str | None = None
        self._pickler: pickle.Pickler | None = None
        self._group: list[Any] = []  # results past IN_MEMORY, waiting to be pickled together
        self._blocks = False  # the file holds blocks of results pickled together by worker processes
        self.count = 0

    def add_block(self, data: bytes, count: int, written: bytes | None = None) -> int:
        """Keep ``count`` results a worker pickled together (:func:`govspec.check.parallel.dumps`), as they
        are, in a temporary file, with what the worker wrote of them (``Block.written``); returns the first one's
        sequence number.  Not mixed with :meth:`add`."""
        file = self._open()
        self._blocks = True
        for part in (len(data), len(written or b""), count):
            file.write(part.to_bytes(8, "little"))
        file.write(data)
        file.write(written or b"")
        self.count += count
        return self.count - count

    def add(self, result: Any) -> int:
        """Keep a result; returns its sequence number (0, 1, …)."""
        if len(self._memory) < IN_MEMORY:
            self._memory.append(result)
        else:
            self._group.append(result)
            if len(self._group) >= GROUP:
                self._dump_group()
        self.count += 1
        return self.count - 1

    def _dump_group(self) -> None:
        """The results past :data:`IN_MEMORY`, pickled GROUP at a time (one call, not one per result)."""
        if self._pickler is None:
            import pickle
            self._pickler = pickle.Pickler(self._open(), protocol=pickle.HIGHEST_PROTOCOL)
        self._pickler.dump(list(map(plain, self._group)))
        self._pickler.clear_memo()  # each group stands alone (memory stays flat)
        self._group = []

    def replay(self) -> Iterator[tuple[int, Any]]:
        """Every result with its sequence number, in the order added; the spool is emptied."""
        try:
            if self._blocks:
                yield from enumerate(self._replay_blocks())
                return
            kept = len(self._memory)
            yield from enumerate(self._memory)
            self._memory = []
            seq = kept
            if self._file is not None:
                import pickle
                self._file.flush()
                self._file.seek(0)
                while seq < self.count - len(self._group):  # each group stands alone: the memo is cleared
                    for kept in pickle.load(self._file):
                        yield seq, restored(kept)
                        seq += 1
            for result in self._group:
                yield seq, result
                seq += 1
            self._group = []
        finally:
            self.close()

    def _open(self) -> io.BufferedRandom:
        """The spool's temporary file, made when first needed."""
        if self._file is None:
            import tempfile
            handle, self._path = tempfile.mkstemp(prefix="govspec-spool-")
            self._file = os.fdopen(handle, "w+b")
        return self._file

    def _replay_blocks(self) -> Iterator[Any]:
        for _, kept in self.kept_blocks():
            yield from kept.results()

    def kept_blocks(self) -> Iterator[tuple[int, Kept]]:
        """The blocks kept by :meth:`add_block`, each with the sequence number of its first result, in order; the
        spool is emptied."""
        file = self._open()
        file.flush()
        file.seek(0)
        start = 0
        try:
            while sizes := file.read(24):
                data = file.read(int.from_bytes(sizes[:8], "little"))
                written = file.read(int.from_bytes(sizes[8:16], "little")) or None
                kept = Kept(data, written, int.from_bytes(sizes[16:], "little"))
                yield start, kept
                start += kept.count
        finally:
            self.close()

    def close(self) -> None:
        if self._file is not None:
            self._file.close()
            self._file = None
        if self._path is not None:
            os.unlink(self._path)
            self._path = None


class Kept:
    """A block of results from a worker process, as it is read back: its results are unpickled together when one is
    first asked for (:meth:`result`); a stretch of results that nothing more judges is given as the worker wrote it
    (:meth:`entries`, from ``Block.written``: each result's text and tally), without them."""

    def __init__(self, data: bytes, written: bytes | None, count: int) -> None:
        self.count = count
        self.data = data  # the results, pickled together
        self._results: list | None = None
        self._written = written
        self._form: tuple = ()  # what the worker wrote, read when first asked for: for which output,
        self._texts: list = []  # the text of each result,
        self._tallies: list = []  # and what a summary counts of it

    def result(self, index: int, texted: bool = True) -> Any:
        """A result of the block, with the text the worker wrote of it (``Report.rendered``, ``Light.texts``) unless
        ``texted`` is false (a result more findings judge: rendered again)."""
        if self._results is None:
            import pickle
            self._results = pickle.loads(self.data)
        result = restored(self._results[index])
        text = self._read()[index] if self._written is not None and texted else None
        if text is None:
            return result
        if type(text) is bytes:  # as the worker sent it: in UTF-8 (govspec.present.entries.encoded)
            text = text.decode("utf-8")
        if type(result) in WAITING:  # a Light, or a Failing the worker explained to render it
            return result._replace(texts=((self._form, text),))
        result.rendered(self._form, lambda _report: text)
        return result

    def _read(self) -> list:
        if self._written is not None and not self._form:
            import pickle
            self._form, self._texts, self._tallies = pickle.loads(self._written)
        return self._texts

    def results(self) -> Iterator[Any]:
        """Every result of the block, in order."""
        return map(self.result, range(self.count))

    def given(self, written: bool) -> Iterator[Any]:
        """Every result of the block, in order; ``written``: as the worker wrote them (:meth:`entries`)."""
        return self.entries(0, self.count) if written else self.results()

    def entries(self, start: int, end: int, again: tuple = ()) -> Iterator[Any]:
        """The results ``start`` to ``end`` (not included) as the worker wrote them: :class:`Entries` of consecutive
        ones, and each result it did not write (an unreadable input) as it is; without what it wrote, every result
        as it is.  ``again``: (indices, texts, tallies) of results written again (judged by more findings)."""
        if self._written is None:
            yield from map(self.result, range(start, end))
            return
        texts, tallies = self._read(), self._tallies
        if again:
            texts, tallies = list(texts), list(tallies)
            for index, text, counted in zip(*again):
                texts[index], tallies[index] = text, counted
        while start < end:
            try:
                stop = texts.index(None, start, end)  # an unreadable input: given as it is
            except ValueError:
                stop = end
            if stop > start:
                yield Entries(texts[start:stop], tallies[start:stop])
            if stop < end:
                yield self.result(stop)
            start = stop + 1
