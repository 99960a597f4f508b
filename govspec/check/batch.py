"""Validate many reports: files, folders, JSON Lines and CSV-wide, streamed in order.

Each report goes first to the fast path (:mod:`govspec.fastpath`), which can only say "no
finding at all"; every other report goes to the detailed path, which explains it.  Results come
out in input order, a chunk at a time, so memory stays flat however large the batch.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from itertools import groupby
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, cast

from govspec.check import jsonl, parallel, replay
from govspec.check.across import Ledger, ledger_row
from govspec.check.light import WAITING, Failing, Judged, Light, across_values, made, plain
from govspec.check.metadata import deadline_notes, facts_read
from govspec.check.report import Report, failing_findings, order_findings, select_spec, validate_document
from govspec.check.spool import Kept, Spool, fewer_collections
from govspec.check.written import Entries
from govspec.errors import GovspecError
from govspec.io.instance import Unreadable, check_document
from govspec.io.readers import (
    check_regular_file,
    expand,
    no_report_file,
    read_path,
)
from govspec.spec.compiler import CompiledSpec

if TYPE_CHECKING:  # imported when a batch first reads JSON Lines or CSV wide: checking one file does not need them
    from govspec.check.fastpath import FastChecker

CHUNK = 2048  # reports checked together on the fast path
KEEPING_CHUNK = 512  # the same, when every report keeps every value (export, the audit page): they hold more
JUDGEMENTS_KEPT = 4096  # distinct facts of reports whose judgement a validator keeps (Validator._judged): a few a batch
_UNJUDGED = object()


class Validator:
    """Validates a stream of inputs with shared compiled specs and fast checkers."""

    def __init__(self, spec=None, version: str | None = None, fast: bool = True, accept=None,
                 keep_values: bool = False, across: bool = True, strict_blanks: bool = False,
                 progress: Callable[[int], None] | None = None, jobs: int = 1, executor=None,
                 render: tuple | None = None) -> None:
        self.render = render  # (output, language): how worker processes render each report for the writer
        self.jobs = jobs  # worker processes for a large batch (govspec.check.parallel); 1: this process only
        self.executor = executor  # how units run when jobs > 1 (default: local worker processes)
        self.progress = progress  # told how many reports have been read, as they are read
        self.check_across = across  # keep what the rules across reports need (about 200 bytes a report)
        self.strict_blanks = strict_blanks  # checks skipped for blank cells make a report incomplete
        self.accept = accept      # Acceptances: reviewed findings, or None
        self.keep_values = keep_values  # give each report all its values (for pages that draw the tables)
        self.spec = spec
        self.version = version
        self.fast = fast
        self._checkers: dict = {}
        self._selection: dict = {}
        self._batches: dict = {}  # FastChecker -> Batch of the chunk being filled
        self._last_checker: FastChecker | None = None  # the spec of the last line read on the fast path
        self._workers: Any = None  # the executor of this run's units (parallel.Processes: closed when it ends)
        self._judgements: dict = {}  # facts the checks of metadata read -> (checker, how), or None (_judged)
        self.ledger = Ledger()    # for the rules across reports, checked when the batch is done (one per run)
        self._across: list = []   # their findings (for .across()), reports without a year before left out
        self.without_previous = 0  # reports whose rules across reports have no report of the year before (last run)

    # --- public ---------------------------------------------------------------------------

    def run(self, paths) -> Iterator[Report | Unreadable]:
        """Every report (or unreadable input), in input order, judged by its own rules and by the rules
        across reports: a report waits (spooled, memory flat) until the whole batch has been read, since
        the same body's report of the year before may come later.  While it runs, the collector of reference
        cycles runs less often (:func:`govspec.check.spool.fewer_collections`)."""
        with fewer_collections():
            yield from cast("Iterator[Report | Unreadable]", self._run_batch(list(paths)))  # no form: no Light

    def results(self, paths) -> Iterator[Report | Light | Judged | Entries | Unreadable]:
        """The results of :meth:`run` as the writer of ``render`` needs them: a clean report of the fast path that
        nothing else changed stays the :class:`~govspec.check.light.Light` it waited as, which answers what a writer
        reads of a result (verdict, findings, checks not evaluated, counts, text) as its report would; one the rules
        across reports judged (its copies named, say) comes as a :class:`~govspec.check.light.Judged`, which answers
        the same with their findings (without those rules, a clean report comes light as soon as it is checked); from
        worker processes, consecutive results come as the :class:`~govspec.check.written.Entries` the workers wrote
        of them (those the rules across reports judged written again); every other result is as :meth:`run` gives it.
        So the writer of ``govspec validate`` does not make a ``Report`` only to write it.  The findings of the rules
        across reports are not kept for :meth:`across` (each is among the findings of the report it judges, which the
        writer writes): a batch whose reports those rules find much to say about would hold them all, some kilobytes
        a finding."""
        with fewer_collections():
            yield from self._run_batch(list(paths), self.render if self.accept is None else None, keep_across=False)

    def _run_batch(self, paths: list, form: tuple | None = None,
                   keep_across: bool = True) -> Iterator[Report | Light | Judged | Entries | Unreadable]:
        """``form``: the output whose text a clean report may come with (:meth:`results`); None: every result as
        :meth:`run` gives it.  ``keep_across``: the findings of the rules across reports kept for :meth:`across`.  Each
        run is a batch of its own: what the rules across reports found, and the ledger they read (with what was added
        to it before the run, such as a dataset's reports), are this run's only."""
        self._across, self.without_previous = [], 0
        blocks = self._blocks(paths)
        if not self.check_across:  # each result given out as it comes: a clean report light when it is only written
            results = self._run(paths, light=form is not None) if blocks is None else (
                r for block in blocks for r in Kept(block.data, block.written, block.count).given(form is not None))
            count = 0
            try:
                for result in results:
                    count += len(result.tallies) if type(result) is Entries else 1
                    if self.progress is not None:
                        self.progress(count)
                    if type(result) is Light and form is None:  # a Light stays one only for a writer
                        result = result.report(self.strict_blanks)
                    yield self._accepted(made(result, self.strict_blanks))
            finally:
                self._close_workers()
            return
        spool = Spool()
        try:
            if blocks is not None:
                self._keep_blocks(blocks, spool)
            for result in self._run(paths, light=True) if blocks is None else ():
                seq = spool.add(result)
                if self.progress is not None:
                    self.progress(seq + 1)
                if isinstance(result, (Report, *WAITING)):
                    self.ledger.add(result, seq)
            copies = self.ledger.duplicates()
            alone, judged = self.ledger.judged()
            self.without_previous += alone  # counted, outside the verdict
            extras = replay.extras(copies, judged, self._across if keep_across else None)
            if blocks is not None and form is not None:  # a stretch of results judged no more: as its worker wrote it
                yield from replay.given_back(spool, extras, self._workers, form, self.strict_blanks,
                                             lambda result, extra: self._given(result, extra, form))
                return
            upcoming = next(extras, None)
            for seq, result in spool.replay():
                extra: tuple = ()  # the findings of its copies and of the rules across reports
                if upcoming is not None and upcoming[0] == seq:
                    extra, upcoming = upcoming[1], next(extras, None)
                yield self._given(result, extra, form)
        finally:
            spool.close()
            self.ledger.close()
            self.ledger = Ledger()  # the next run's: the same validator may check another batch
            self._close_workers()

    def _given(self, result, extra: tuple, form: tuple | None):
        """A result as the batch gives it out (:func:`~govspec.check.replay.given`), with an acceptance's findings."""
        return self._accepted(replay.given(result, extra, self.strict_blanks, form))

    def _close_workers(self) -> None:  # those a run started (not an executor given: a Dask cluster's); again: nothing
        if self.executor is None and self._workers is not None:
            self._workers.close()

    def _keep_blocks(self, blocks, spool: Spool) -> None:
        """Blocks from worker processes, kept as they came (results pickled together) with their ledger rows."""
        for block in blocks:
            base = spool.add_block(block.data, block.count, block.written)
            self.ledger.add_rows(block.rows, base, {ref: parallel.spec_of_key(key) for ref, key in block.specs.items()})
            if self.progress is not None:
                self.progress(spool.count)

    def across(self) -> list:
        """The findings of the rules across reports, once :meth:`run` has been consumed (of its last run: a
        validator may run several batches, each judged on its own); each is also among the findings of the report
        it judges.  Reports without a report of the year before are counted in :attr:`without_previous`, not
        listed."""
        return self._across

    def _accepted(self, result):
        if isinstance(result, Report) and self.accept is not None:
            return self.accept.report(result)
        return result

    def _run(self, paths, light: bool = False) -> Iterator[Report | Light | Unreadable]:
        """Every result, in input order; ``light``: a clean report of the fast path as a :class:`Light`, for the
        batch to keep until the rules across reports have judged it."""
        for given in paths:
            inside = list(expand([given]))
            yield from self._run_files(inside, light)
            if not inside:
                yield no_report_file(str(given))

    def _run_files(self, paths: list[str], light: bool) -> Iterator[Report | Light | Unreadable]:
        """The results of files, in order; consecutive JSON files (one report each), when there are enough of them to
        pay for the structure gate (a lone report is checked without it: start-up), checked a chunk at a time."""
        for whole, group in groupby(paths, key=lambda path: self.fast and path.lower().endswith(".json")):
            files = list(group)
            if whole and len(files) >= jsonl.FILES_FOR_THE_GATE:
                yield from self._chunks(jsonl.file_pendings(self, files), light)
            else:
                for path in files:
                    yield from self._run_file(path, light)

    def run_unit(self, unit, light: bool = False) -> Iterator[Report | Light | Unreadable]:
        """The results of one unit of a batch cut for several processes (:mod:`govspec.check.parallel`),
        without the rules across reports; ``light``: clean reports of the fast path as :class:`Light`."""
        if unit.empty:
            yield no_report_file(unit.path)
        elif unit.end is None:
            yield from self._run_files(list(unit.files()), light)
        elif unit.path.lower().endswith(".csv"):
            from govspec.check.wide import range_pendings
            yield from self._chunks(range_pendings(self, unit.path, unit.start, unit.end, unit.first), light)
        else:
            yield from self._chunks(jsonl.line_pendings(self, unit.path, unit.start, unit.end, unit.first), light)

    def _blocks(self, paths: list):
        """The batch validated by worker processes (or the executor given), one block of results per unit in
        input order; None when ``jobs`` is 1 or the batch is too small to pay for local workers (then it is
        validated here).  An executor given (a Dask cluster) is always used."""
        if self.executor is None and (self.jobs < 2 or parallel.small(paths)):
            return None
        batch = parallel.units(paths)
        executor = self._workers = parallel.executor_for(batch, self.jobs, self.executor)
        if executor is None:
            return None
        spec = self.spec.spec.document.source if isinstance(self.spec, CompiledSpec) else self.spec  # by file
        options = parallel.Options(spec, self.version, self.fast, self.keep_values, self.strict_blanks, self.render)
        return parallel.blocks(validate_unit, batch, options, executor, self.check_across)

    def _run_file(self, path: str, light: bool = False) -> Iterator[Report | Light | Unreadable]:
        lower = path.lower()
        try:
            check_regular_file(path)
        except GovspecError as error:
            yield Unreadable(path, error)
            return
        if self.fast and lower.endswith(".jsonl"):
            yield from self._chunks(jsonl.line_pendings(self, path), light)
        elif self.fast and lower.endswith(".csv"):
            from govspec.check.wide import csv_pendings
            yield from self._chunks(csv_pendings(self, path), light)
        else:
            for item in read_path(path):
                yield self._detailed(item)

    # --- detailed path ------------------------------------------------------------------------

    def _detailed(self, item) -> Report | Unreadable:
        if isinstance(item, Unreadable):
            return item
        try:
            return validate_document(item.document, item.source, self.spec, self.version, item.findings,
                                     self.keep_values, self.strict_blanks)
        except GovspecError as error:
            return Unreadable(item.source, error)

    # --- chunking -------------------------------------------------------------------------------

    def _chunks(self, pendings, light: bool = False) -> Iterator[Report | Light | Unreadable]:
        """Collect pending reports (packed into ``self._batches`` as they come) and flush them in order."""
        items: list = []
        self._batches = {}
        for pending in pendings:
            items.append(pending)
            if len(items) >= (KEEPING_CHUNK if self.keep_values else CHUNK):
                batches, self._batches = self._batches, {}
                yield from self._flush(items, batches, light)
                items = []
        batches, self._batches = self._batches, {}
        yield from self._flush(items, batches, light)

    def _flush(self, items: list, batches: dict, light: bool = False) -> Iterator[Report | Light | Unreadable]:
        """The results of a chunk, in order; ``light``: those the fast path finds clean as :class:`Light` (when the
        values the rules across reports read are all integers, and the reports do not keep every value)."""
        flags = {checker: checker.clean(batch) for checker, batch in batches.items()}
        words = {checker: checker.across_words(batch) for checker, batch in batches.items()}
        kept_rows = {checker: checker.values_rows(batch, checker.spec.across_cells)
                     for checker, batch in batches.items() if words[checker] is None}
        light = light and not self.keep_values
        for pending in items:
            if pending.result is None and pending.fast is not None:
                checker, position, selected_by, metadata = pending.fast
                batch = batches[checker]
                across = words[checker]
                clean = flags[checker][position]
                if light and clean and across is not None:
                    row = checker.words(batch, position)
                    pending.result = Light(pending.source, checker.spec, selected_by, metadata, across[position],
                                           checker.digest(row, batch, position))
                    yield pending.result
                    continue
                notes = deadline_notes(metadata)
                findings: tuple | None = notes
                if not clean:
                    values = checker.explainable(batch, position)
                    if values is None:  # only the detailed path can say what is wrong
                        findings = None
                    elif light and across is not None:  # waits as what explaining it reads (light.Failing)
                        pending.result = Failing(pending.source, checker.spec, selected_by, metadata, across[position],
                                                 checker.digest(checker.words(batch, position), batch, position),
                                                 batch.failing[position], values)
                        yield pending.result
                        continue
                    else:  # complete and well typed: only its failing checks have something to say
                        failing = checker.failing_checks(batch.failing[position])
                        findings = order_findings([*notes, *failing_findings(failing, values)])
                if findings is not None:
                    row = checker.words(batch, position)
                    every = checker.every_value(row, batch, position) if self.keep_values else None
                    values = across_values(checker.spec, across[position]) if across is not None else \
                        MappingProxyType(kept_rows[checker][position])
                    pending.result = Report(pending.source, checker.spec, selected_by, MappingProxyType(metadata),
                                            findings, (), values, every, self.strict_blanks,
                                            digest=checker.digest(row, batch, position))
            if pending.result is None:
                try:
                    pending.result = pending.redo()
                except GovspecError as error:
                    pending.result = Unreadable(pending.source, error)
            yield pending.result

    def _checker(self, document: dict, source: str):
        """The fast checker and how the spec was chosen, or None when the detailed path must decide."""
        try:
            check_document(document, source)  # the same checks as the detailed path: types before choosing
        except GovspecError:
            return None, None  # the detailed path says what is wrong
        spec_id = self.spec or document.get("spec")
        version = self.version or document.get("version")
        year = (document.get("report") or {}).get("year")
        key = (spec_id, version, year if not version else None)
        if key not in self._selection:
            try:
                compiled, how = select_spec(document, self.spec, self.version, source)
            except GovspecError:
                compiled, how = None, None
            if compiled is not None and compiled not in self._checkers:
                from govspec.check.fastpath import FastChecker
                self._checkers[compiled] = FastChecker(compiled)
            self._selection[key] = (self._checkers.get(compiled), how)
        return self._selection[key]

    def _judged(self, document: dict, source: str, facts=None, judgements: dict | None = None) -> tuple | None:
        """The fast checker of a document's spec and how the spec was chosen, when its facts are in order for the fast
        path (:meth:`_checker`, ``metadata_clean``); None when only the detailed path can say.  Judged once for all the
        documents alike in what those checks read — ``facts``, by default :func:`~govspec.check.metadata.facts_read` —
        kept in ``judgements`` (by default the validator's; a CSV-wide file keeps its own, its rows' facts taken from
        its columns: :meth:`govspec.check.wide.WidePlan.facts`)."""
        kept = self._judgements if judgements is None else judgements
        try:
            key = facts_read(document) if facts is None else facts
            found = kept.get(key, _UNJUDGED)
        except TypeError:  # a value that cannot be a key (a list where a date belongs): judged on its own
            key, found = None, _UNJUDGED
        if found is _UNJUDGED:
            checker, how = self._checker(document, source)
            found = (checker, how) if checker is not None and checker.metadata_clean(document, how) else None
            if key is not None and len(kept) < JUDGEMENTS_KEPT:
                kept[key] = found
        return found

    def _fast(self, checker: FastChecker, document: dict, how: str, pack) -> tuple | None:
        """Pack a report whose facts are in order for the fast path (:meth:`_judged`); None when only the detailed
        path can decide."""
        batch = self._batches.get(checker)
        if batch is None:  # the chunk's first report of this spec (setdefault would make a Batch every time)
            from govspec.check.fastpath import Batch
            batch = self._batches[checker] = Batch()
        position = batch.size
        if not pack(batch):
            return None
        return checker, position, how, document.get("report") or {}


_UNIT_VALIDATORS: dict = {}


def unit_validator(options: parallel.Options) -> Validator:
    """The validator of units validated with ``options`` in this process, made once (its compiled checkers and
    structure gates kept from one unit to the next), without the rules across reports."""
    if options not in _UNIT_VALIDATORS:
        _UNIT_VALIDATORS[options] = Validator(options.spec, options.version, fast=options.fast,
                                              keep_values=options.keep_values, across=False,
                                              strict_blanks=options.strict_blanks)
    return _UNIT_VALIDATORS[options]


def validate_unit(task) -> Any:
    """A worker process's share of a batch cut by :mod:`govspec.check.parallel`: every result of one unit, in
    order, without the rules across reports, and (when they will be judged) what the ledger keeps of each; for the
    writer of ``govspec validate``, each result rendered and counted (the main process's part, which no worker
    shares, kept small: :mod:`govspec.check.written`)."""
    with fewer_collections():  # as in one process: a worker started anew (spawned: Windows, macOS; a Dask worker)
        return _validate_unit(*task)


def _validate_unit(unit, options: parallel.Options, across: bool) -> parallel.Block:
    waiting = list(unit_validator(options).run_unit(unit, light=True))
    found, sent, written = [made(r, options.strict_blanks) for r in waiting], None, None  # a Failing: its Report
    if options.render is not None:  # the writer's share, done here: the main process writes what it is given, and
        from govspec.present.entries import write_all  # explains a Failing again only if more judged it
        written, sent = parallel.dumps(write_all(found, *options.render)), waiting
    rows, specs = [], {}
    for seq, result in enumerate(found if across else ()):
        if isinstance(result, (Report, Light)) and (row := ledger_row(result, seq)) is not None:
            rows.append(row)
            specs[result.spec.spec.ref] = parallel.spec_key(result.spec)
    return parallel.Block(parallel.dumps(list(map(plain, sent or found))), len(found), rows, specs, written)
