"""Exceptions for input that cannot be read at all.

Findings about a report are values (:mod:`govspec.findings`); these exceptions are
only for a spec or an instance that govspec cannot read.  Each carries where the
problem is (file, line, column, key) so the CLI can say it without a traceback.
"""

from __future__ import annotations

from collections.abc import Iterable


class GovspecError(Exception):
    """Base class: an input that cannot be used.  ``str()`` gives the full message."""

    exit_code = 3

    def __init__(self, message: str, *, zh: str | None = None, source: str | None = None, line: int | None = None,
                 column: int | None = None, key: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.zh = zh  # the message in Chinese, for ``--lang zh`` (the default); ``None``: English only
        self.source = source
        self.line = line
        self.column = column
        self.key = key

    def where(self) -> str:
        parts = [self.source or "<input>"]
        if self.line is not None:
            parts.append(str(self.line))
            if self.column is not None:
                parts.append(str(self.column))
        return ":".join(parts)

    def __str__(self) -> str:
        return self.text("en")

    def text(self, lang: str = "zh") -> str:
        """The full message (where, then what) in ``lang``; English where no Chinese text was given."""
        message = self.zh if lang == "zh" and self.zh else self.message
        key = f" [{self.key}]" if self.key else ""
        if self.source is None and self.line is None:
            return f"{self.key}: {message}" if self.key else message
        return f"{self.where()}{key}: {message}"


class SpecError(GovspecError):
    """A spec file is unreadable, breaks the meta-schema, or is inconsistent."""


class InstanceError(GovspecError):
    """An instance cannot be read: missing file, bad encoding, bad JSON, unknown spec."""


def did_you_mean(word: str, choices: Iterable[str], lang: str = "en") -> str:
    """A ``; did you mean 'x'?`` suffix, or an empty string when nothing is close."""
    import difflib  # here: only a name that is not known needs it (start-up)
    close = difflib.get_close_matches(str(word), [str(c) for c in choices], n=1, cutoff=0.6)
    if not close:
        return ""
    return f"；是否指 '{close[0]}'？" if lang == "zh" else f"; did you mean '{close[0]}'?"
