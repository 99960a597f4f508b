"""Light results: a report the fast path found clean, kept as a few plain values while its batch waits.

The rules across reports judge a report only once the whole batch has been read (the same body's report of
the year before may come later), so every result of a batch waits: in the spool (:mod:`govspec.check.spool`),
and what those rules read of it in the ledger (:mod:`govspec.check.across`).  A report the fast path found
clean is always the same few facts — where it was read, its spec and how the spec was chosen, its metadata, the
values the rules across reports read and its digest — so it waits as a :class:`Light` of them, and becomes its
:class:`~govspec.check.report.Report` when the batch gives it out.

Why: a ``Report`` is pickled (the spool past its first results in memory) with a Python hook for each of its
read-only mappings, and its values are encoded again for the ledger.  A ``Light`` is pickled as a plain tuple
(in C: the only hook names its spec, once for each group pickled together), and its values are already the
64-bit words the ledger keeps, taken for the whole chunk at once
(:meth:`govspec.check.fastpath.FastChecker.across_words`).  The ``Report`` it becomes is equal to the one the
fast path would have made: ``tests/test_batch.py`` checks it.

A broken report the fast path can explain from its failing checks alone waits the same way, as a :class:`Failing`:
those facts, the keys of its failing checks and the values they read.  It is explained when the batch gives it out
(:func:`made`), not spooled as its explained ``Report``, whose findings pickle object by object.
"""

from __future__ import annotations

from collections.abc import Callable
from types import MappingProxyType
from typing import NamedTuple

from govspec.check import verdict as verdicts
from govspec.check.metadata import deadline_notes
from govspec.check.packed import PackedValues, Packing
from govspec.check.report import Report, failing_findings, order_findings
from govspec.findings import Finding
from govspec.spec.compiler import CompiledSpec


class Light(NamedTuple):
    """A clean report of the fast path, waiting for the rules across reports."""

    source: str
    spec: CompiledSpec
    selected_by: str
    metadata: dict   # the report's own facts (``report``), as read: never changed
    words: bytes     # the values of ``spec.across_cells``, in that order, as 64-bit words
    digest: str
    texts: tuple = ()  # ((form, language), text): the report as an output writes it, made by a worker process

    @property
    def only_notes(self) -> bool:
        """Its findings are notes on its metadata, every check evaluated and held: it passed, and a summary counts it
        so, with nothing more to count."""
        return True

    def judged(self, extra: tuple[Finding, ...], strict_blanks: bool) -> Judged:
        """The report once the rules across reports add ``extra`` to its findings, as a writer reads it (the
        worker's text is not its): :class:`Judged`, without making its ``Report``."""
        return Judged(self, extra, strict_blanks)

    def report(self, strict_blanks: bool, extra: tuple[Finding, ...] = ()) -> Report:
        """The report as the fast path makes it: its only findings the notes on its metadata (and, when a worker
        rendered it, kept with its text: :meth:`Report.rendered`) — with ``extra``, the findings of the rules across
        reports, as ``report(strict_blanks).with_findings(extra)`` is, made once (the worker's text is not its)."""
        report = _report(self, self.findings, extra, strict_blanks)
        if not extra:  # its verdict is known, as this Light's is: every check evaluated and held, its findings notes
            report._known(verdicts.PASSED, {})  # no check left unevaluated
        return report

    # What a writer reads of a result (govspec.present: the summary, the entries), answered as the report it becomes
    # answers it, for a Light that ``Validator.results`` gives out: so a writer, or a worker process, renders it
    # without making its ``Report`` (tests/test_batch.py compares the texts of both).

    @property
    def not_reported(self) -> tuple[str, ...]:
        return ()  # complete: the fast path packs only a report with every cell

    @property
    def unseen(self) -> tuple[str, ...]:
        return ()

    @property
    def findings(self) -> tuple[Finding, ...]:
        return deadline_notes(self.metadata)

    @property
    def valid(self) -> bool:
        return True

    def count(self, severity: str) -> int:
        return sum(1 for f in self.findings if f.severity == severity)

    @property
    def not_evaluated(self) -> dict[str, int]:
        return {}  # every check was evaluated (and held)

    @property
    def verdict(self) -> str:
        return verdicts.PASSED  # every check evaluated and held; its only findings are notes (info)

    def text(self, form: tuple) -> str | None:
        """The report as the output ``form`` (output, language) writes it, when a worker process rendered it so."""
        for made, text in self.texts:
            if made == form:
                return text
        return None

    def rendered(self, form: tuple, make: Callable) -> str:
        """The text a worker rendered, else ``make(self)`` (:meth:`Report.rendered`; a ``Light`` keeps no cache: a
        worker process keeps the text it makes in ``texts``)."""
        text = self.text(form)
        return make(self) if text is None else text


class Judged:
    """A clean report of the fast path that the rules across reports judged (its copies named, say): what a writer
    reads of it — its findings (its notes and theirs, in order), verdict, counts and facts — answered as
    ``light.report(strict_blanks, extra)`` answers it, without making that ``Report`` (``tests/test_batch.py``
    compares the texts of both).  A writer renders it as it is (``rendered(form, make)`` is ``make(self)``)."""

    __slots__ = ("source", "spec", "selected_by", "metadata", "findings", "verdict", "not_evaluated")

    def __init__(self, light: Light, extra: tuple[Finding, ...], strict_blanks: bool) -> None:
        self.source, self.spec, self.selected_by = light.source, light.spec, light.selected_by
        self.metadata: dict = light.metadata
        self.findings: tuple[Finding, ...] = order_findings([*light.findings, *extra])
        # its own findings are notes, every check of its own evaluated and held: only ``extra`` can change those
        self.not_evaluated: dict[str, int] = verdicts.not_evaluated(extra)
        self.verdict: str = verdicts.verdict(extra, self.not_evaluated, strict_blanks)  # with_more(PASSED, extra)

    @property
    def valid(self) -> bool:
        return self.verdict == verdicts.PASSED

    not_reported: tuple[str, ...] = ()  # complete, as its Light
    unseen: tuple[str, ...] = ()

    def count(self, severity: str) -> int:
        return sum(1 for f in self.findings if f.severity == severity)

    def rendered(self, form: tuple, make: Callable) -> str:
        return make(self)


class Failing(NamedTuple):
    """A report the fast path found failing and can explain from its failing checks alone
    (:meth:`~govspec.check.fastpath.FastChecker.explainable`), waiting for the rules across reports as what explaining
    it reads — the keys of its failing checks and the values they read — and explained when the batch gives it out
    (:meth:`report`).  Explained first, its ``Report`` — its findings, their equations, terms and facts, a few dozen
    objects each pickled through its class — cost the spool some 70 µs to pickle and read back, twice the explaining."""

    source: str
    spec: CompiledSpec
    selected_by: str
    metadata: dict   # the report's own facts (``report``), as read: never changed
    words: bytes     # the values of ``spec.across_cells``, in that order, as 64-bit words
    digest: str
    failing: tuple[str, ...]  # the keys of its failing checks, in the spec's order
    read: dict       # the values those checks read, by cell
    texts: tuple = ()  # ((form, language), text): the report as an output writes it, made by a worker process

    def report(self, strict_blanks: bool, extra: tuple[Finding, ...] = ()) -> Report:
        """The report as the fast path explains it (the notes on its metadata, the findings of its failing checks) —
        with ``extra``, the findings of the rules across reports, as ``report(strict_blanks).with_findings(extra)``
        is; without, kept with the text a worker rendered of it (:meth:`Report.rendered`)."""
        explained = failing_findings(tuple(map(self.spec.check, self.failing)), self.read)
        return _report(self, order_findings([*deadline_notes(self.metadata), *explained]), extra, strict_blanks)


WAITING = (Light, Failing)  # the results of the fast path that wait as a few plain values


def made(result, strict_blanks: bool):
    """A result as ``Validator.run`` gives it: a :class:`Failing` explained, as its ``Report``; any other as it is."""
    return result.report(strict_blanks) if type(result) is Failing else result


def _report(waiting: Light | Failing, own: tuple[Finding, ...], extra: tuple[Finding, ...],
            strict_blanks: bool) -> Report:
    """The ``Report`` a result waiting light becomes: its ``own`` findings, with ``extra`` (those of the rules across
    reports) in order; without them, kept with the text a worker rendered of it (:meth:`Report.rendered`: with them,
    the text is not its)."""
    report = Report(waiting.source, waiting.spec, waiting.selected_by, MappingProxyType(waiting.metadata),
                    order_findings([*own, *extra]) if extra else own, (), across_values(waiting.spec, waiting.words),
                    None, strict_blanks, digest=waiting.digest)
    for form, text in () if extra else waiting.texts:
        report.rendered(form, _made(text))
    return report


def across_values(spec: CompiledSpec, words: bytes) -> PackedValues:
    """The values the rules across reports read (``Report.values``), as a read-only mapping over their 64-bit words:
    the dict is made when a value is first asked for (most reports' never is: the ledger keeps the words), not for
    every report given out (a dict of 20 values costs some 2 µs to make, a tenth of reading the report)."""
    packing = _ACROSS.get(spec)
    if packing is None:
        cells = tuple(spec.across_cells)
        packing = _ACROSS[spec] = Packing(cells, (), frozenset(), cells)
    return PackedValues(packing, words, ())


_ACROSS: dict[CompiledSpec, Packing] = {}  # each spec's across cells as a packing of integers alone


def _made(text: str) -> Callable[[Report], str]:
    return lambda _report: text


def plain(result):
    """What the spool pickles of a result: a ``Light`` as a plain tuple (pickled in C: a ``NamedTuple`` would be
    pickled through Python), anything else as it is."""
    return tuple(result) if type(result) is Light else result


def restored(kept):
    """A result as :func:`plain` kept it."""
    return Light._make(kept) if type(kept) is tuple else kept
