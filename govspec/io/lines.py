"""The lines of a file, streamed, none held longer than a report may be (:data:`~govspec.io.instance.MAX_INSTANCE_BYTES`,
the size of a JSON file): a file of one endless line would otherwise fill the memory.

A JSON Lines file is read whole, or a byte range of it for a worker process (cut at line ends,
:mod:`govspec.check.parallel`), numbered as in the whole file; a line is one report, and one too long is counted as
it is read and given as a :class:`LongLine`, which the reader of the line says is unreadable.  A CSV file's text is
given to the ``csv`` module through :func:`text_lines`, which stops the file at a line too long, with its number."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from govspec.errors import InstanceError
from govspec.io.instance import MAX_INSTANCE_BYTES, read_bytes


def jsonl_lines(path: str, start: int = 0, end: int | None = None, first: int = 1) -> Iterator[tuple[int, bytes]]:
    """The non-blank lines of a JSON Lines file with their numbers, as bytes, streamed; or those of the
    byte range ``start``–``end`` (which begin and end at line ends), numbered from ``first``."""
    try:
        handle = open(path, "rb")
    except OSError:
        read_bytes(path)  # raises the right InstanceError
        raise
    with handle:
        lines: Iterable[bytes] = _file_lines(handle) if not start and end is None else range_lines(handle, start, end)
        for number, line in enumerate(lines, first):
            if line.strip():
                yield number, line


class LongLine(bytes):
    """A line longer than a report may be (:data:`~govspec.io.instance.MAX_INSTANCE_BYTES`, as a JSON file): never
    held in memory, only counted (``size``); :func:`jsonl_instance` says so, with its line."""

    size: int

    def __new__(cls, size: int) -> LongLine:
        line = super().__new__(cls, b"?")  # not blank, and not JSON: the fast path hands it to the detailed one
        line.size = size
        return line


def _file_lines(handle) -> Iterator[bytes]:
    """The lines of an open file, as iterating it gives them, but none held longer than a report may be."""
    read = handle.readline
    while line := read(MAX_INSTANCE_BYTES + 1):
        if len(line) > MAX_INSTANCE_BYTES and not line.endswith(b"\n"):
            size = len(line)
            while (more := read(RANGE_BLOCK)) and not more.endswith(b"\n"):  # the rest of it, dropped as it is read
                size += len(more)
            yield LongLine(size + len(more))
        else:
            yield line


RANGE_BLOCK = 1 << 20  # bytes of a range read at a time (a range is some megabytes: never held whole)


def range_lines(handle, start: int, end: int | None) -> Iterator[bytes]:
    """The lines of the byte range ``start``–``end`` of an open file, split as iterating the file splits them (each
    with its ``\n``, the last without one when the range ends without one), read a block at a time; a line longer
    than a report may be is counted, not kept (a :class:`LongLine`, as :func:`_file_lines` gives it)."""
    handle.seek(start)
    left = end - start if end is not None else None
    rest: list[bytes] = []  # the start of a line longer than what has been read of it
    held = 0  # the bytes of that start (past MAX_INSTANCE_BYTES they are counted, not kept)
    while left is None or left > 0:
        block = handle.read(RANGE_BLOCK if left is None else min(RANGE_BLOCK, left))
        if not block:
            break
        if left is not None:
            left -= len(block)
        parts = block.split(b"\n")
        last = parts.pop()
        if parts and held:  # the line begun in earlier blocks ends in this one
            first = parts.pop(0)
            yield _line(rest + [first], held + len(first), b"\n")
            rest, held = [], 0
        for part in parts:
            yield _line([part], len(part), b"\n")
        if last:
            held += len(last)
            rest = rest + [last] if held <= MAX_INSTANCE_BYTES else []
    if held:
        yield _line(rest, held, b"")


def _line(pieces: list[bytes], size: int, end: bytes) -> bytes:
    """A line of ``size`` bytes (without ``end``) from its pieces, or a :class:`LongLine` past what a report may be."""
    return LongLine(size + len(end)) if size > MAX_INSTANCE_BYTES else b"".join(pieces) + end


def text_lines(stream, path: str) -> Iterator[str]:
    """The lines of a text stream as iterating it gives them (the ``csv`` module reads them), none longer than a
    report may be: a longer one stops the file with an :class:`~govspec.errors.InstanceError` naming its line."""
    read = stream.readline
    number = 0
    while line := read(MAX_INSTANCE_BYTES + 1):
        number += 1
        if len(line) > MAX_INSTANCE_BYTES and not line.endswith(("\n", "\r")):
            raise InstanceError(f"line {number} is longer than a report may be (more than {MAX_INSTANCE_BYTES} "
                                "characters): not read", zh=f"第 {number} 行超过一份报告的上限（多于 "
                                f"{MAX_INSTANCE_BYTES} 个字符）：未读取", source=path, line=number)
        yield line
