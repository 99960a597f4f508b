"""Batch validation speed, measured side by side in one run (medians and ratios, not absolute times).

Each ratio is the median of rounds in which both sides were timed one right after the other (``paired``), so
that a minute of heavy load on a shared machine moves both sides of a round, not one of them.

    python benchmarks/bench_batch.py [--count 20000] [--runs 5] [--cli-count 100000] [--million] [--jobs]
                                     [--startup] [--startup-python PY ...]

Needs the "bench" extra (orjson, numpy, jsonschema-rs).  Generates instances of the 2021 spec
(10% with one identity broken) as JSON Lines and as one CSV-wide file in a temporary folder, then
measures, for the same data in the same process:
  (a) the floor: read the lines and orjson.loads each (CSV: read it with the csv module);
  (b) jsonschema on the exported schema, structure only (on a sample: it is slow);
  (c) jsonschema-rs on the same schema, structure only;
  (d) govspec, full validation (structure + every identity), through the Python API;
and, on --cli-count instances, govspec's CLI against its API.  --million also measures the peak
memory of the CLI on a 1,000,000-line JSON Lines file; --jobs the CLI with --jobs 1 and --jobs 2 on a
folder of 20 equal JSON Lines files, and beside it what the machine's cores give two processes of pure Python;
--startup `govspec validate one.json` against a bare interpreter, in this interpreter and in each --startup-python
(a new virtual environment with govspec's dependencies, as an auditor installs it, without this machine's site-wide
.pth files; the code measured is this checkout's).
Explaining the broken reports is measured as the difference between a file of the broken 10% and one of as
many clean reports, round by round, over the floor of the same lines in the same round.
"""

from __future__ import annotations

import argparse
import csv
import gc
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import jsonschema
import jsonschema_rs
import orjson

import govspec
from govspec.check import parallel
from govspec.check.batch import Validator
from govspec.io import arrow_csv
from govspec.io.instance_schema import instance_schema
from govspec.io.writers import csv_wide_header, csv_wide_row
from govspec.rules.solver import random_instance, solver

SPEC = govspec.load_spec("gov-info-disclosure", "2021")


def generate(count: int, seed: int = 2021) -> list[dict]:
    rng = random.Random(seed)
    documents = []
    weights = solver(SPEC).weights  # cells that some identity reads
    cells = [c for c in SPEC.cells if c.type == "count" and c.id in weights]
    for i in range(count):
        document = random_instance(SPEC, rng, max_value=40)
        if i % 10 == 0:  # 10% break one identity: one count changed by a non-zero amount
            cell = rng.choice(cells)
            document["tables"][cell.table.id][cell.row.id][cell.column.id] += rng.randint(1, 5)
        documents.append(document)
    return documents


def write_jsonl(path: Path, documents) -> None:
    with open(path, "wb") as out:
        for document in documents:
            out.write(orjson.dumps(document) + b"\n")


def write_csv(path: Path, documents) -> None:
    with open(path, "w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(csv_wide_header(SPEC))
        for document in documents:
            writer.writerow(csv_wide_row(SPEC, document))


def median_time(function, runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def paired(first, second, runs: int) -> tuple[float, float, float]:
    """``first`` and ``second`` timed one right after the other, ``runs`` rounds: the median of each, and the
    median of the rounds' ratios (second / first).  On a shared machine the load of other work moves times by a
    third within minutes; timed apart, a floor measured in a busy minute flatters every ratio to it (runs 12–14
    of docs/performance.md), while both halves of a round share the minute's load."""
    firsts, seconds, ratios = [], [], []
    for _ in range(runs):
        start = time.perf_counter()
        first()
        middle = time.perf_counter()
        second()
        end = time.perf_counter()
        firsts.append(middle - start)
        seconds.append(end - middle)
        ratios.append((end - middle) / (middle - start))
    return statistics.median(firsts), statistics.median(seconds), statistics.median(ratios)


MACHINE_WORK = ("d = {}\nfor i in range(3_000_000):\n    d[i % 4096] = str(i)\n")  # Python objects made and dropped


def machine(together: bool) -> None:
    """The same pure-Python work in two processes, at once or one after the other: how much this machine's cores
    give two processes (on a shared or virtual machine, less than twice one, and it moves with the load)."""
    command = [sys.executable, "-c", MACHINE_WORK]
    if together:
        running = [subprocess.Popen(command) for _ in range(2)]
        for process in running:
            process.wait()
    else:
        for _ in range(2):
            subprocess.run(command, check=True)


def floor_jsonl(path):
    with open(path, "rb") as handle:
        for line in handle:
            orjson.loads(line)


def floor_csv(path):
    with open(path, encoding="utf-8", newline="") as handle:
        for _ in csv.reader(handle):
            pass


def govspec_api(path, across: bool = True):
    """Full validation through the API: every report, then the rules across reports."""
    invalid = 0
    validator = Validator(across=across, jobs=1)
    for report in validator.run([str(path)]):
        invalid += not report.valid
    validator.across()
    return invalid


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--count", type=int, default=20_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--sample", type=int, default=500, help="instances for the slow jsonschema run")
    parser.add_argument("--cli-count", type=int, default=100_000)
    parser.add_argument("--million", action="store_true", help="also measure peak memory on 1,000,000 lines")
    parser.add_argument("--jobs", action="store_true", help="also measure --jobs 1 against --jobs 2 (20 files)")
    parser.add_argument("--startup", action="store_true", help="also measure the start-up of one validation")
    parser.add_argument("--startup-python", action="append", default=[], metavar="PY",
                        help="with --startup: also in this interpreter (repeatable), this checkout's code")
    args = parser.parse_args()

    folder = Path(tempfile.mkdtemp(prefix="govspec-bench-"))
    documents = generate(args.count)
    jsonl, wide = folder / "batch.jsonl", folder / "batch.csv"
    write_jsonl(jsonl, documents)
    write_csv(wide, documents)
    # Explaining: a file of the broken reports against a file of as many clean ones, without the rules across
    # reports (which would pair different reports in the two files): the difference is the explaining.
    broken_docs = [d for i, d in enumerate(documents) if i % 10 == 0]
    clean_docs = [d for i, d in enumerate(documents) if i % 10][:len(broken_docs)]
    broken_file, clean = folder / "broken.jsonl", folder / "clean.jsonl"
    write_jsonl(broken_file, broken_docs)
    write_jsonl(clean, clean_docs)
    files, share = folder / "files", max(1, args.count // 20)
    if args.jobs:
        files.mkdir()
        for index in range(20):
            write_jsonl(files / f"part{index:02d}.jsonl", documents[index * share:(index + 1) * share])
    broken_count = len(broken_docs)
    # Every file written: the generated reports (some five million objects) are dropped before anything is timed,
    # so that Python's collector does not scan them while govspec runs (a real run holds none of them).
    del documents, broken_docs, clean_docs
    gc.collect()
    expected_invalid = sum(1 for i in range(args.count) if i % 10 == 0)
    assert govspec_api(jsonl) == expected_invalid, "the broken instances must be found"
    assert govspec_api(wide) == expected_invalid

    schema = instance_schema(SPEC)
    slow = jsonschema.Draft202012Validator(schema)
    fast_schema = jsonschema_rs.validator_for(schema)
    lines = jsonl.read_bytes().splitlines()

    def jsonschema_sample():
        for line in lines[: args.sample]:
            slow.is_valid(orjson.loads(line))

    def jsonschema_rs_all():
        with open(jsonl, "rb") as handle:
            for line in handle:
                fast_schema.is_valid(orjson.loads(line))

    n = args.count
    per, ratio = {}, {}  # µs/instance (medians); × the floor (medians of the rounds' ratios, see paired)
    floor, api, ratio["govspec_api"] = paired(lambda: floor_jsonl(jsonl), lambda: govspec_api(jsonl), args.runs)
    per["floor"], per["govspec_api"], ratio["floor"] = floor / n, api / n, 1.0
    _, rs, ratio["jsonschema_rs"] = paired(lambda: floor_jsonl(jsonl), jsonschema_rs_all, args.runs)
    per["jsonschema_rs"] = rs / n
    per["jsonschema"] = median_time(jsonschema_sample, max(1, args.runs // 2)) / args.sample
    ratio["jsonschema"] = per["jsonschema"] / per["floor"]
    csv_floor, csv_api, ratio["govspec_csv"] = paired(lambda: floor_csv(wide), lambda: govspec_api(wide), args.runs)
    per["csv_floor"], per["govspec_csv"], ratio["csv_floor"] = csv_floor / n, csv_api / n, 1.0
    if arrow_csv.arrow() is not None:  # the default install reads CSV with the csv module: measured too
        def rows_read():
            arrow_csv._arrow = None
            try:
                govspec_api(wide)
            finally:
                arrow_csv._arrow = arrow_csv._UNLOADED
        _, csv_rows, ratio["govspec_csv_rows"] = paired(lambda: floor_csv(wide), rows_read, args.runs)
        per["govspec_csv_rows"] = csv_rows / n

    print(f"govspec batch benchmark — {n} instances of {SPEC.spec.ref} ({len(SPEC.cells)} cells, "
          f"{len(SPEC.checks)} checks), 10% broken; medians of {args.runs} runs, each ratio the median of rounds "
          f"timed together; Python {sys.version.split()[0]}")
    print(f"JSON Lines {jsonl.stat().st_size / n:.0f} bytes/instance; CSV-wide {wide.stat().st_size / n:.0f}")
    print()
    print(f"{'method':<52}{'µs/instance':>12}{'× floor':>10}")
    rows = [
        ("(a) floor: read lines + orjson.loads", "floor"),
        ("(b) jsonschema, exported schema, structure only", "jsonschema"),
        ("(c) jsonschema-rs, same schema, structure only", "jsonschema_rs"),
        ("(d) govspec API, full validation (JSON Lines)", "govspec_api"),
        ("    CSV-wide floor: csv module", "csv_floor"),
        ("    govspec API, full validation (CSV-wide)", "govspec_csv"),
        ("    the same without pyarrow (the default install)", "govspec_csv_rows"),
    ]
    for label, key in rows:
        if key not in per:
            continue
        print(f"{label:<52}{per[key] * 1e6:>12.1f}{ratio[key]:>10.2f}")
    print()
    print(f"govspec API vs jsonschema-rs:      {ratio['govspec_api'] / ratio['jsonschema_rs']:.2f}× "
          f"(target < 1: faster)")
    print(f"jsonschema vs govspec API:         {per['jsonschema'] / per['govspec_api']:.0f}× slower "
          f"(target ≥ 100)")
    print(f"govspec API vs floor (JSON Lines): {ratio['govspec_api']:.2f}× (target ≤ 2.5)")
    print(f"govspec API vs floor (CSV-wide):   {ratio['govspec_csv']:.2f}× (target ≤ 1.5)")

    # Explaining: rounds of the clean file, the broken file and the floor on as many lines, one after the other;
    # each round's difference per broken report over its floor per line.
    differences, ratios = [], []
    for _ in range(max(args.runs, 5)):
        start = time.perf_counter()
        govspec_api(clean, across=False)
        middle = time.perf_counter()
        govspec_api(broken_file, across=False)
        end = time.perf_counter()
        floor_jsonl(broken_file)
        after = time.perf_counter()
        difference = ((end - middle) - (middle - start)) / broken_count
        differences.append(difference)
        ratios.append(difference / ((after - end) / broken_count))
    explain = statistics.median(differences)
    print(f"explaining a broken report: {explain * 1e6:.1f} µs = {statistics.median(ratios):.2f}× the floor per "
          f"broken report (target ≤ 2)")

    if args.jobs:
        def cli_jobs(jobs: str, given: Path = files):
            command = [sys.executable, "-m", "govspec", "validate", str(given), "--format", "json", "-j", jobs]
            with open(os.devnull, "w") as sink:
                subprocess.run(command, stdout=sink, check=False)
        two, one, gain = paired(lambda: cli_jobs("2"), lambda: cli_jobs("1"), 3)
        print(f"--jobs 2 vs --jobs 1, a folder of 20 files of {share} reports: {gain:.2f}× faster "
              f"(target ≥ 1.6; {one:.2f} s, {two:.2f} s)")
        both, alone, ceiling = paired(lambda: machine(True), lambda: machine(False), 3)
        print(f"the machine itself: two processes of pure Python at once against one after the other, {ceiling:.2f}× "
              f"faster ({alone:.2f} s, {both:.2f} s) — what --jobs 2 could gain here, with no serial part at all")
        two, one, gain = paired(lambda: cli_jobs("2", wide), lambda: cli_jobs("1", wide), 3)
        print(f"--jobs 2 vs --jobs 1, the CSV-wide file ({wide.stat().st_size / 2 ** 20:.0f} MB, cut into "
              f"{len(parallel.units([str(wide)]))} ranges): {gain:.2f}× faster ({one:.2f} s, {two:.2f} s)")
        for path in files.iterdir():
            path.unlink()
        pdf = Path(__file__).resolve().parent.parent.parent / "shared" / "samples" / "huaian-city-2024.pdf"
        if pdf.is_file():  # published reports: the work per report is larger, the main process's share smaller
            for index in range(20):
                (files / f"r{index:02d}.pdf").write_bytes(pdf.read_bytes())
            two, one, gain = paired(lambda: cli_jobs("2"), lambda: cli_jobs("1"), 3)
            print(f"--jobs 2 vs --jobs 1, a folder of 20 copies of the real 淮安 PDF: {gain:.2f}× faster "
                  f"(target ≥ 1.6; {one:.2f} s, {two:.2f} s)")
            for path in files.iterdir():
                path.unlink()
        files.rmdir()

    if args.startup:
        import statistics as stats

        # as an installed package starts: from compiled bytecode (pip compiles it when installing), whatever
        # PYTHONDONTWRITEBYTECODE says here; kept in a folder of its own, made by one untimed run
        compiled = dict(os.environ, PYTHONPYCACHEPREFIX=str(folder / "pycache"))
        compiled.pop("PYTHONDONTWRITEBYTECODE", None)

        def once(command, env):
            started = time.perf_counter()
            subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False, env=env)
            return time.perf_counter() - started
        root = Path(__file__).resolve().parent.parent
        example = root / "examples" / "huaian-city-2024.json"
        checkout = dict(compiled, PYTHONPATH=str(root))  # another interpreter: this checkout's code, its own packages
        for python, env in [(sys.executable, compiled)] + [(other, checkout) for other in args.startup_python]:
            once([python, "-m", "govspec", "validate", str(example)], env)
            bare = stats.median(once([python, "-c", "pass"], env) for _ in range(11))
            one_file = stats.median(once([python, "-m", "govspec", "validate", str(example)], env) for _ in range(11))
            where = "" if python == sys.executable else f" ({python})"
            print(f"govspec validate one.json{where}: {one_file:.3f} s median (target ≤ 0.15), {one_file / bare:.1f}× "
                  f"a bare interpreter ({bare:.3f} s)")

    if args.cli_count:
        big = folder / "cli.jsonl"
        write_jsonl(big, generate(args.cli_count, seed=7))
        command = [sys.executable, "-m", "govspec", "validate", str(big), "--format", "json"]

        def cli():
            with open(os.devnull, "w") as sink:
                subprocess.run(command, stdout=sink, check=False)
        api, _, cli_ratio = paired(lambda: govspec_api(big), cli, 3)
        print(f"CLI vs API on {args.cli_count} instances (--format json to /dev/null): "
              f"{cli_ratio:.2f}× (target ≤ 1.2); API {api / args.cli_count * 1e6:.1f} µs/instance")

    if args.million:
        million = folder / "million.jsonl"
        with open(million, "wb") as out:
            line = jsonl.read_bytes().splitlines()[1] + b"\n"
            for _ in range(1_000_000):
                out.write(line)
        # Measured from a small wrapper process: a child forked straight from this (large) process
        # would report this process's pages as its own peak.
        wrapper = ("import resource, subprocess, sys; subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL); "
                   "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)")
        started = time.perf_counter()
        result = subprocess.run([sys.executable, "-c", wrapper, sys.executable, "-m", "govspec", "validate",
                                 str(million)], capture_output=True, text=True, check=True)
        seconds = time.perf_counter() - started
        peak_mb = int(result.stdout.strip()) / 1024
        print(f"peak memory of the CLI on 1,000,000 lines: {peak_mb:.0f} MB (target < 200 MB); "
              f"{seconds:.0f} s, {seconds:.0f} µs/instance")
        million.unlink()
        # CSV wide, read by Arrow when pyarrow is installed: the generated rows ten times over (200,000 reports)
        big_csv = folder / "big.csv"
        header, *rows = wide.read_bytes().splitlines(keepends=True)
        with open(big_csv, "wb") as out:
            out.write(header)
            for _ in range(10):
                out.writelines(rows)
        result = subprocess.run([sys.executable, "-c", wrapper, sys.executable, "-m", "govspec", "validate",
                                 str(big_csv)], capture_output=True, text=True, check=True)
        print(f"peak memory of the CLI on a CSV-wide file of {10 * len(rows):,} reports "
              f"({'pyarrow' if arrow_csv.arrow() is not None else 'the csv module'}): "
              f"{int(result.stdout.strip()) / 1024:.0f} MB (target < 200 MB)")
        if arrow_csv.arrow() is not None:  # and as the default install reads it: the csv module's rows, in blocks
            default = ("from govspec.io import arrow_csv; arrow_csv._arrow = None; import runpy; "
                       "runpy.run_module('govspec', run_name='__main__')")
            result = subprocess.run([sys.executable, "-c", wrapper, sys.executable, "-c", default, "validate",
                                     str(big_csv)], capture_output=True, text=True, check=True)
            print(f"peak memory of the CLI on the same file read by the csv module (the default install): "
                  f"{int(result.stdout.strip()) / 1024:.0f} MB (target < 200 MB)")
        big_csv.unlink()

    shutil.rmtree(folder)  # the batches, and the bytecode of the start-up runs


if __name__ == "__main__":
    main()
