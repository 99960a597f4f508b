"""Results as a worker process wrote them: their texts for the output, and what a summary counts of each.

In a batch on several processes (:mod:`govspec.check.parallel`), each worker renders the reports it checked for the
output of ``govspec validate`` and counts each as a summary does (:func:`govspec.present.entries.write_all`).  The
main process must keep every result until the rules across reports have judged the whole batch; a stretch of
results those rules judge nothing of is then given to the writer as the worker wrote it — :class:`Entries` — without
reading a result back or asking it what a writer asks (before, the main process spent some 15 µs on each report of
the batch after the last worker was done, the part of a batch that no worker shares).  A result they judge is rendered
again with their findings: by the workers, which stay for it, its whole block then given as ``Entries``
(:func:`govspec.check.replay.rewritten`); with an executor given (a Dask cluster's), here, and given as it is.

The texts come encoded in UTF-8 (:func:`govspec.present.entries.encoded`), and go to the output as they are when it
takes them so (:func:`write_texts`): decoding them in the main process and encoding them again to write them cost it
some 2.5 µs a report, a fifth of its share after the last worker is done.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, NamedTuple


class Entries(NamedTuple):
    """Consecutive results (one at least) as a worker wrote them for the output of ``Validator.render``: each one's
    text — in UTF-8 (``bytes``), or a ``str`` where UTF-8 cannot encode it (:func:`govspec.present.entries.encoded`) —,
    and what a summary counts of it (:func:`govspec.present.summary.tally`)."""

    texts: list[bytes | str]
    tallies: list


def write_texts(out: Any, texts: Sequence[bytes | str], separator: str = "", before: str = "") -> None:
    """``before`` and ``texts`` joined by ``separator`` written to ``out``: as bytes, to an output that takes UTF-8 as
    it is (its ``write_encoded``: :class:`govspec.cli.common.Gathered`), or as text."""
    write_encoded = getattr(out, "write_encoded", None)
    if write_encoded is not None:
        try:
            write_encoded(before.encode("utf-8") + separator.encode("utf-8").join(texts))  # type: ignore[arg-type]
            return
        except TypeError:  # a text UTF-8 could not encode, among them: written as text
            pass
    out.write(before + separator.join(text if type(text) is str else text.decode("utf-8")  # type: ignore[union-attr]
                                      for text in texts))
