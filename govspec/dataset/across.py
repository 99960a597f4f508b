"""The rules across reports over a whole dataset, from what each report's row keeps (``body``, ``year``,
``across_values``, ``content_hash``): the same ledger, the same findings as ``govspec validate`` gives when
every report of the dataset is passed in one batch."""

from __future__ import annotations

import json
from pathlib import Path

from govspec.check.across import Ledger
from govspec.check.verdict import not_evaluated, with_more
from govspec.dataset import rows as make
from govspec.dataset.needs import need
from govspec.dataset.shapes import schema
from govspec.dataset.store import read_manifest
from govspec.spec import loader

LEDGER_COLUMNS = ["source", "year", "body", "spec", "spec_version", "across_values", "content_hash", "verdict"]
BATCH = 65536


def _ledger_row(seq: int, row: dict) -> tuple | None:
    if row["verdict"] == "unreadable" or row["body"] is None or row["year"] is None:
        return None
    return (seq, row["body"], row["year"], row["source"], f"{row['spec']}@{row['spec_version']}",
            row["across_values"], row["content_hash"])


def _rows(pq, files: list):
    for path in files:
        for piece in pq.ParquetFile(path).iter_batches(BATCH, columns=LEDGER_COLUMNS):
            yield from piece.to_pylist()


def spec_of(ref: str, specs: dict, sources: dict):
    """The compiled spec a reference names: known already, from the spec file the dataset recorded, or shipped."""
    if ref not in specs:
        source = sources.get(ref)
        if source is not None and Path(source).exists():
            specs[ref] = loader.load_file(Path(source), False)
        else:
            specs[ref] = loader.load(*ref.split("@", 1)).spec
    return specs[ref]


def judge(run, parts: list) -> tuple[str, str | None]:
    """Judge the rules across reports over ``parts``; write the reports table (verdicts with them) and the
    findings across reports; their relative paths (the second None when there is none)."""
    pq = need("pyarrow.parquet")
    root, specs = run.root, run.specs
    sources = run.manifest.get("specs", {})
    ledger = Ledger()
    try:
        waiting: list = []
        for seq, row in enumerate(_rows(pq, [root / p["own"] for p in parts])):
            kept = _ledger_row(seq, row)
            if kept is not None:
                waiting.append(kept)
            if len(waiting) >= BATCH:
                ledger.add_rows(waiting, 0, {r[4]: spec_of(r[4], specs, sources) for r in waiting})
                waiting = []
        if waiting:
            ledger.add_rows(waiting, 0, {r[4]: spec_of(r[4], specs, sources) for r in waiting})
        return _write(run, parts, ledger)
    finally:
        ledger.close()


def _write(run, parts: list, ledger: Ledger) -> tuple[str, str | None]:
    pq = need("pyarrow.parquet")
    copies, judged = ledger.duplicates(), ledger.by_report()
    copy, upcoming = next(copies, None), next(judged, None)
    name = f"g{run.generation:06d}"
    reports_at, reports_name = run.part.path("reports", name)
    across_at, across_name = run.part.path("findings", f"across-{name}")
    verdicts = run.outcome.verdicts
    found = 0
    with pq.ParquetWriter(reports_at, schema("reports")) as reports, \
            pq.ParquetWriter(across_at, schema("findings")) as across:
        seq = 0
        for part in parts:
            for piece in pq.ParquetFile(run.root / part["own"]).iter_batches(BATCH):
                out, extra_rows = [], []
                for row in piece.to_pylist():
                    more = []
                    if copy is not None and copy[0] == seq:
                        more.extend(copy[1])
                        copy = next(copies, None)
                    if upcoming is not None and upcoming[0] == seq:
                        items = [i.finding for i in upcoming[1] if i.finding.code != "no-previous-report"]
                        run.outcome.without_previous += len(upcoming[1]) - len(items)
                        more.extend(items)
                        upcoming = next(judged, None)
                    if more:
                        more = [_accepted(run.acceptances, row, f) for f in more]
                        spec = specs_ref(run, row)
                        extra_rows.extend(make.finding_row(row["report_id"], spec, f, "across") for f in more)
                        _add(row, more, run.options.strict_blanks)
                    verdicts[row["verdict"]] = verdicts.get(row["verdict"], 0) + 1
                    out.append(row)
                    seq += 1
                reports.write_batch(make.batch("reports", out))
                if extra_rows:
                    across.write_batch(make.batch("findings", extra_rows))
                    found += len(extra_rows)
    run.part.done(reports_at, reports_name)
    if not found:
        across_at.unlink()
        return reports_name, None
    run.part.done(across_at, across_name)
    return reports_name, across_name


def specs_ref(run, row: dict):
    return spec_of(f"{row['spec']}@{row['spec_version']}", run.specs, run.manifest.get("specs", {}))


def _accepted(acceptances, row: dict, finding):
    return finding if acceptances is None else acceptances.finding(row["body"], row["year"], finding)


def _add(row: dict, more: list, strict_blanks: bool) -> None:
    """A report's row once the findings across reports judge it too."""
    row["verdict"] = with_more(row["verdict"], more, strict_blanks)
    for severity, column in (("error", "errors"), ("warning", "warnings"), ("info", "infos")):
        row[column] += sum(1 for f in more if f.severity == severity)
    counts = json.loads(row["not_evaluated"]) if row["not_evaluated"] else {}
    for reason, count in not_evaluated(more).items():
        counts[reason] = counts.get(reason, 0) + count
    row["not_evaluated"] = json.dumps(counts, sort_keys=True) if counts else None


def ledger_rows(root: Path) -> tuple[list, dict]:
    """The ledger's rows of every report of the dataset at ``root``, numbered -1, -2, … (they judge the reports of
    a run, and are neither judged nor shown), and the compiled spec of each reference they name."""
    pq = need("pyarrow.parquet")
    manifest = read_manifest(root)
    specs: dict = {}
    rows = []
    for index, row in enumerate(_rows(pq, [root / f for f in manifest["tables"]["reports"]])):
        kept = _ledger_row(-1 - index, row)
        if kept is not None:
            rows.append(kept)
            spec_of(kept[4], specs, manifest.get("specs", {}))
    return rows, specs
