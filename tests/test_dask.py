"""A batch on a Dask cluster (issue 15): a local cluster of two worker processes gives, report by report and cell
by cell, what one process gives — for validate and for export, over mixed published formats."""

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import in_english, mixed_batch

from govspec import dataset
from govspec.check.batch import Validator
from govspec.cli.main import main
from govspec.present.json_report import report_json, unreadable_json

distributed = pytest.importorskip("distributed")

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT.parent / "shared" / "samples"


@pytest.fixture(scope="module")
def cluster():
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as local:
        yield local


@pytest.fixture()
def inputs(tmp_path):
    """The mixed batch, and published reports: Markdown, and PDF, Word and Excel when the shared samples are here."""
    paths = mixed_batch(tmp_path)
    published = Path(paths[0]) / "published"
    published.mkdir()
    shutil.copy(ROOT / "tests" / "corpus" / next(p.name for p in (ROOT / "tests" / "corpus").glob("*.md")), published)
    if SAMPLES.exists():
        for name in ("huaian-city-2024.pdf", "documents/made-huaian-city-2024.docx",
                     "documents/made-huaian-city-2024.xlsx"):
            shutil.copy(SAMPLES / name, published)
    return paths


def _results(validator: Validator, paths) -> list[str]:
    return [json.dumps(report_json(r, "en") if hasattr(r, "spec") else unreadable_json(r, "en"), sort_keys=True)
            for r in validator.run(paths)]


def test_validating_on_the_cluster_gives_the_results_of_one_process(cluster, inputs):
    from govspec.dask import executor
    with executor(cluster.scheduler_address) as run:
        assert run.workers == 2
        sent = _counting(run)
        assert _results(Validator(executor=run), inputs) == _results(Validator(jobs=1), inputs)
        assert _files(sent) >= 6  # every file reaches the cluster (small data files together, as units)


def _files(tasks: list) -> int:
    """The files, and the byte ranges of files, that the units of tasks (``(unit, options, …)``) hold."""
    return sum(len(unit.files()) if unit.end is None else 1 for unit, *_ in tasks)


def _counting(run) -> list:
    """The units the executor sends to the cluster, as it sends them."""
    sent: list = []
    submit = run.client.submit

    def counted(function, apply, units, **options):
        sent.extend(units)
        return submit(function, apply, units, **options)
    run.client.submit = counted
    return sent


def test_exporting_on_the_cluster_gives_the_dataset_of_one_process(cluster, inputs, tmp_path):
    from govspec.dask import executor
    with executor(cluster.scheduler_address) as run:
        sent = _counting(run)
        dataset.export(inputs, tmp_path / "on-cluster", dataset.Options(executor=run))
        assert _files(sent) >= 6
    dataset.export(inputs, tmp_path / "here", dataset.Options(jobs=1))
    for table in dataset.TABLES:
        assert dataset.read(tmp_path / "on-cluster", table).to_pylist() == dataset.read(tmp_path / "here", table).to_pylist()
    assert len(dataset.read(tmp_path / "here", "cells")) > 60 * 200


def test_the_cli_takes_a_scheduler_address(cluster, inputs):
    here = CliRunner().invoke(main, in_english(["validate", *inputs, "--format", "json", "-j", "1"]))
    there = CliRunner().invoke(main, in_english(["validate", *inputs, "--format", "json", "--scheduler",
                                                 cluster.scheduler_address]))
    assert here.exit_code == there.exit_code == 3 and here.stdout == there.stdout


def test_a_scheduler_that_cannot_be_reached_is_said_plainly(tmp_path, monkeypatch):
    import govspec.dask
    monkeypatch.setattr(govspec.dask, "CONNECT_SECONDS", 1)
    result = CliRunner().invoke(main, ["validate", str(ROOT / "examples"), "--scheduler", "tcp://127.0.0.1:9",
                                       "--lang", "en"])
    assert result.exit_code == 3 and "cannot reach the Dask scheduler" in result.output
    assert "Traceback" not in result.output


class _Done:
    def __init__(self, value):
        self.value = value

    def result(self):
        return self.value


class _Client:
    """Runs what it is sent at once, and counts the tasks."""

    def __init__(self, threads: int) -> None:
        self.threads = threads
        self.tasks: list = []

    def nthreads(self):
        return {f"worker-{i}": 1 for i in range(self.threads)}

    def submit(self, function, *args, pure=True):
        self.tasks.append(args[-1])
        return _Done(function(*args))


def test_consecutive_units_travel_together_and_come_back_in_order():
    from govspec.dask import GROUP, DaskExecutor
    client = _Client(threads=2)
    assert list(DaskExecutor(client).map(lambda n: n * n, range(1000))) == [n * n for n in range(1000)]
    assert len(client.tasks) == -(-1000 // GROUP)
    assert [u for task in client.tasks for u in task] == list(range(1000))


def test_a_small_batch_keeps_every_worker_thread_busy():
    from govspec.dask import TASKS_PER_THREAD, DaskExecutor
    client = _Client(threads=4)
    assert list(DaskExecutor(client).map(str, range(40))) == [str(n) for n in range(40)]
    assert len(client.tasks) == 40  # fewer than TASKS_PER_THREAD a thread: one unit a task
    client = _Client(threads=1)
    assert list(DaskExecutor(client).map(str, range(3 * TASKS_PER_THREAD))) == [str(n) for n in range(24)]
    assert len(client.tasks) == TASKS_PER_THREAD
