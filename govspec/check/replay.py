"""A batch's results given back in order once the rules across reports have judged the whole batch: what those rules
and the copies of a report add to each (:func:`extras`), and the blocks of worker processes given as their workers
wrote them but where those rules judged a result (:func:`written`)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from govspec.check.spool import Spool


def extras(copies: Iterator, judged: Iterator, kept: list | None) -> Iterator[tuple[int, tuple]]:
    """Each report the rules across reports judge or whose copies are named, in sequence order, with the findings of
    both (``copies``, ``judged``: of ``Ledger.duplicates`` and ``Ledger.judged``); ``kept``: those rules' findings
    added to it as they come."""
    copy, upcoming = next(copies, None), next(judged, None)
    while copy is not None or upcoming is not None:
        seq = min(next_one[0] for next_one in (copy, upcoming) if next_one is not None)
        extra: tuple = ()
        if copy is not None and copy[0] == seq:
            extra, copy = copy[1], next(copies, None)
        if upcoming is not None and upcoming[0] == seq:
            if kept is not None:
                kept.extend(upcoming[1])
            extra += tuple(i.finding for i in upcoming[1])
            upcoming = next(judged, None)
        yield seq, extra


def written(spool: Spool, found: Iterator[tuple[int, tuple]], given: Callable[[Any, tuple], Any]) -> Iterator:
    """The results of the blocks of worker processes that ``spool`` kept, in order: each stretch of those that nothing
    in ``found`` (:func:`extras`) judges as the worker wrote it (:class:`~govspec.check.written.Entries`), each of the
    others read back and given as ``given(result, extra)`` gives it."""
    upcoming = next(found, None)
    for base, kept in spool.kept_blocks():
        seq, end = base, base + kept.count
        while seq < end:
            stop = end if upcoming is None else min(upcoming[0], end)
            yield from kept.entries(seq - base, stop - base)
            if upcoming is not None and stop < end:  # judged: read back, given with what judged it
                yield given(kept.result(stop - base, texted=not upcoming[1]), upcoming[1])
                upcoming = next(found, None)
                stop += 1
            seq = stop
