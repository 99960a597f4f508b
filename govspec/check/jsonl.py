"""JSON reports on the fast path: the lines of a JSON Lines file, and JSON files of one report each.

Each is read by the structure gate of the spec it names (:mod:`govspec.check.gate`) and packed into the chunk being
filled; anything the gate refuses — a blank, a string, a duplicate key, a byte-order mark, a key spelt with a space
before its colon — is read again, whole, by the detailed path, which says what is wrong.  A JSON file is read as the
one line it would be in a JSON Lines file: a folder of JSON files is checked a chunk at a time, as a JSON Lines file
is (each went to the detailed path: some 0.8 ms a file against 0.2 ms a line).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from functools import partial
from typing import TYPE_CHECKING

from govspec.errors import GovspecError, InstanceError
from govspec.io.instance import Unreadable, read_bounded
from govspec.io.kinds import EXTRACT_RECORD
from govspec.io.readers import NO_REPORT_IN_JSONL_ZH, check_regular_file, jsonl_instance, jsonl_lines, read_path

if TYPE_CHECKING:
    from govspec.check.batch import Validator
    from govspec.check.pending import Pending

SMALL_FILE = 1 << 20  # a JSON file larger than this (a report is some 5 KB) goes straight to the detailed path
FILES_FOR_THE_GATE = 32  # consecutive JSON files read through the gate (making it and msgspec's import: some 15 ms)


def line_pendings(validator: Validator, path: str, start: int = 0, end: int | None = None,
                  first: int = 1) -> Iterator[Pending]:
    """The reports of a JSON Lines file (or of its byte range ``start``–``end``, whose first line is ``first``)."""
    from govspec.check.pending import Pending
    lines = 0
    try:
        for number, line in jsonl_lines(path, start, end, first):
            lines += 1
            source = f"{path}:{number}"
            pending = Pending(source, redo=_line_redo(validator, line, path, number))
            pending.fast = read_fast(validator, line, source) if validator.fast else None  # --no-fast: a range too
            yield pending
    except GovspecError as error:
        yield Pending(path, result=Unreadable(path, error))
        return
    if not lines and end is None:  # a range of a file (one process among several) always holds a line
        yield Pending(path, result=Unreadable(path, InstanceError(
            "the JSON Lines file holds no report (it is empty or blank)", zh=NO_REPORT_IN_JSONL_ZH, source=path)))


def file_pendings(validator: Validator, paths: Iterable[str]) -> Iterator[Pending]:
    """The reports of JSON files, one each, in order."""
    from govspec.check.pending import Pending
    for path in paths:
        pending = Pending(path, redo=_file_redo(validator, path))
        try:
            check_regular_file(path)
            raw = read_bounded(path, SMALL_FILE, InstanceError, "file")
        except GovspecError:
            raw = None  # a larger file, or one that cannot be read: the detailed path reads it, or says why
        if raw is None or _RECORD in raw:  # a file the gate does not read: as the detailed path reads it alone — a
            # large file, one that cannot be read, or govspec extract's record (of one report or of several)
            yield from (Pending(item.source, result=validator._detailed(item)) for item in read_path(path))
            continue
        pending.fast = read_fast(validator, raw, path)
        yield pending


_RECORD = f'"{EXTRACT_RECORD}"'.encode()  # its key, as JSON writes it


def read_fast(validator: Validator, line: bytes, source: str):
    """A report's JSON text read by the structure gate of the spec it names and packed; None when the detailed path
    must read it."""
    last = validator._last_checker  # a file's lines are mostly of one spec: try its gate first
    read = last.gate.read(line) if last is not None else None
    refused = last if read is None else None  # a gate that has read this text and refused it
    if read is not None:
        judged = validator._judged(read[0], source)
        if judged is None:  # facts the detailed path has something to say about
            return None
        checker, how = judged
        if checker is not last:  # the text names another spec: read it with that one's gate
            read = None
    if read is None:
        from govspec.check.gate import read_head  # msgspec: imported by the first line read
        head = read_head(line)
        if head is None:
            return None
        judged = validator._judged(head, source)  # the facts the gate reads (it reads them typed: the same values)
        if judged is None or judged[0] is refused:  # a blank, a string, a key too many: read it once more, whole
            return None
        checker, how = judged
        read = checker.gate.read(line)
        if read is None:
            return None
        validator._last_checker = checker
    document, integers, money = read
    return validator._fast(checker, document, how, partial(checker.pack, integers, money))


def _line_redo(validator: Validator, line: bytes, path: str, number: int):
    def redo():
        return validator._detailed(jsonl_instance(path, number, line))
    return redo


def _file_redo(validator: Validator, path: str):
    def redo():  # the file read again, as the detailed path reads it (a chunk holds no file's bytes)
        [item] = read_path(path)
        return validator._detailed(item)
    return redo
