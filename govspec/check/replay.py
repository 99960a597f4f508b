"""A batch's results given back in order once the rules across reports have judged the whole batch: what those rules
and the copies of a report add to each (:func:`extras`, :func:`given`), and the blocks of worker processes given as
their workers wrote them but where those rules judged a result — rendered again here (:func:`written`), or by the
workers themselves (:func:`rewritten`).

Why the workers: the benchmark's batches have many copies (18 % of the 20 files' reports, 63 % of the 100,000 reports
of its test of the CLI), and each report judged is read back, judged and rendered again — some 50–60 µs in the main
process, the part of a batch no worker shares.  Sent back to the workers that are still there, a block's judged reports
cost the main process only their findings sent and their texts taken.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any

from govspec.check.light import Failing, Light, restored

if TYPE_CHECKING:
    from govspec.check.spool import Kept, Spool


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


def given_back(spool: Spool, found: Iterator[tuple[int, tuple]], workers: Any, form: tuple, strict_blanks: bool,
               here: Callable[[Any, tuple], Any]) -> Iterator:
    """The results of the blocks of worker processes that ``spool`` kept, in order, for the writer of ``form``: those
    that ``found`` judges rendered again by the workers when they are still there (:func:`rewritten`: local worker
    processes, ``keeps_workers``), else here as ``here(result, extra)`` gives them (:func:`written`)."""
    if getattr(workers, "keeps_workers", False):
        return rewritten(spool, found, workers, form, strict_blanks)
    return written(spool, found, here)


def written(spool: Spool, found: Iterator[tuple[int, tuple]], given: Callable[[Any, tuple], Any]) -> Iterator:
    """The results of the blocks of worker processes that ``spool`` kept, in order: each stretch of those that nothing
    in ``found`` (:func:`extras`) judges as the worker wrote it (:class:`~govspec.check.written.Entries`), each of the
    others read back and given as ``given(result, extra)`` gives it."""
    for kept, judged in _judged_blocks(spool, found):
        start = 0
        for index, extra in judged:  # read back, given with what judged it
            yield from kept.entries(start, index)
            yield given(kept.result(index, texted=not extra), extra)
            start = index + 1
        yield from kept.entries(start, kept.count)


def given(result: Any, extra: tuple, strict_blanks: bool, form: tuple | None) -> Any:
    """A result with ``extra``, the findings of its copies and of the rules across reports, as a batch gives it out: a
    clean report of the fast path, for the writer of ``form``, as its ``Light`` (nothing more judged it) or its
    ``Judged``; otherwise as its ``Report``."""
    if type(result) is Light:
        if form is not None:  # written as a worker rendered it, or rendered as it is; else rendered with the findings
            return result.judged(extra, strict_blanks) if extra else result  # of those rules, without its Report
        return result.report(strict_blanks, extra)
    if type(result) is Failing:
        return result.report(strict_blanks, extra)
    return result.with_findings(extra) if extra else result


def _judged_blocks(spool: Spool, found: Iterator[tuple[int, tuple]]) -> Iterator[tuple[Kept, list]]:
    """Each block the spool kept, with (index in the block, extra) of each of its results in ``found``."""
    upcoming = next(found, None)
    for base, kept in spool.kept_blocks():
        judged = []
        while upcoming is not None and upcoming[0] < base + kept.count:
            judged.append((upcoming[0] - base, upcoming[1]))
            upcoming = next(found, None)
        yield kept, judged


def rewritten(spool: Spool, found: Iterator[tuple[int, tuple]], executor: Any, form: tuple,
              strict_blanks: bool) -> Iterator:
    """What :func:`written` gives, the results that ``found`` judges rendered and counted again by ``executor``'s
    workers (:func:`rewrite`), a block at a time, in order."""
    waiting: deque = deque()

    def tasks() -> Iterator[tuple]:
        for kept, judged in _judged_blocks(spool, found):
            waiting.append((kept, judged))
            yield (kept.data if judged else b"", judged, form, strict_blanks)
    for texts, tallies in executor.map(rewrite, tasks()):
        kept, judged = waiting.popleft()
        yield from kept.entries(0, kept.count, ([index for index, _ in judged], texts, tallies) if judged else ())


def rewrite(task: tuple) -> tuple[list, list]:
    """In a worker process: the results of a block (``data``) that more findings judge (``judged``: (index, extra)),
    as the writer of ``form`` writes them and a summary counts them."""
    data, judged, form, strict_blanks = task
    if not judged:
        return [], []
    import pickle

    from govspec.present.entries import encoded, render
    from govspec.present.summary import tally
    results = pickle.loads(data)
    texts, tallies = [], []
    for index, extra in judged:
        result = given(restored(results[index]), extra, strict_blanks, form)
        texts.append(encoded(render(result, *form)))
        tallies.append(tally(result))
    return texts, tallies
