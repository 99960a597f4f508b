"""A batch on all cores: the inputs cut into units, each validated in a worker, the results back in input order.

A unit is a file, or a byte range of a large JSON Lines file (cut at line ends, its lines numbered as in
the whole file).  Each worker validates its units with its own :class:`~govspec.check.batch.Validator`, on
the same fast and detailed paths, without the rules across reports; the parent puts the results back in
input order and judges the rules across reports and the copies over the whole batch, exactly as one
process does.  So ``--jobs N`` gives the same reports, findings and order as ``--jobs 1``.

The executor is one small interface (:class:`Executor`: ``map`` a function over units, in order), so that
another engine (a Dask cluster) can run the same units.  Compiled specs are not sent: a report names its
spec by file, and each process compiles it once.
"""

from __future__ import annotations

import io
import os
import stat
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from functools import lru_cache
from pathlib import Path
from typing import Any, Protocol

from govspec.io.readers import expand
from govspec.records import record
from govspec.spec import loader, resolver
from govspec.spec.compiler import CompiledSpec

SPLIT_BYTES = 8 << 20    # a JSON Lines file (or CSV one, io/csv_ranges) larger than this: ranges of about this size
CSV_SHARE = 4            # a CSV-wide row is some 660 bytes, a JSON line 4 KB: CSV ranges a quarter as long hold
                         # as many reports, whose results a worker holds until its range is done
SMALL_BATCH = 1 << 20    # inputs smaller than this together are validated in this process
SCAN = 1 << 20           # bytes read at a time when cutting a file at line ends
GROUP_BYTES = 1 << 20    # small data files (JSON, JSON Lines, CSV) one after another are one unit up to this size
GROUP_FILES = 256        # or this many: a unit costs a worker some milliseconds, a small JSON file less than one
DATA = (".json", ".jsonl", ".csv")  # files whose work is a few µs a byte: grouped (a published document is not)


@record
class Unit:
    """A file — and the small data files after it, ``more`` — or the byte range ``start``–``end`` of a JSON Lines file
    whose first line is number ``first``."""

    path: str
    start: int = 0
    end: int | None = None
    first: int = 1
    empty: bool = False  # a folder given that holds no report file (said as one process says it)
    more: tuple[str, ...] = ()  # small data files read after ``path``, in order (one unit: :data:`GROUP_BYTES`)

    def files(self) -> tuple[str, ...]:
        """The files a unit of whole files reads, in order."""
        return (self.path, *self.more)

    def singles(self) -> tuple[Unit, ...]:
        """The unit as units of one file each (a range, or a lone file: itself)."""
        return tuple(Unit(path) for path in self.files()) if self.more else (self,)


@record
class Options:
    """What a worker's validator needs to validate as the parent's would."""

    spec: Any = None
    version: str | None = None
    fast: bool = True
    keep_values: bool = False
    strict_blanks: bool = False
    render: tuple | None = None  # (output, language): each report rendered by the worker (govspec.present.entries)


class Executor(Protocol):
    def map(self, function: Callable[[Any], Any], items: Iterable[Any]) -> Iterator[Any]:
        """``function`` applied to each item, the results in the order of the items."""


class InProcess:
    """Units validated one after the other, here."""

    def map(self, function: Callable[[Any], Any], items: Iterable[Any]) -> Iterator[Any]:
        return map(function, items)


class Processes:
    """Units validated by ``jobs`` worker processes, results in order (at most ``2 × jobs`` units ahead).  The workers
    stay from one ``map`` to the next, what they made kept (the compiled spec, the checkers), until :meth:`close`."""

    keeps_workers = True  # a second map (govspec.check.replay.rewritten) costs no new start

    def __init__(self, jobs: int) -> None:
        self.jobs = jobs
        self._pool: Any = None

    def map(self, function: Callable[[Any], Any], items: Iterable[Any]) -> Iterator[Any]:
        if self._pool is None:
            from concurrent.futures import ProcessPoolExecutor  # here: one process never needs it
            self._pool = ProcessPoolExecutor(max_workers=self.jobs)
        pending: deque = deque()
        try:
            for item in items:
                pending.append(self._pool.submit(function, item))
                if len(pending) >= 2 * self.jobs:
                    yield pending.popleft().result()
            while pending:
                yield pending.popleft().result()
        except BaseException:
            self.close()
            raise

    def close(self) -> None:
        """Stop the workers (their tasks not begun are cancelled)."""
        if self._pool is not None:
            self._pool.shutdown(cancel_futures=True)
            self._pool = None


def default_jobs() -> int:
    """The cores this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not Linux
        return max(1, os.cpu_count() or 1)


def small(paths: list) -> bool:
    """One file, small enough to validate here: known without listing folders or starting workers."""
    if len(paths) != 1:
        return False
    try:
        return os.path.isfile(paths[0]) and os.path.getsize(paths[0]) < SMALL_BATCH
    except (OSError, TypeError, ValueError):
        return False


def units(paths: Iterable[str], split: int | None = None, csv: bool = True) -> list[Unit]:
    """The units of a batch, in input order; a JSON Lines file larger than ``split`` bytes (default SPLIT_BYTES) cut
    into ranges of about that size, and a CSV-wide file larger than a CSV_SHARE of it into ranges of that size when it
    can be read a range at a time (:func:`govspec.io.csv_ranges.splittable`) and ``csv`` is true."""
    found: list[Unit] = []
    for given in paths:
        inside = list(expand([given]))
        if not inside:
            found.append(Unit(str(given), empty=True))
        found.extend(_units_of(inside, SPLIT_BYTES if split is None else split, csv))
    return found


def _cut(path: str, size: int, cut: int, csv: bool) -> int | None:
    """The length of the ranges a file is cut into, or None."""
    lower = path.lower()
    if lower.endswith(".jsonl"):
        return cut if size > cut else None
    cut //= CSV_SHARE
    if not csv or not lower.endswith(".csv") or size <= cut:
        return None
    from govspec.io.csv_ranges import splittable  # read through once: only a large CSV file
    return cut if splittable(path) else None


def _units_of(paths: list[str], cut: int, csv: bool) -> Iterator[Unit]:
    """The units of files found in one input: a large JSON Lines or CSV-wide file cut into ranges (:func:`_cut`),
    consecutive small data files grouped (a unit per small JSON file cost the workers more than validating it: a folder
    of 2,000 reports took twice as long with two workers as with one), anything else a unit of its own."""
    group: list[str] = []
    held = 0
    for path in paths:
        try:
            found = os.stat(path)
            size = found.st_size if stat.S_ISREG(found.st_mode) else 0
        except OSError:
            size = 0
        split = _cut(path, size, cut, csv)
        if path.lower().endswith(DATA) and size < GROUP_BYTES and split is None:
            group.append(path)
            held += size
            if held >= GROUP_BYTES or len(group) >= GROUP_FILES:
                yield _grouped(group)
                group, held = [], 0
            continue
        if group:
            yield _grouped(group)
            group, held = [], 0
        yield from _ranges(path, size, split) if split is not None else (Unit(path),)
    if group:
        yield _grouped(group)


def _grouped(paths: list[str]) -> Unit:
    return Unit(paths[0], more=tuple(paths[1:]))


def worth_it(batch: list[Unit], jobs: int) -> bool:
    """Several workers, and enough work to pay for starting them."""
    if jobs < 2 or len(batch) < 2:
        return False
    total = 0
    for unit in batch:
        for path in unit.files() if unit.end is None else ():
            try:
                total += os.stat(path).st_size
            except OSError:
                continue
        total += (unit.end - unit.start) if unit.end is not None else 0
        if total >= SMALL_BATCH:
            return True
    return False


def executor_for(batch: list[Unit], jobs: int, given: Executor | None = None) -> Executor | None:
    """Where a batch's units run: the executor given (a Dask cluster), always; local worker processes when
    several are asked for and the batch pays for them (:func:`worth_it`); None: here, one after the other."""
    if given is not None:
        return given if batch else None
    return Processes(jobs) if worth_it(batch, jobs) else None


def _ranges(path: str, size: int, length: int) -> Iterator[Unit]:
    """A JSON Lines or CSV file cut at line ends into ranges of about ``length`` bytes, each with its first line
    number."""
    start, first = 0, 1
    with open(path, "rb") as handle:
        while start < size:
            cut = min(start + length, size)
            if cut < size:
                handle.seek(cut)
                while True:
                    block = handle.read(SCAN)
                    at = block.find(b"\n")
                    if at >= 0 or not block:
                        cut = cut + at + 1 if at >= 0 else size
                        break
                    cut += len(block)
            handle.seek(start)
            lines = _count_lines(handle, cut - start)
            yield Unit(path, start, cut, first)
            start, first = cut, first + lines


def _count_lines(handle: io.BufferedReader, length: int) -> int:
    count = 0
    while length > 0:
        block = handle.read(min(SCAN, length))
        if not block:
            break
        count += block.count(b"\n")
        length -= len(block)
    return count


# --- in the worker ---------------------------------------------------------------------------------

def spec_by_file(source: str) -> CompiledSpec:
    """The compiled spec of a spec file, compiled once per process (a report names its spec by file)."""
    path = Path(source)
    shipped = path.resolve().parent == resolver.specs_dir().resolve()
    return loader.load_file(path.resolve() if shipped else path, shipped)


SHIPPED = "shipped:"


@lru_cache(maxsize=256)
def spec_key(spec: CompiledSpec) -> str:
    """How another process finds a compiled spec: a shipped spec by ``shipped:ID@VERSION`` (the same wherever govspec
    is installed: a Dask worker on another machine), any other by its file (which must be readable there too)."""
    source = spec.spec.document.source
    if Path(source).resolve().parent == resolver.specs_dir().resolve():
        return SHIPPED + spec.spec.ref
    return source


def spec_of_key(key: str) -> CompiledSpec:
    """The compiled spec :func:`spec_key` names, compiled once per process."""
    if key.startswith(SHIPPED):
        spec_id, _, version = key.removeprefix(SHIPPED).partition("@")
        return loader.load(spec_id, version).spec
    return spec_by_file(key)


def dumps(results: Any) -> bytes:
    """Results as bytes for another process: compiled specs by file, read-only mappings by contents."""
    import pickle  # here: a run in one process (one file to check) never loads it
    buffer = io.BytesIO()
    _pickler()(buffer, protocol=pickle.HIGHEST_PROTOCOL).dump(results)
    return buffer.getvalue()


@lru_cache(maxsize=1)
def _pickler() -> Any:
    """The pickler of :func:`dumps` (a compiled spec named by :func:`spec_key`), made once, when first needed."""
    import pickle

    class Pickler(pickle.Pickler):
        def reducer_override(self, obj: Any) -> Any:
            if isinstance(obj, CompiledSpec):
                return spec_of_key, (spec_key(obj),)
            return NotImplemented
    return Pickler


@record
class Block:
    """A worker's results for one unit: pickled together, with what the ledger keeps of each report."""

    data: bytes          # the results, by :func:`dumps`
    count: int
    rows: list           # :func:`govspec.check.across.ledger_row` of each report, numbered from 0 in the unit
    specs: dict          # spec reference -> :func:`spec_key`, for the references the rows name
    written: bytes | None = None  # what the worker wrote of the results for the writer (Options.render), by
    # :func:`dumps`: :func:`govspec.present.entries.write_all`


def blocks(worker: Callable[[Any], Block], batch: list[Unit], options: Options, executor: Executor,
           across: bool) -> Iterator[Block]:
    """The blocks of the batch, in input order: ``worker`` (:func:`govspec.check.batch.validate_unit`, a
    function the executor can send to another process) applied to each unit by ``executor``."""
    return executor.map(worker, [(unit, options, across) for unit in batch])

