"""The shipped specs as parsed once, so that a run does not parse YAML to load them.

Reading a spec file as YAML costs a run some 15 ms (importing PyYAML about 11, parsing the 2021 template about 4)
— a tenth of ``govspec validate one.json``.  So each shipped spec file (``specs/*.yaml``) is also kept as the
document reading it gives — its data, and the line and column of every value — in JSON, in ``govspec/spec/parsed/``,
with the BLAKE2b digest of the bytes it was read from: a first line holds the digest and the header (the top-level
keys the catalogue reads), a second the data and marks.  A shipped spec is read from its copy only when the file's
bytes still have that digest; a file changed since, or without a copy, is read as YAML.  So a copy can make a run
faster, never different.  ``python -m govspec.tools.parsed`` writes the copies; ``tests/test_parsed.py`` fails
when one is missing or out of date.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, MutableMapping
from pathlib import Path
from typing import Any

from govspec.errors import SpecError
from govspec.io.instance import read_bounded
from govspec.spec.document import MAX_SPEC_BYTES, YamlDocument

try:  # Python's own BLAKE2, without hashlib (whose import loads OpenSSL): the same digests
    from _blake2 import blake2b
except ImportError:  # pragma: no cover - an interpreter without it
    from hashlib import blake2b

FOLDER = Path(__file__).parent / "parsed"
HEADER_KEYS = frozenset({"govspec_spec", "id", "version", "extends", "title", "issued_by", "issued_on",
                         "region", "report_years"})  # the top-level keys before the tables and rules


def digest(raw: bytes) -> str:
    return blake2b(raw, digest_size=16).hexdigest()


def copy_path(path: Path) -> Path:
    """Where the parsed copy of the shipped spec file ``path`` is kept."""
    return FOLDER / (Path(path).stem + ".json")


def document(path: str | Path) -> YamlDocument:
    """A shipped spec file's document: its parsed copy when the copy was made from the file as it is, else the file
    read as YAML (:func:`govspec.spec.yamlsource.read_spec_document`)."""
    kept = _current(Path(path), whole=True)
    if kept is None:
        from govspec.spec.yamlsource import read_spec_document  # PyYAML: only for a file without a current copy
        return read_spec_document(path)
    data, marks = kept
    return YamlDocument(data, str(path), Marks(marks))


def header(path: str | Path) -> Any:
    """The header of a shipped spec file (its top-level keys but the tables and rules: what the catalogue reads)
    from its parsed copy's first line, or None when the copy is missing or out of date."""
    kept = _current(Path(path), whole=False)
    return None if kept is None else kept[0]


def _current(path: Path, whole: bool) -> tuple[Any, list] | None:
    """The copy's header (``whole`` False) or its data and marks, when it holds them for the file's bytes as they are
    (read afresh each time: a document's data is the caller's, as when read from YAML)."""
    try:
        raw = read_bounded(path, MAX_SPEC_BYTES, SpecError, "spec file")
        with open(copy_path(path), "rb") as copy:
            first = json.loads(copy.readline())
            if not isinstance(first, dict) or first.get("blake2b") != digest(raw) or \
                    not isinstance(first.get("header"), dict):
                return None
            if not whole:
                return first["header"], []
            kept = json.loads(copy.read())
    except (SpecError, OSError, ValueError):
        return None  # the file says what is wrong when read as YAML; a missing or damaged copy is not used
    if not isinstance(kept, dict) or "data" not in kept:
        return None
    marks = kept.get("marks")
    if not isinstance(marks, list) or not all(type(m) is list and len(m) >= 2 and type(m[0]) is type(m[1]) is int
                                              for m in marks):
        return None
    return kept["data"], marks


class Marks(MutableMapping):
    """A document's marks (path → line, column) from a copy's list of them, made into a mapping when first read:
    a run reads them only to place a message, and making the 600 of the 2021 template costs some 1.3 ms."""

    def __init__(self, listed: list) -> None:
        self._listed: list | None = listed
        self._made: dict = {}

    def _marks(self) -> dict:
        if self._listed is not None:
            self._made = {tuple(mark[2:]): (mark[0], mark[1]) for mark in self._listed}
            self._listed = None
        return self._made

    def __getitem__(self, key: Any) -> Any:
        return self._marks()[key]

    def __setitem__(self, key: Any, value: Any) -> None:
        self._marks()[key] = value

    def __delitem__(self, key: Any) -> None:
        del self._marks()[key]

    def __iter__(self) -> Iterator:
        return iter(self._marks())

    def __len__(self) -> int:
        return len(self._marks())

    def __contains__(self, key: object) -> bool:
        return key in self._marks()


def made(path: Path) -> dict | None:
    """The parsed copy of ``path`` (for ``python -m govspec.tools.parsed``), or None when its data would not come
    back from JSON exactly as YAML reads it (a key that is not a string, a float that is not a number)."""
    from govspec.spec.yamlsource import read_spec_document
    raw = Path(path).read_bytes()
    doc = read_spec_document(path)
    data = doc.data
    head = {key: value for key, value in data.items() if key in HEADER_KEYS} if isinstance(data, dict) else None
    copy = {"blake2b": digest(raw), "header": head, "data": data,
            "marks": [[line, column, *where] for where, (line, column) in doc.marks.items()]}
    try:
        back = json.loads(json.dumps(copy, ensure_ascii=False, allow_nan=False))
    except (TypeError, ValueError):
        return None
    return copy if same(back["data"], doc.data) and same(back["marks"], copy["marks"]) and head is not None else None


def copy_text(copy: dict) -> str:
    """A copy as its file holds it: a first line of the file's digest and header (all the catalogue reads), then
    a line of the data and marks."""
    first = {"blake2b": copy["blake2b"], "header": copy["header"]}
    rest = {key: value for key, value in copy.items() if key not in first}
    return "".join(json.dumps(part, ensure_ascii=False, separators=(",", ":")) + "\n" for part in (first, rest))


def same(a: Any, b: Any) -> bool:
    """Equal, and of the same types all the way down (``1 == 1.0 == True`` in Python: not here)."""
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        return list(a) == list(b) and all(same(a[k], b[k]) for k in a)
    if isinstance(a, list):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b))
    return bool(a == b)
