"""A unit of a batch (:mod:`govspec.check.parallel`: a file, or a byte range of a JSON Lines file) read,
validated by its own rules and turned into the rows of a dataset's tables — where it is read: in this
process, in a worker process, or on a Dask worker.  Reports are numbered from 0 within the unit; the process
that writes the dataset gives them their ids (:func:`numbered`), so that workers never send reports, only
record batches and what the ledger keeps of each report.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import field

from govspec.check import parallel
from govspec.check.across import ledger_row
from govspec.check.batch import unit_validator
from govspec.check.report import Report
from govspec.dataset import rows as make
from govspec.dataset.needs import need
from govspec.io.instance import Unreadable, shown
from govspec.records import record

CHUNK = 512  # reports converted at a time (their values are held until then)


@record(frozen=False)
class Piece:
    """The tables of up to :data:`CHUNK` consecutive reports of one file, numbered from 0 in the piece."""

    path: str                     # the input file (or folder) they came from
    count: int
    own: object                   # record batch of ``reports`` (verdicts by their own rules)
    findings: object | None       # record batch of ``findings``, or None
    cells: list = field(default_factory=list)   # record batches of ``cells``, one per spec
    ledger: list = field(default_factory=list)  # :func:`govspec.check.across.ledger_row` of each, numbered in the unit
    specs: dict = field(default_factory=dict)   # spec reference -> :func:`govspec.check.parallel.spec_key`


def pieces(unit: parallel.Unit, options: parallel.Options, acceptances=None) -> Iterator[Piece]:
    """The pieces of one unit, in order, each of one file (``options.keep_values`` must be true: the cells are every
    value)."""
    for single in unit.singles():  # a group of small files: each file's pieces its own, as the manifest keeps them
        chunk: list = []  # (number in the piece, result)
        for result in unit_validator(options).run_unit(single):
            if acceptances is not None and isinstance(result, Report):
                result = acceptances.report(result)
            chunk.append((len(chunk), result))
            if len(chunk) >= CHUNK:
                yield piece(single.path, chunk)
                chunk = []
        if chunk:
            yield piece(single.path, chunk)


def unit_pieces(task) -> list[Piece]:
    """A worker's share: every piece of one unit (``task``: the unit, the options, the acceptances)."""
    return list(pieces(*task))


def piece(path: str, chunk: list) -> Piece:
    by_spec: dict = {}
    kept, rows, specs = [], [], {}
    for number, result in chunk:
        row = None
        if not isinstance(result, Unreadable):
            if result.spec.spec.ref not in specs:
                specs[result.spec.spec.ref] = parallel.spec_key(result.spec)
            by_spec.setdefault(result.spec, []).append((number, result))
            if (row := ledger_row(result, number)) is not None:
                kept.append(row)
        rows.append(make.report_row(number, shown(path), result, row[1] if row is not None else None))
    found = [make.finding_row(i, r.spec, finding, "report") for i, r in chunk if not isinstance(r, Unreadable)
             for finding in r.findings]
    return Piece(path, len(chunk), make.batch("reports", rows), make.batch("findings", found) if found else None,
                 [make.cells_batch(spec, reports) for spec, reports in by_spec.items()], kept, specs)


def numbered(batch, offset: int):
    """A record batch with ``offset`` added to its report ids."""
    pa, pc = need("pyarrow"), need("pyarrow.compute")
    at = batch.schema.get_field_index("report_id")
    columns = list(batch.columns)
    columns[at] = pc.add(columns[at], pa.scalar(offset, pa.int64()))
    return pa.RecordBatch.from_arrays(columns, schema=batch.schema)
