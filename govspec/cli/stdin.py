"""``-`` as an input: standard input, kept in a temporary file named by what it holds, so that every reader
works on it as on a file (the reports name that file: ``…/govspec-stdin-…/stdin.json``)."""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager

from govspec.cli.common import fail
from govspec.errors import GovspecError, InstanceError
from govspec.io.instance import MAX_INSTANCE_BYTES

SUFFIXES = {"pdf": ".pdf", "docx": ".docx", "xlsx": ".xlsx", "ods": ".ods", "odt": ".odt", "zip": ".zip", "mhtml": ".mht"}


def suffix_of(raw: bytes) -> str:
    """The file name suffix for what ``raw`` holds: a document by its signature; for text, JSON (one
    document), JSON Lines (one per line), CSV (a header of ids), HTML, or plain text."""
    from govspec.extract.sources import sniff  # here: only standard input needs it, and it is slow to import
    kind = sniff(raw)
    if kind == "ole2":  # an old binary file: a Word document, else read as a workbook (or refused as neither)
        from govspec.extract.word97 import is_word_document
        return ".doc" if is_word_document(raw) else ".xls"
    if kind != "text":
        return SUFFIXES[kind]
    if raw.lstrip()[:5] == b"{\\rtf":  # RTF begins as JSON does: told apart first
        return ".rtf"
    text = raw.decode("utf-8-sig", errors="replace").lstrip()
    if text.startswith(("{", "[")):
        try:
            json.loads(text)
            return ".json"
        except ValueError:
            return ".jsonl"
        except RecursionError:  # nested deeper than the parser recurses: the reader says so, line by line if lines
            lines = [line for line in text.splitlines() if line.strip()]
            return ".jsonl" if len(lines) > 1 and all(line.lstrip().startswith("{") for line in lines) else ".json"
    first = text.split("\n", 1)[0]
    if first.startswith(("cell,value", "spec,", "\"spec\",", "#规范,", "规范,")):
        return ".csv"
    if "<" in text[:4096] and ">" in text[:4096]:
        return ".html"
    return ".txt"


@contextmanager
def stdin_as_file(paths) -> Iterator[list[str]]:
    """``paths`` with ``-`` (at most once) standing for standard input in a temporary file."""
    paths = [str(p) for p in paths]
    if "-" not in paths:
        yield paths
        return
    raw = sys.stdin.buffer.read(MAX_INSTANCE_BYTES + 1)
    if len(raw) > MAX_INSTANCE_BYTES:
        raise InstanceError(f"standard input is larger than {MAX_INSTANCE_BYTES} bytes",
                            zh=f"标准输入超过 {MAX_INSTANCE_BYTES} 字节", source="-")
    import tempfile  # here: most runs read no standard input
    with tempfile.TemporaryDirectory(prefix="govspec-stdin-") as folder:
        path = os.path.join(folder, "stdin" + suffix_of(raw))
        with open(path, "wb") as out:
            out.write(raw)
        yield [path if p == "-" else p for p in paths]


def open_inputs(stack: ExitStack, paths) -> list[str]:
    """The command's inputs, ``-`` read from standard input for as long as ``stack`` is open; a message and
    exit 3 when standard input cannot be taken."""
    try:
        return stack.enter_context(stdin_as_file(paths))
    except GovspecError as error:
        fail(error)
