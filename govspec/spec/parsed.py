"""The shipped specs as parsed once, so that a run does not parse YAML to load them.

Reading a spec file as YAML costs a run some 15 ms (importing PyYAML about 11, parsing the 2021 template about 4)
— a tenth of ``govspec validate one.json``.  So each shipped spec file (``specs/*.yaml``) is also kept as the
document reading it gives — its data, and the line and column of every value — in JSON, in ``govspec/spec/parsed/``,
with the BLAKE2b digest of the bytes it was read from.  A shipped spec is read from its copy only when the file's
bytes still have that digest; a file changed since, or without a copy, is read as YAML.  So a copy can make a run
faster, never different.  ``python -m govspec.tools.parsed`` writes the copies; ``tests/test_parsed.py`` fails
when one is missing or out of date.
"""

from __future__ import annotations

import json
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


def digest(raw: bytes) -> str:
    return blake2b(raw, digest_size=16).hexdigest()


def copy_path(path: Path) -> Path:
    """Where the parsed copy of the shipped spec file ``path`` is kept."""
    return FOLDER / (Path(path).stem + ".json")


def document(path: str | Path) -> YamlDocument:
    """A shipped spec file's document: its parsed copy when the copy was made from the file as it is, else the file
    read as YAML (:func:`govspec.spec.yamlsource.read_spec_document`)."""
    kept = _current(Path(path))
    if kept is None:
        from govspec.spec.yamlsource import read_spec_document  # PyYAML: only for a file without a current copy
        return read_spec_document(path)
    data, marks = kept
    return YamlDocument(data, str(path), {tuple(mark[2:]): (mark[0], mark[1]) for mark in marks})


def header(path: str | Path) -> Any:
    """The data of a shipped spec file from its parsed copy (for the headers of the catalogue), or None when the
    copy is missing or out of date."""
    kept = _current(Path(path))
    return None if kept is None else kept[0]


def _current(path: Path) -> tuple[Any, list] | None:
    """The copy's data and marks, when it holds them for the file's bytes as they are (read afresh each time: a
    document's data is the caller's, as when read from YAML)."""
    try:
        raw = read_bounded(path, MAX_SPEC_BYTES, SpecError, "spec file")
        kept = json.loads(copy_path(path).read_bytes())
    except (SpecError, OSError, ValueError):
        return None  # the file says what is wrong when read as YAML; a missing or damaged copy is not used
    if not isinstance(kept, dict) or kept.get("blake2b") != digest(raw) or "data" not in kept:
        return None
    marks = kept.get("marks")
    if not isinstance(marks, list) or not all(type(m) is list and len(m) >= 2 and type(m[0]) is type(m[1]) is int
                                              for m in marks):
        return None
    return kept["data"], marks


def made(path: Path) -> dict | None:
    """The parsed copy of ``path`` (for ``python -m govspec.tools.parsed``), or None when its data would not come
    back from JSON exactly as YAML reads it (a key that is not a string, a float that is not a number)."""
    from govspec.spec.yamlsource import read_spec_document
    raw = Path(path).read_bytes()
    doc = read_spec_document(path)
    copy = {"blake2b": digest(raw), "data": doc.data,
            "marks": [[line, column, *where] for where, (line, column) in doc.marks.items()]}
    try:
        back = json.loads(json.dumps(copy, ensure_ascii=False, allow_nan=False))
    except (TypeError, ValueError):
        return None
    return copy if same(back["data"], doc.data) and same(back["marks"], copy["marks"]) else None


def same(a: Any, b: Any) -> bool:
    """Equal, and of the same types all the way down (``1 == 1.0 == True`` in Python: not here)."""
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        return list(a) == list(b) and all(same(a[k], b[k]) for k in a)
    if isinstance(a, list):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b))
    return bool(a == b)
