"""The rules across reports over a whole dataset: the same ledger, the same findings as ``govspec validate`` gives
when every report of the dataset is passed in one batch — judged again only for the bodies a run touched.

What the rules across reports say of a report depends on the reports of its own body only (its year before,
its copies).  So a run judges again the reports of the bodies whose reports it added, changed or dropped; every
other report keeps what the last run found.  What they found is kept as *updates*: for each report they judge,
its verdict and counts once they judge it too (``_own/across-*.parquet``); the ``reports`` table is each
report's own row with its update applied, written column-wise.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

from govspec.check import parallel
from govspec.check.across import Ledger
from govspec.check.across_values import encoded, for_ledger, values_from_json
from govspec.check.verdict import not_evaluated, with_more
from govspec.dataset import rows as make
from govspec.dataset.needs import need
from govspec.dataset.store import batches, read_manifest, whole

LEDGER_COLUMNS = ["report_id", "source", "year", "body", "spec", "spec_version", "across_values", "content_hash",
                  "verdict"]
CHANGED = ["verdict", "errors", "warnings", "infos", "not_evaluated", "without_previous"]  # what they change
JUDGED = ["report_id", "body", "year", "spec", "spec_version", *CHANGED[:-1]]  # what judging a report reads of it
BATCH = 8192  # rows read at a time (a batch's reports are judged in Python: kept small, memory flat)
JUDGED_ROWS = 1024  # own rows whose findings across reports are made at a time: a report may have a dozen, each row
# of them some kilobytes in Python (8,192 reports breaking the chain held 130 MB of them at once)


def updates_schema():
    pa = need("pyarrow")
    return pa.schema([("report_id", pa.int64()), ("body", pa.string()), ("verdict", pa.string()),
                      ("errors", pa.int32()), ("warnings", pa.int32()), ("infos", pa.int32()),
                      ("not_evaluated", pa.string()), ("without_previous", pa.bool_())])


def ledger_row(row: dict) -> tuple | None:
    """What the ledger keeps of a report's row (numbered by its report id), as it keeps a report it reads."""
    if row["verdict"] == "unreadable" or row["body"] is None or row["year"] is None:
        return None
    return (row["report_id"], row["body"], row["year"], row["source"], f"{row['spec']}@{row['spec_version']}",
            for_ledger(encoded(values_from_json(row["across_values"]))), row["content_hash"])


def spec_of(ref: str, specs: dict, keys: dict):
    """The compiled spec a reference names: known already, or found by the key the dataset recorded
    (:func:`govspec.check.parallel.spec_key`: a shipped spec by its id, wherever govspec is installed)."""
    if ref not in specs:
        specs[ref] = parallel.spec_of_key(keys.get(ref) or parallel.SHIPPED + ref)
    return specs[ref]


def add_kept(ledger: Ledger, root: Path, parts: list, bodies: set, specs: dict, sources: dict) -> None:
    """Into ``ledger``: the reports of kept ``parts`` whose body is among ``bodies`` (they are judged again)."""
    pa, pc = need("pyarrow"), need("pyarrow.compute")
    wanted = pa.array(sorted(bodies), pa.string())
    for part in parts:
        for piece in batches(root / part["own"], BATCH, columns=LEDGER_COLUMNS):
            rows = [r for row in piece.filter(pc.is_in(piece.column("body"), wanted)).to_pylist()
                    if (r := ledger_row(row)) is not None]
            if rows:
                ledger.add_rows(rows, 0, {r[4]: spec_of(r[4], specs, sources) for r in rows})


def write_reports(run, parts: list, ledger: Ledger, kept_updates) -> dict:
    """Judge what ``ledger`` holds, then write the reports table (each own row with its update), the updates and
    the findings across reports (those kept and those found now).  Their relative paths."""
    pa, pc, pq, np = need("pyarrow"), need("pyarrow.compute"), need("pyarrow.parquet"), need("numpy")
    from govspec.dataset.shapes import schema
    judging = _Judging(run, ledger)
    kept_ids = kept_updates.column("report_id").to_numpy()  # sorted: each batch takes the slice of its ids
    name = f"g{run.generation:06d}"
    paths = {"reports": run.part.path("reports", name), "updates": run.part.path("_own", f"across-{name}"),
             "across": run.part.path("findings", f"across-{name}")}
    shapes = {"reports": schema("reports"), "updates": updates_schema(), "across": schema("findings")}
    writers = {key: pq.ParquetWriter(paths[key][0], shapes[key]) for key in paths}
    counts = {"updates": len(kept_updates), "across": 0}
    try:
        if len(kept_updates):
            writers["updates"].write_table(kept_updates)
            for piece in _kept_findings(run, kept_updates):
                writers["across"].write_batch(piece)
                counts["across"] += piece.num_rows
        for part in parts:
            for piece in batches(run.root / part["own"], JUDGED_ROWS):
                found, findings = judging.up_to(piece)
                if found:
                    writers["updates"].write_batch(found)
                    counts["updates"] += found.num_rows
                if findings:
                    writers["across"].write_batch(make.batch("findings", findings))
                    counts["across"] += len(findings)
                ids = piece.column("report_id")
                lo = int(np.searchsorted(kept_ids, ids[0].as_py(), side="left"))
                hi = int(np.searchsorted(kept_ids, ids[-1].as_py(), side="right"))
                near = kept_updates.slice(lo, hi - lo)
                updates = pa.concat_tables([near, pa.Table.from_batches([found], updates_schema())]) if found else near
                final = _applied(pa, pc, piece, updates)
                writers["reports"].write_batch(final)
                for item in pc.value_counts(final.column("verdict")).to_pylist():
                    run.outcome.verdicts[item["values"]] = run.outcome.verdicts.get(item["values"], 0) + item["counts"]
                run.outcome.without_previous += pc.sum(final.column("without_previous")).as_py() or 0
    finally:
        for writer in writers.values():
            writer.close()
    written = {}
    for key, (temporary, relative) in paths.items():
        if key == "reports" or counts.get(key):
            run.part.done(temporary, relative)
            written[key] = relative
        else:
            temporary.unlink()
    return written


def _applied(pa, pc, piece, updates):
    """A batch of own rows with the updates of its reports applied, column by column."""
    if not len(updates):
        return piece
    at = pc.index_in(piece.column("report_id"), value_set=updates.column("report_id"))
    if at.null_count == len(at):
        return piece
    chosen = pc.is_valid(at)
    columns = {}
    for name in piece.schema.names:
        column = piece.column(name)
        if name in CHANGED:
            column = pc.if_else(chosen, updates.column(name).combine_chunks().take(at), column)
        columns[name] = column
    return pa.RecordBatch.from_pydict(columns, schema=piece.schema)


class _Judging:
    """The ledger's findings, read in report-id order as the own rows are written in that order."""

    def __init__(self, run, ledger: Ledger) -> None:
        self.run = run
        # the reports without a report of the year before listed by the ledger file, not judged one by one (most
        # reports of a first year: judging each cost some 10 µs); the judged ones' cursor opened before the copies'
        # tables are made
        _, self.judged = ledger.judged()
        self.alone = ledger.alone()
        self.copies = ledger.duplicates()
        self.copy, self.upcoming = next(self.copies, None), next(self.judged, None)
        self.lone = next(self.alone, None)

    def up_to(self, piece):
        """The updates and findings across reports of the reports of ``piece``."""
        last = piece.column("report_id")[-1].as_py() if piece.num_rows else None
        found: dict = {}  # report id -> (its findings across reports, whether it has no report of the year before)
        while self.copy is not None and last is not None and self.copy[0] <= last:
            found.setdefault(self.copy[0], ([], False))[0].extend(self.copy[1])
            self.copy = next(self.copies, None)
        while self.upcoming is not None and last is not None and self.upcoming[0] <= last:
            seq, items = self.upcoming
            found.setdefault(seq, ([], False))[0].extend(i.finding for i in items)
            self.upcoming = next(self.judged, None)
        while self.lone is not None and last is not None and self.lone <= last:
            found[self.lone] = (found.get(self.lone, ([], False))[0], True)
            self.lone = next(self.alone, None)
        if not found:
            return None, []
        pa, pc, np = need("pyarrow"), need("pyarrow.compute"), need("numpy")
        shape = updates_schema()
        ids = piece.column("report_id").to_numpy()  # ascending: own rows are written in report-id order
        alone = sorted(report_id for report_id, (more, lone) in found.items() if lone and not more)
        judged = sorted(report_id for report_id, (more, lone) in found.items() if more or not lone)
        parts = []
        if alone:  # only that there is no report of the year before (most reports of a first year): column-wise
            rows = piece.select(shape.names).take(pa.array(_positions(np, ids, alone)))
            arrays = list(rows.columns)
            arrays[shape.get_field_index("without_previous")] = pa.array(np.ones(len(alone), dtype=bool))
            parts.append(pa.RecordBatch.from_arrays(arrays, schema=shape))
        findings: list = []
        if judged:
            at = _positions(np, ids, judged)
            columns = {name: piece.column(name).take(pa.array(at)).to_pylist() for name in JUDGED}
            out: dict = {name: [] for name in shape.names}
            for k, report_id in enumerate(judged):
                more, lone = found[report_id]
                row = {name: values[k] for name, values in columns.items()}
                more = [self._accepted(row, f) for f in more]
                if more:
                    spec = spec_of(f"{row['spec']}@{row['spec_version']}", self.run.specs,
                                   self.run.manifest.get("specs", {}))
                    findings.extend(make.finding_row(report_id, spec, f, "across") for f in more)
                    _add(row, more, self.run.options.strict_blanks)
                row["without_previous"] = lone
                for name, values in out.items():
                    values.append(row[name])
            parts.append(pa.RecordBatch.from_pydict(out, schema=shape))
        table = pa.Table.from_batches(parts, schema=shape)
        table = table.take(pc.sort_indices(table.column("report_id")))  # in report-id order, as before
        return table.combine_chunks().to_batches()[0], findings

    def _accepted(self, row: dict, finding):
        acceptances = self.run.acceptances
        return finding if acceptances is None else acceptances.finding(row["body"], row["year"], finding)


def _positions(np, ids, wanted: list):
    """Where the report ids ``wanted`` are among a batch's ``ids`` (ascending, as own rows are written)."""
    at = np.searchsorted(ids, wanted)
    if (at >= len(ids)).any() or (ids[np.minimum(at, len(ids) - 1)] != wanted).any():
        raise LookupError("a report judged across reports is not in the batch of own rows read with it")
    return at


def _add(row: dict, more: list, strict_blanks: bool) -> None:
    """A report's row once the findings across reports judge it too."""
    row["verdict"] = with_more(row["verdict"], more, strict_blanks)
    for severity, column in (("error", "errors"), ("warning", "warnings"), ("info", "infos")):
        row[column] += sum(1 for f in more if f.severity == severity)
    counts = json.loads(row["not_evaluated"]) if row["not_evaluated"] else {}
    for reason, count in not_evaluated(more).items():
        counts[reason] = counts.get(reason, 0) + count
    row["not_evaluated"] = json.dumps(counts, sort_keys=True) if counts else None


def kept_updates(run, bodies: set | None, live) -> object:
    """The last run's updates of reports still in the dataset whose bodies are not judged again (all of them judged
    again: ``bodies`` None), in report-id order."""
    pa, pc, pq = need("pyarrow"), need("pyarrow.compute"), need("pyarrow.parquet")
    previous = run.manifest.get("updates")
    if bodies is None or not previous:
        return updates_schema().empty_table()
    table = pq.read_table(run.root / previous, schema=updates_schema())
    stays = pc.and_(pc.invert(pc.is_in(table.column("body"), pa.array(sorted(bodies), pa.string()))),
                    pc.is_in(table.column("report_id"), live))
    return table.filter(stays).sort_by("report_id").combine_chunks()


def _kept_findings(run, kept):
    """The last run's findings across reports of the reports whose updates are kept."""
    pc = need("pyarrow.compute")
    for name in run.manifest["tables"]["findings"]:
        if Path(name).name.startswith("across-"):
            for piece in batches(run.root / name, BATCH):
                yield piece.filter(pc.is_in(piece.column("report_id"), kept.column("report_id")))


def previous_rows(dataset) -> tuple[list, dict]:
    """The ledger's rows of every report of a dataset, numbered -1, -2, … (they judge the reports of a run, and are
    neither judged nor shown: :meth:`govspec.check.across.Ledger.add_elsewhere`), and the compiled spec of each
    reference they name: :func:`previous_pieces`, held together (``judge_against`` reads them a part at a time)."""
    rows: list = []
    specs: dict = {}
    for part, named in previous_pieces(dataset):  # the same specs, named as they come
        base = len(rows)
        rows.extend((seq - base, *rest) for seq, *rest in part)
        specs = named
    return rows, specs


def previous_pieces(dataset) -> Iterator[tuple[list, dict]]:
    """What :func:`previous_rows` gives, a part of the reports table at a time: each part's rows numbered -1, -2, …
    (:meth:`~govspec.check.across.Ledger.add_elsewhere` numbers each part on from the last), and the compiled specs
    of the references named so far."""
    root = Path(dataset)
    manifest = read_manifest(root)
    whole(root, manifest)
    specs: dict = {}
    for name in manifest["tables"]["reports"]:
        for piece in batches(root / name, BATCH, columns=LEDGER_COLUMNS):
            rows: list = []
            for row in piece.to_pylist():
                kept = ledger_row({**row, "report_id": -1 - len(rows)})
                if kept is not None:
                    rows.append(kept)
                    spec_of(kept[4], specs, manifest.get("specs", {}))
            if rows:
                yield rows, specs


def judge_against(validator, dataset) -> None:
    """Let the rules across reports of ``validator``'s batch read the reports of ``dataset`` too (last year's):
    the findings of its reports are those of passing both together (``govspec validate NEW/ --previous DATASET``).
    The dataset's rows go into the ledger's file a part at a time: a dataset of 100,000 reports, held whole first,
    took 120 MB more."""
    added = False
    for rows, specs in previous_pieces(dataset):
        validator.ledger.add_elsewhere(rows, specs)
        added = True
    if not added:  # a dataset without a report: the ledger knows it read one, as before
        validator.ledger.add_elsewhere([], {})
