"""A spec file's document: its plain data, and the line and column where each value was written (for messages).

Made by reading the file as YAML (:mod:`govspec.spec.yamlsource`), or from a shipped spec's parsed copy
(:mod:`govspec.spec.parsed`); this module needs neither PyYAML nor the file.
"""

from __future__ import annotations

from collections.abc import MutableMapping
from dataclasses import field
from typing import Any

from govspec.errors import SpecError
from govspec.records import record

MAX_SPEC_BYTES = 5_000_000

Path = tuple  # a tuple of keys and indexes from the document root


@record(frozen=False)
class YamlDocument:
    """Plain data plus the (line, column) of every node, both 1-based."""

    data: Any
    source: str
    marks: MutableMapping = field(default_factory=dict)  # a dict, or a parsed copy's (made when first read)
    extension: dict | None = None  # for a merged extension: what it extends, the rules it removed

    def position(self, path: Path) -> tuple[int | None, int | None]:
        """The position of ``path``, or of its nearest ancestor that has one."""
        path = tuple(path)
        while path not in self.marks and path:
            path = path[:-1]
        return self.marks.get(path, (None, None))

    def error(self, message: str, path: Path = (), zh: str | None = None) -> SpecError:
        line, column = self.position(path)
        key = ".".join(str(p) for p in path) or None
        return SpecError(message, zh=zh, source=self.source, line=line, column=column, key=key)
