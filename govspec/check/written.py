"""Results as a worker process wrote them: their texts for the output, and what a summary counts of each.

In a batch on several processes (:mod:`govspec.check.parallel`), each worker renders the reports it checked for the
output of ``govspec validate`` and counts each as a summary does (:func:`govspec.present.entries.write_all`).  The
main process must keep every result until the rules across reports have judged the whole batch; a stretch of
results those rules judge nothing of is then given to the writer as the worker wrote it — :class:`Entries` — without
reading a result back or asking it what a writer asks (before, the main process spent some 15 µs on each report of
the batch after the last worker was done, the part of a batch that no worker shares).  A result they judge is rendered
again with their findings: by the workers, which stay for it, its whole block then given as ``Entries``
(:func:`govspec.check.replay.rewritten`); with an executor given (a Dask cluster's), here, and given as it is.
"""

from __future__ import annotations

from typing import NamedTuple


class Entries(NamedTuple):
    """Consecutive results (one at least) as a worker wrote them for the output of ``Validator.render``: each one's
    text, and what a summary counts of it (:func:`govspec.present.summary.tally`)."""

    texts: list[str]
    tallies: list
