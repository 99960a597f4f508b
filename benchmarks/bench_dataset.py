"""Datasets (issue 15), side by side in one run:

- exporting N generated reports (JSON Lines, 100 files) against validating them (the API, one process);
- running the export again over the folder grown by 1% new reports (one more file) against the first export;
- ``--million``: peak memory of a process exporting 1,000,000 reports (a child process, its ru_maxrss);
- ``--dask``: the published reports of the shared samples (PDF, Word, Excel, Markdown; copies of them) exported
  on a local Dask cluster of one and of two single-threaded workers, against the same export in one process.

    PYTHONPATH=. python3 benchmarks/bench_dataset.py --count 100000 [--million] [--dask]

Results go to docs/performance.md and docs/scale.md by hand, with the machine.
"""

from __future__ import annotations

import argparse
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_batch import generate, write_jsonl  # noqa: E402

from govspec import dataset  # noqa: E402
from govspec.check.batch import Validator  # noqa: E402

FILES = 100
ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT.parent / "shared" / "samples"


def seconds(function) -> float:
    start = time.perf_counter()
    function()
    return time.perf_counter() - start


def validate(folder: Path, jobs: int = 1) -> None:
    validator = Validator(jobs=jobs)
    for _ in validator.run([str(folder)]):
        pass


def export(folder: Path, target: Path, jobs: int = 1) -> dataset.Outcome:
    return dataset.export([str(folder)], target, dataset.Options(jobs=jobs))


def batch_folder(count: int, seed: int = 2021) -> Path:
    """``count`` generated reports (10% broken) in :data:`FILES` JSON Lines files, generated a file at a time."""
    folder = Path(tempfile.mkdtemp(prefix="govspec-bench-ds-"))
    step = max(1, count // FILES)
    for index in range(0, count, step):
        write_jsonl(folder / f"part{index // step:04d}.jsonl", generate(min(step, count - index), seed + index))
    return folder


def export_and_validate(count: int, runs: int) -> None:
    folder = batch_folder(count)
    times: dict = {"validate": [], "export": [], "again": [], "validate2": [], "export2": []}
    for run in range(runs):
        target = folder.parent / f"{folder.name}-ds{run}"
        times["validate"].append(seconds(lambda: validate(folder)))
        times["export"].append(seconds(lambda t=target: export(folder, t)))
        times["validate2"].append(seconds(lambda: validate(folder, 2)))
        times["export2"].append(seconds(lambda t=target: export(folder, Path(f"{t}-2"), 2)))
        shutil.rmtree(f"{target}-2")
        grown = folder / "zz-new.jsonl"
        write_jsonl(grown, generate(count // 100, seed=run + 7))
        outcome: list = []
        times["again"].append(seconds(lambda t=target, o=outcome: o.append(export(folder, t))))
        assert outcome[0].added == 1 and outcome[0].kept == len(list(folder.glob("part*.jsonl")))
        grown.unlink()
        shutil.rmtree(target)
    med = {k: statistics.median(v) for k, v in times.items()}
    print(f"{count} reports in {FILES} JSON Lines files, medians of {runs} runs, one process")
    print(f"  validate (API)            {med['validate']:.2f} s  ({med['validate'] / count * 1e6:.1f} µs/report)")
    print(f"  export                    {med['export']:.2f} s  ratio to validate {med['export'] / med['validate']:.2f}×"
          " (target ≤ 1.5×)")
    print(f"  export again, +1% reports {med['again']:.2f} s  ratio to the first export "
          f"{med['again'] / med['export']:.3f} (target ≤ 0.10)")
    print(f"  two worker processes (jobs=2): validate {med['validate2']:.2f} s, export {med['export2']:.2f} s: "
          f"ratio {med['export2'] / med['validate2']:.2f}×")
    shutil.rmtree(folder)


def million_folder() -> Path:
    """1,000,000 reports: 10,000 generated once, written to 100 files, each file's bodies renamed."""
    folder = Path(tempfile.mkdtemp(prefix="govspec-bench-ds-"))
    documents = generate(10_000)
    for index in range(FILES):
        for document in documents:
            document["report"]["agency"] = document["report"]["agency"].split("/")[0] + f"/{index}"
        write_jsonl(folder / f"part{index:04d}.jsonl", documents)
    return folder


def million() -> None:
    folder = million_folder()
    target = folder.parent / f"{folder.name}-ds"
    # the child's own high-water mark (VmHWM: its address space's; ru_maxrss would carry the parent's over exec)
    # govspec export as the CLI runs it (which asks Arrow for jemalloc on Linux), in a child process that then says
    # how many reports the dataset holds and its own peak
    code = ("import re, sys; from govspec.cli.main import main; from govspec import dataset; "
            f"main(['export', {str(folder)!r}, '--to', {str(target)!r}, '--jobs', '1'], standalone_mode=False); "
            "peak = int(re.search(r'VmHWM:\\s+(\\d+)', open('/proc/self/status').read())[1]) // 1024; "
            "pandas = 'with' if 'pandas' in sys.modules else 'without'; "
            f"print(len(dataset.read({str(target)!r}, columns=['report_id'])), peak, pandas)")
    start = time.perf_counter()
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout.strip().splitlines()[-1].split()
    print(f"1,000,000 reports exported (govspec export) in {time.perf_counter() - start:.0f} s: {out[0]} reports, "
          f"peak memory {out[1]} MB (target < 300 MB; pandas installed and imported by pyarrow: {out[2]})")
    shutil.rmtree(folder)
    shutil.rmtree(target)


def dask_throughput(copies: int, runs: int) -> None:
    from distributed import LocalCluster

    from govspec.dask import executor
    folder = Path(tempfile.mkdtemp(prefix="govspec-bench-dask-"))
    names = ["huaian-city-2024.pdf", "hegang-justice-2020.md", "documents/made-huaian-city-2024.docx",
             "documents/made-huaian-city-2024.xlsx", "documents/made-huaian-city-2024.pdf"]
    for copy in range(copies):
        for name in names:
            source = SAMPLES / name
            shutil.copy(source, folder / f"{copy:03d}-{source.name}")
    files = copies * len(names)
    warm = Path(tempfile.mkdtemp(prefix="govspec-bench-warm-"))
    for name in names:  # one of each kind, to start the workers' libraries and specs before timing
        shutil.copy(SAMPLES / name, warm / Path(name).name)
    export(warm, warm.parent / f"{warm.name}-here")
    here = statistics.median(seconds(lambda i=i: export(folder, folder.parent / f"{folder.name}-here{i}"))
                             for i in range(runs))  # a new dataset each time (the same one would be unchanged)
    timed = {}
    for workers in (1, 2):
        with LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None) as cluster, \
                executor(cluster.scheduler_address) as run:
            dataset.export([str(warm)], warm.parent / f"{warm.name}-dask{workers}", dataset.Options(executor=run))
            # and one untimed run over the whole folder: every worker has read every kind of file before timing
            dataset.export([str(folder)], warm.parent / f"{warm.name}-dask{workers}-all", dataset.Options(executor=run))
            target = folder.parent / f"{folder.name}-dask{workers}"
            timed[workers] = statistics.median(
                seconds(lambda t=Path(f"{target}-{i}"), r=run: dataset.export([str(folder)], t, dataset.Options(executor=r)))
                for i in range(runs))
            same = all(dataset.read(f"{target}-0", t).to_pylist() == dataset.read(folder.parent / f"{folder.name}-here0", t)
                       .to_pylist() for t in ("reports", "findings", "cells"))
            assert same, "the cluster's dataset must equal the single-process one"
    print(f"{files} published reports (PDF, Word, Excel, Markdown), export, workers started and warm, medians of {runs} "
          f"runs: one process {here:.1f} s "
          f"({files / here:.1f} files/s); Dask 1 worker {timed[1]:.1f} s ({files / timed[1]:.1f} files/s per worker); "
          f"2 workers {timed[2]:.1f} s: {timed[1] / timed[2]:.2f}× one worker (target ≥ 1.6×)")
    for path in (folder, *folder.parent.glob(f"{folder.name}-*"), warm, *warm.parent.glob(f"{warm.name}-*")):
        shutil.rmtree(path)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--count", type=int, default=100_000, help="0: skip the export/validate comparison")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--million", action="store_true")
    parser.add_argument("--dask", action="store_true")
    parser.add_argument("--copies", type=int, default=8, help="copies of each published sample for --dask")
    args = parser.parse_args()
    if args.count:
        export_and_validate(args.count, args.runs)
    if args.million:
        million()
    if args.dask:
        dask_throughput(args.copies, args.runs)
    print(f"(this process: peak {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024} MB)")


if __name__ == "__main__":
    main()
