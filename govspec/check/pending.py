"""A report read and waiting in a chunk of a batch, until the chunk is checked (:mod:`govspec.check.batch`)."""

from __future__ import annotations

from govspec.records import record


@record(frozen=False)
class Pending:
    source: str
    result: object = None           # Report or Unreadable once known
    fast: tuple | None = None       # (checker, position in its batch, selected_by, metadata)
    redo: object = None             # how to run the detailed path: a callable returning a Report
