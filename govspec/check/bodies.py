"""Which body a report is about — the key the rules across reports and the copies of a batch match reports by: its
agency code when given, else its agency name normalised (full-width and traditional forms, spaces)."""

from __future__ import annotations

import unicodedata
from functools import lru_cache

from govspec.io.chinese import simplified


def body_of(metadata, normalise: bool = True) -> str | None:
    """Which body a report is about: its agency code, or its agency name normalised (``normalise=False``:
    as written, to tell only whether the report names a body)."""
    code = metadata.get("agency_code")
    if isinstance(code, str) and code.strip():
        return "code:" + code.strip()
    agency = metadata.get("agency")
    if not isinstance(agency, str) or not agency.strip():
        return None
    return _name(agency) if normalise else "name:" + agency


@lru_cache(maxsize=8192)
def _name(agency: str) -> str:
    return "name:" + "".join(unicodedata.normalize("NFKC", simplified(agency)).split())  # no whitespace: \s
