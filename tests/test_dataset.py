"""Datasets (issue 15): what govspec export writes is what govspec validate says, kept up to date by whole
transactions, exact at any size, readable by pyarrow, pandas and DuckDB."""

import json
import os
import shutil
import sys
from decimal import Decimal
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import load_example, mixed_batch, year_of_body

from govspec import dataset
from govspec.check.batch import Validator
from govspec.cli.main import main
from govspec.dataset import rows as make
from govspec.dataset.store import MANIFEST
from govspec.present.json_report import report_json, unreadable_json

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT.parent / "shared" / "samples"


def validated(paths) -> dict:
    """What govspec validate says of every report, by source: verdict, counts, findings."""
    found = {}
    for result in Validator().run(paths):
        data = report_json(result, "zh") if hasattr(result, "spec") else unreadable_json(result, "zh")
        findings = sorted((f["code"], f["check"], _text(f["reported"]), _text(f["computed"]), f["message"])
                          for f in data.get("findings", ()))
        counts = data.get("counts")
        found[data["source"]] = (data["verdict"], counts and tuple(counts.values()), findings)
    return found


def _text(value):
    return None if value is None else str(value)


def exported(path) -> dict:
    """The same, from a dataset."""
    findings: dict = {}
    for f in dataset.read(path, "findings").to_pylist():
        findings.setdefault(f["report_id"], []).append((f["code"], f["check"], f["reported"], f["computed"], f["message"]))
    found = {}
    for r in dataset.read(path, "reports").to_pylist():
        counts = None if r["verdict"] == "unreadable" else (r["errors"], r["warnings"], r["infos"])
        found[r["source"]] = (r["verdict"], counts, sorted(findings.get(r["report_id"], [])))
    return found


def cell_values(path) -> dict:
    """Every cell of a dataset by (source, cell): state and exact value."""
    sources = {r["report_id"]: r["source"] for r in dataset.read(path, "reports").to_pylist()}
    return {(sources[c["report_id"]], c["cell"]): (c["state"], c["value_int"], c["value_decimal"], c["value_text"])
            for c in dataset.read(path, "cells").to_pylist()}


def test_a_dataset_says_what_validate_says_report_by_report(tmp_path):
    inputs = mixed_batch(tmp_path)
    outcome = dataset.export(inputs, tmp_path / "ds")
    assert exported(tmp_path / "ds") == validated(inputs)
    assert outcome.reports == len(validated(inputs)) and outcome.added == 5  # files; an empty folder is no file
    codes = {f["code"] for f in dataset.read(tmp_path / "ds", "findings").to_pylist()}
    assert {"duplicate-copy", "rule-violated"} <= codes
    assert outcome.verdicts["unreadable"] == 4  # the broken line (in a.jsonl and b.jsonl), e.json, the empty folder


@pytest.mark.skipif(not SAMPLES.exists(), reason="the shared samples are not beside this clone")
def test_published_reports_keep_where_each_value_was_read(tmp_path):
    inputs = [str(SAMPLES / "huaian-city-2024.pdf"), str(SAMPLES / "hegang-justice-2020.md")]
    dataset.export(inputs, tmp_path / "ds")
    assert exported(tmp_path / "ds") == validated(inputs)
    cells = dataset.read(tmp_path / "ds", "cells").to_pylist()
    placed = [c for c in cells if c["where"]]
    assert len(placed) >= 390 and all(c["text"] is not None for c in placed)
    assert any("huaian-city-2024.pdf" in c["where"] for c in placed)


def test_cells_hold_every_cell_with_its_labels_and_state(tmp_path, huaian):
    blanked = json.loads(json.dumps(huaian))
    blanked["tables"]["applications"]["received"]["total"] = None
    (tmp_path / "a.json").write_text(json.dumps(blanked, ensure_ascii=False), encoding="utf-8")
    dataset.export([tmp_path / "a.json"], tmp_path / "ds")
    cells = {c["cell"]: c for c in dataset.read(tmp_path / "ds", "cells").to_pylist()}
    assert len(cells) == 200
    total = cells["applications.received.total"]
    assert total["state"] == "blank" and total["value_int"] is None
    assert total["table_zh"] == "收到和处理政府信息公开申请情况" and total["column_zh"].endswith("总计")
    fee = cells["proactive_disclosure.fees.fee_amount"]
    assert fee["type"] == "money" and fee["value_int"] is None and isinstance(fee["value_decimal"], Decimal)


def test_values_beyond_int64_and_decimal_38_stay_exact_as_text(tmp_path, huaian):
    big = json.loads(json.dumps(huaian))
    big["tables"]["applications"]["received"]["natural_person"] = 10**30 + 7
    big["tables"]["proactive_disclosure"]["fees"]["fee_amount"] = "12345678901234567890123456789012345.1234567"
    (tmp_path / "a.json").write_text(json.dumps(big, ensure_ascii=False), encoding="utf-8")
    dataset.export([tmp_path / "a.json"], tmp_path / "ds")
    cells = {c["cell"]: c for c in dataset.read(tmp_path / "ds", "cells").to_pylist()}
    person = cells["applications.received.natural_person"]
    assert person["value_int"] is None and person["value_text"] == str(10**30 + 7) and person["state"] == "value"
    fee = cells["proactive_disclosure.fees.fee_amount"]
    assert fee["value_decimal"] is None and fee["value_text"] == "12345678901234567890123456789012345.1234567"
    assert cells["applications.received.business"]["value_int"] == huaian["tables"]["applications"]["received"]["business"]
    findings = dataset.read(tmp_path / "ds", "findings").to_pylist()
    assert any(f["reported"] and len(f["reported"]) > 25 for f in findings)  # the broken total, exactly
    wide = dataset.wide(tmp_path / "ds").to_pylist()[0]
    assert wide["applications.received.natural_person"] == str(10**30 + 7)  # a text column: exact


def test_a_region_comes_from_the_agency_code_else_from_a_provinces_spec(tmp_path, hegang):
    hubei = json.loads(json.dumps(hegang))
    hubei.update(spec="hubei-gov-info-disclosure", version="2020")
    hubei["report"]["agency"] = "湖北某局"
    coded = json.loads(json.dumps(hubei))
    coded["report"]["agency_code"] = "11420100MB0000000X"
    for name, document in (("a.json", hubei), ("b.json", coded), ("c.json", hegang)):
        (tmp_path / name).write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    dataset.export([tmp_path / n for n in ("a.json", "b.json", "c.json")], tmp_path / "ds")
    assert [r["region"] for r in dataset.read(tmp_path / "ds").to_pylist()] == ["420000", "420100", None]


def test_money_that_fits_is_a_decimal_and_a_long_one_falls_back_alone():
    pa = pytest.importorskip("pyarrow")
    array, texts = make._amounts(pa, [Decimal("1.5"), None, Decimal("0.1234567"), 3])
    assert array.to_pylist() == [Decimal("1.500000"), None, None, Decimal("3.000000")]
    assert texts == [None, None, "0.1234567", None]
    assert make.region_of("11110105MB1234567X") == "110105" and make.region_of("abc") is None
    np = pytest.importorskip("numpy")
    small = pa.array([Decimal(10**31), Decimal("1.5"), None, Decimal("-2.25")], pa.decimal128(38, 6)).slice(1)
    spread = make._spread(pa, np, small, np.array([1, 3, 4]), 6)
    assert spread.to_pylist() == [None, Decimal("1.500000"), None, None, Decimal("-2.250000"), None]
    assert spread.null_count == 4 and spread.type == small.type


@pytest.mark.parametrize("version", ["2019", "2021"])
def test_reports_packed_by_the_fast_path_give_the_cells_their_values_give(tmp_path, version):
    import pickle
    import random
    from dataclasses import replace

    import govspec
    from govspec.check.packed import PackedValues
    from govspec.rules.solver import random_instance
    pytest.importorskip("pyarrow")
    spec = govspec.load_spec("gov-info-disclosure", version)
    rng = random.Random(7)
    documents = [random_instance(spec, rng, max_value=10**12) for _ in range(40)]
    (tmp_path / "a.jsonl").write_text("\n".join(json.dumps(d, default=str) for d in documents), encoding="utf-8")
    reports = list(Validator(keep_values=True, across=False).run([str(tmp_path / "a.jsonl")]))
    assert all(type(r.all_values) is PackedValues for r in reports)  # the fast path packed every one
    detailed = Validator(keep_values=True, across=False, fast=False).run([str(tmp_path / "a.jsonl")])
    typed = [[(c, type(v), v) for c, v in r.all_values.items()] for r in reports]
    assert typed == [[(c, type(v), v) for c, v in r.all_values.items()] for r in detailed]
    packed = make.cells_batch(spec, list(enumerate(reports)))
    plain = [(i, replace(r, all_values=dict(r.all_values))) for i, r in enumerate(reports)]
    assert packed.to_pylist() == make.cells_batch(spec, plain).to_pylist()
    values = reports[0].all_values
    assert pickle.loads(pickle.dumps(values)) == values and list(values) == [c.id for c in spec.cells]
    money = [c.id for c in spec.cells if c.type == "money"]
    assert all(type(values[c]) is Decimal for c in money) and values.get("no.such.cell") is None
    assert all(type(values[c.id]) is int for c in spec.cells if c.type != "money")


# --- incremental ---------------------------------------------------------------------------------------------


def _touch_later(path: Path) -> None:
    info = path.stat()
    os.utime(path, ns=(info.st_atime_ns, info.st_mtime_ns + 10**9))


def test_running_again_reads_only_what_changed_and_equals_a_fresh_export(tmp_path, monkeypatch):
    import govspec.dataset.across as across
    monkeypatch.setattr(across, "BATCH", 7)  # own rows read in many batches, each with its slice of kept updates
    inputs = mixed_batch(tmp_path)
    folder = Path(inputs[0])
    dataset.export(inputs, tmp_path / "ds")
    again = dataset.export(inputs, tmp_path / "ds")
    assert (again.added, again.replaced, again.dropped, again.kept) == (0, 0, 0, 5)
    huaian = load_example("examples/huaian-city-2024.json")
    (folder / "f.json").write_text(json.dumps(year_of_body(huaian, 2022, "机关4"), ensure_ascii=False), encoding="utf-8")
    (folder / "c.json").write_text(json.dumps(year_of_body(huaian, 2025, "机关3", shift=2), ensure_ascii=False),
                                   encoding="utf-8")
    _touch_later(folder / "c.json")
    (folder / "e.json").unlink()
    before = exported(tmp_path / "ds")
    grown = dataset.export(inputs, tmp_path / "ds")
    after = exported(tmp_path / "ds")
    unchanged_file_changed_report = [s for s in before if s.startswith(str(folder / "a.jsonl")) and before[s] != after[s]]
    assert unchanged_file_changed_report  # 机关4's 2023 report now has a year before (f.json): judged again
    assert (grown.added, grown.replaced, grown.dropped, grown.kept) == (1, 1, 1, 3)
    fresh = tmp_path / "fresh"
    dataset.export(inputs, fresh)
    assert exported(tmp_path / "ds") == exported(fresh) == validated(inputs)
    assert cell_values(tmp_path / "ds") == cell_values(fresh)
    counts = [len(dataset.read(p, "cells")) for p in (tmp_path / "ds", fresh)]
    assert counts[0] == counts[1]  # no row of a changed or deleted file left behind
    listed = {str(p.relative_to(tmp_path / "ds")) for p in (tmp_path / "ds").rglob("*.parquet")}
    manifest = json.loads((tmp_path / "ds" / MANIFEST).read_text(encoding="utf-8"))
    assert listed == {f for files in manifest["tables"].values() for f in files} | {p["own"] for p in manifest["parts"]} \
        | {manifest["updates"]}


def test_a_file_changed_in_place_with_the_same_size_and_time_is_found_by_verify(tmp_path, huaian):
    path = tmp_path / "a.json"
    path.write_text(json.dumps(huaian, ensure_ascii=False), encoding="utf-8")
    dataset.export([path], tmp_path / "ds")
    info = path.stat()
    text = path.read_text(encoding="utf-8").replace('"total": 3119', '"total": 3118')
    assert len(text.encode()) == info.st_size
    path.write_text(text, encoding="utf-8")
    os.utime(path, ns=(info.st_atime_ns, info.st_mtime_ns))
    assert dataset.export([path], tmp_path / "ds").kept == 1
    found = dataset.export([path], tmp_path / "ds", dataset.Options(verify=True))
    assert found.replaced == 1 and exported(tmp_path / "ds") == validated([path])
    _touch_later(path)  # a newer time, the same content: not read again, and its new time kept
    assert dataset.export([path], tmp_path / "ds").kept == 1
    manifest = json.loads((tmp_path / "ds" / MANIFEST).read_text(encoding="utf-8"))
    assert manifest["files"][str(path)]["mtime_ns"] == path.stat().st_mtime_ns


def test_everything_is_judged_again_when_an_option_or_a_spec_changes(tmp_path, huaian):
    path = tmp_path / "a.json"
    path.write_text(json.dumps(huaian, ensure_ascii=False), encoding="utf-8")
    dataset.export([path], tmp_path / "ds")
    assert not dataset.export([path], tmp_path / "ds").rejudged
    strict = dataset.export([path], tmp_path / "ds", dataset.Options(strict_blanks=True))
    assert strict.rejudged and strict.replaced == 1
    manifest_path = tmp_path / "ds" / MANIFEST
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    manifest["judged_by"]["specs"]["gov-info-disclosure@2021"] = "an older spec"
    manifest_path.write_text(json.dumps(manifest), encoding="utf-8")
    assert dataset.export([path], tmp_path / "ds", dataset.Options(strict_blanks=True)).rejudged


def test_a_run_that_stops_half_way_leaves_the_dataset_as_it_was(tmp_path, monkeypatch):
    inputs = mixed_batch(tmp_path)
    dataset.export(inputs, tmp_path / "ds")
    before = exported(tmp_path / "ds")
    huaian = load_example("examples/huaian-city-2024.json")
    (Path(inputs[0]) / "g.json").write_text(json.dumps(year_of_body(huaian, 2021, "机关9")), encoding="utf-8")

    def broken(*_args):
        raise RuntimeError("the machine stopped")
    monkeypatch.setattr(make, "cells_batch", broken)
    with pytest.raises(RuntimeError):
        dataset.export(inputs, tmp_path / "ds")
    assert exported(tmp_path / "ds") == before
    assert not (tmp_path / "ds" / ".lock").exists()
    monkeypatch.undo()
    after = dataset.export(inputs, tmp_path / "ds")
    assert after.added == 1 and exported(tmp_path / "ds") == validated(inputs)
    assert not [p for p in (tmp_path / "ds").rglob("*.tmp")]


def test_a_folder_that_is_not_a_dataset_is_refused_and_one_run_at_a_time(tmp_path, huaian):
    (tmp_path / "a.json").write_text(json.dumps(huaian, ensure_ascii=False), encoding="utf-8")
    (tmp_path / "other").mkdir()
    (tmp_path / "other" / "notes.txt").write_text("mine", encoding="utf-8")
    result = CliRunner().invoke(main, ["export", str(tmp_path / "a.json"), "--to", str(tmp_path / "other")])
    assert result.exit_code == 3 and "不是 govspec 数据集" in result.output and "Traceback" not in result.output
    (tmp_path / "ds").mkdir()
    (tmp_path / "ds" / ".lock").write_text("1", encoding="utf-8")
    result = CliRunner().invoke(main, ["export", str(tmp_path / "a.json"), "--to", str(tmp_path / "ds"), "--lang", "en"])
    assert result.exit_code == 3 and "another govspec export" in result.output


def test_a_lock_left_by_an_export_that_no_longer_runs_on_this_machine_is_removed(tmp_path, huaian):
    import socket
    import subprocess
    (tmp_path / "a.json").write_text(json.dumps(huaian, ensure_ascii=False), encoding="utf-8")
    ended = subprocess.Popen([sys.executable, "-c", "pass"])
    ended.wait()  # its process id no longer runs
    lock = tmp_path / "ds" / ".lock"
    lock.parent.mkdir()
    export = ["export", str(tmp_path / "a.json"), "--to", str(tmp_path / "ds"), "--lang", "en"]
    for holder in (f"{socket.gethostname()} {os.getpid()}", f"another-machine {ended.pid}"):  # running; elsewhere
        lock.write_text(holder, encoding="utf-8")
        result = CliRunner().invoke(main, export)
        assert result.exit_code == 3 and "another govspec export" in result.output and lock.read_text() == holder
    lock.write_text(f"{socket.gethostname()} {ended.pid}", encoding="utf-8")
    assert CliRunner().invoke(main, export).exit_code == 0
    assert not lock.exists() and len(dataset.read(tmp_path / "ds")) == 1


def test_a_missing_extra_is_named(monkeypatch, tmp_path):
    import importlib

    real = importlib.import_module

    def without_pyarrow(name, *args):
        if name.startswith("pyarrow"):
            raise ImportError(name)
        return real(name, *args)
    monkeypatch.setattr(importlib, "import_module", without_pyarrow)
    result = CliRunner().invoke(main, ["export", str(ROOT / "examples"), "--to", str(tmp_path / "ds"), "--lang", "en"])
    assert result.exit_code == 3 and "pip install 'govspec[dataset]'" in result.output


# --- reading back ----------------------------------------------------------------------------------------------


def test_the_cli_writes_the_dataset_a_duckdb_file_and_csv_with_a_bom(tmp_path):
    inputs = mixed_batch(tmp_path)
    result = CliRunner().invoke(main, ["export", *inputs, "--to", str(tmp_path / "ds"), "--duckdb",
                                       str(tmp_path / "ds.duckdb"), "--csv", str(tmp_path / "csv"), "-j", "1"])
    assert result.exit_code == 0, result.output
    assert "新增 5" in result.output and "无法读取 4" in result.output
    duckdb = pytest.importorskip("duckdb")
    with duckdb.connect(str(tmp_path / "ds.duckdb")) as con:
        assert con.execute("SELECT count(*) FROM reports").fetchone()[0] == len(validated(inputs))
        assert con.execute("SELECT count(*) FROM wide").fetchone()[0] == len(validated(inputs))
    for name in ("reports", "cells", "findings", "wide"):
        raw = (tmp_path / "csv" / f"{name}.csv").read_bytes()
        assert raw.startswith("\ufeff".encode()) and b"report_id" in raw[:40]
    assert "机关" in (tmp_path / "csv" / "reports.csv").read_text(encoding="utf-8-sig")


def test_csv_is_never_written_where_the_next_run_would_read_it(tmp_path, huaian):
    (tmp_path / "a.json").write_text(json.dumps(huaian, ensure_ascii=False), encoding="utf-8")
    result = CliRunner().invoke(main, ["export", str(tmp_path), "--to", str(tmp_path.parent / "ds-x"), "--csv",
                                       str(tmp_path / "csv")])
    assert result.exit_code == 2 and "--csv" in result.output
    named = tmp_path.parent / f"{tmp_path.name}-in" / "reports.csv"  # an input named as a CSV the export writes
    named.parent.mkdir()
    named.write_bytes((ROOT / "examples" / "huaian-city-2024.json").read_bytes())
    before = named.read_bytes()
    result = CliRunner().invoke(main, ["export", str(named), "--to", str(tmp_path.parent / "ds-y"), "--csv",
                                       str(named.parent), "--lang", "en"])
    assert result.exit_code == 3 and "will not write over an input" in result.output
    assert named.read_bytes() == before


def test_standard_input_is_refused_with_why_and_nothing_is_written(tmp_path, huaian):
    result = CliRunner().invoke(main, ["export", "-", "--to", str(tmp_path / "ds")],
                                input=json.dumps(huaian, ensure_ascii=False))
    assert result.exit_code == 2 and "standard input" in result.output and "save the input to a file" in result.output
    assert not (tmp_path / "ds").exists()


def test_pandas_reads_it_exactly(tmp_path):
    pytest.importorskip("pandas")
    dataset.export(mixed_batch(tmp_path), tmp_path / "ds")
    frame = dataset.read_pandas(tmp_path / "ds", "cells")
    assert str(frame["value_int"].dtype) == "int64[pyarrow]"
    assert set(frame["state"].astype(str)) <= {"value", "blank", "unseen", "invalid"}


def test_the_tables_keep_their_public_columns():
    from govspec.dataset.shapes import TABLES
    documented = (ROOT / "docs" / "datasets.md").read_text(encoding="utf-8")
    for table, columns in TABLES.items():
        for name, _ in columns:
            assert f"`{name}`" in documented, f"{table}.{name} is not in docs/datasets.md"


def test_the_queries_in_the_docs_run_and_answer(tmp_path):
    """Every ```sql block of docs/datasets.md runs on a two-year dataset with broken carry-overs and gives rows."""
    duckdb = pytest.importorskip("duckdb")
    del duckdb
    huaian = load_example("examples/huaian-city-2024.json")
    lines = []
    for year in (2022, 2023, 2024):
        for body in range(6):
            lines.append(json.dumps(year_of_body(huaian, year, f"机关{body}", shift=body % 2), ensure_ascii=False))
    (tmp_path / "years.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    dataset.export([tmp_path / "years.jsonl"], tmp_path / "ds")
    text = (ROOT / "docs" / "datasets.md").read_text(encoding="utf-8")
    queries = [block.split("```", 1)[0] for block in text.split("```sql\n")[1:]]
    assert len(queries) >= 3
    with dataset.connect(tmp_path / "ds") as con:
        for query in queries:
            assert con.sql(query).fetchall(), query
        assert con.sql(queries[0]).fetchall() == [(2022, "failed", 3), (2022, "passed", 3), (2023, "failed", 6),
                                                  (2024, "failed", 6)]  # the output the docs show


def test_an_empty_dataset_reads_as_empty_tables(tmp_path):
    (tmp_path / "empty").mkdir()
    dataset.export([tmp_path / "empty"], tmp_path / "ds")
    assert len(dataset.read(tmp_path / "ds", "cells")) == 0
    assert dataset.read(tmp_path / "ds", "reports").column("verdict").to_pylist() == ["unreadable"]
    shutil.rmtree(tmp_path / "ds")


def test_worker_processes_give_the_dataset_of_one_process(tmp_path, monkeypatch):
    import govspec.check.parallel as parallel
    import govspec.dataset.pieces as pieces
    monkeypatch.setattr(parallel, "SMALL_BATCH", 0)
    monkeypatch.setattr(pieces, "CHUNK", 7)  # several pieces to a unit
    import govspec.dataset.update as update
    monkeypatch.setattr(update, "SPLIT_BYTES", 20_000)  # a.jsonl cut into byte ranges (an export's, not validate's)
    cut: list = []
    units = parallel.units
    monkeypatch.setattr(parallel, "units",
                        lambda paths, split=None, csv=True: cut.extend(found := units(paths, split, csv)) or found)
    started: list = []

    class Started(parallel.Processes):
        def __init__(self, jobs):
            super().__init__(jobs)
            started.append(self)
    monkeypatch.setattr(parallel, "Processes", Started)
    inputs = mixed_batch(tmp_path)
    dataset.export(inputs, tmp_path / "one", dataset.Options(jobs=1))
    assert any(unit.end is not None and unit.first > 1 for unit in cut)
    dataset.export(inputs, tmp_path / "two", dataset.Options(jobs=2))
    assert len(started) == 1 and started[0]._pool is None  # the workers stopped when the export is done
    for table in dataset.TABLES:
        assert dataset.read(tmp_path / "one", table).to_pylist() == dataset.read(tmp_path / "two", table).to_pylist()
    ids = dataset.read(tmp_path / "one", "reports").column("report_id").to_pylist()
    assert ids == list(range(1, len(ids) + 1))
    assert exported(tmp_path / "one") == validated(inputs)


def test_a_damaged_dataset_is_said_plainly(tmp_path, huaian):
    (tmp_path / "a.json").write_text(json.dumps(huaian, ensure_ascii=False), encoding="utf-8")
    dataset.export([tmp_path / "a.json"], tmp_path / "ds")
    next((tmp_path / "ds" / "cells").glob("*.parquet")).unlink()
    for args in (["export", str(tmp_path / "a.json"), "--to", str(tmp_path / "ds")],
                 ["validate", str(tmp_path / "a.json"), "--previous", str(tmp_path / "ds")]):
        result = CliRunner().invoke(main, [*args, "--lang", "en"])
        assert result.exit_code == 3 and "the dataset is damaged" in result.output, result.output
    (tmp_path / "ds" / MANIFEST).write_text('{"govspec_dataset": 1, "files": []}', encoding="utf-8")
    result = CliRunner().invoke(main, ["export", str(tmp_path / "a.json"), "--to", str(tmp_path / "ds")])
    assert result.exit_code == 3 and "manifest.json" in result.output and "Traceback" not in result.output
    dataset.export([tmp_path / "a.json"], tmp_path / "ds2")
    manifest = json.loads((tmp_path / "ds2" / MANIFEST).read_text(encoding="utf-8"))
    for broken in ({"files": {"a.json": {"reports": "1-1"}}}, {"tables": {"reports": ["../../elsewhere.parquet"]}},
                   {"parts": [{"own": 3}]}):
        (tmp_path / "ds2" / MANIFEST).write_text(json.dumps({**manifest, **broken}), encoding="utf-8")
        result = CliRunner().invoke(main, ["export", str(tmp_path / "a.json"), "--to", str(tmp_path / "ds2")])
        assert result.exit_code == 3 and "manifest.json" in result.output, (broken, result.output)


def test_a_dataset_inside_the_folder_it_reads_is_not_read_as_reports(tmp_path, huaian):
    (tmp_path / "a.json").write_text(json.dumps(huaian, ensure_ascii=False), encoding="utf-8")
    dataset.export([tmp_path], tmp_path / "ds")
    again = dataset.export([tmp_path], tmp_path / "ds")
    assert (again.added, again.kept) == (0, 1)
    assert [r["source"] for r in dataset.read(tmp_path / "ds").to_pylist()] == [str(tmp_path / "a.json")]


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="jemalloc is asked for on Linux only")
def test_export_asks_arrow_for_an_allocator_that_gives_memory_back():
    import subprocess
    pytest.importorskip("pyarrow")
    code = ("from govspec.dataset.needs import returning_allocator; returning_allocator(); import pyarrow; "
            "print(pyarrow.default_memory_pool().backend_name)")
    env = {k: v for k, v in os.environ.items() if k != "ARROW_DEFAULT_MEMORY_POOL"}
    env["PYTHONPATH"] = str(ROOT)
    assert subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env,
                          check=True).stdout.strip() == "jemalloc"
    env["ARROW_DEFAULT_MEMORY_POOL"] = "system"  # a choice made already is kept
    assert subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env,
                          check=True).stdout.strip() == "system"


def test_reports_judged_across_are_found_among_their_own_rows_or_said():
    np = pytest.importorskip("numpy")
    from govspec.dataset.across import _positions
    ids = np.array([3, 5, 9], dtype=np.int64)
    assert _positions(np, ids, [5, 9]).tolist() == [1, 2]
    for missing in ([4], [10], [3, 11]):
        with pytest.raises(LookupError):
            _positions(np, ids, missing)


def test_findings_across_reports_are_made_a_few_reports_at_a_time_and_the_dataset_is_the_same(tmp_path, monkeypatch):
    """The findings of the rules across reports are made for ``JUDGED_ROWS`` own rows at a time — 8,192 reports breaking
    the chain held 130 MB of them at once (an export of 80,000 such reports peaked at 285–320 MB, now 170–200 MB) —
    and the dataset is the same whatever that number."""
    import govspec.dataset.across as across
    inputs = mixed_batch(tmp_path)
    dataset.export(inputs, tmp_path / "whole", dataset.Options(jobs=1))
    made = []
    original = across._Judging.up_to

    def up_to(self, piece):
        found, findings = original(self, piece)
        made.append({row["report_id"] for row in findings})
        return found, findings
    monkeypatch.setattr(across._Judging, "up_to", up_to)
    monkeypatch.setattr(across, "JUDGED_ROWS", 3)
    dataset.export(inputs, tmp_path / "few", dataset.Options(jobs=1))
    for table in dataset.TABLES:
        assert dataset.read(tmp_path / "few", table).to_pylist() == dataset.read(tmp_path / "whole", table).to_pylist()
    assert len(made) > 1 and max(len(reports) for reports in made) <= 3


def test_csv_files_are_written_in_report_order_the_same_every_time_whatever_order_the_parts_are_listed_in(
        tmp_path, monkeypatch, huaian):
    """``--csv`` writes each table in report order, a report's rows as its files hold them (cells in the spec's order),
    read as they are when the files are in that order — sorting the cells of 100,000 reports took 9.5 GB and put a
    report's cells in an order that changed from run to run — and sorted by report, file and row when they are not;
    the wide view a range of reports at a time: the same bytes however many at a time."""
    from govspec.dataset import views
    inputs = mixed_batch(tmp_path)
    dataset.export(inputs, tmp_path / "ds", dataset.Options(jobs=1))
    (tmp_path / "batch" / "f.json").write_text(json.dumps(year_of_body(huaian, 2024, "机关9"), ensure_ascii=False),
                                              encoding="utf-8")
    dataset.export(inputs, tmp_path / "ds", dataset.Options(jobs=1))  # a second part, of later reports

    def written(folder):
        return {Path(p).name: Path(p).read_bytes() for p in views.write_csv(tmp_path / "ds", tmp_path / folder)}
    first = written("a")
    assert written("b") == first
    cells = [(c["report_id"], c["cell"]) for c in dataset.read(tmp_path / "ds", "cells").to_pylist()]
    lines = first["cells.csv"].decode("utf-8-sig").splitlines()[1:]
    assert [tuple(line.split(",")[:2]) for line in lines] == [(str(i), f'"{c}"') for i, c in cells]
    manifest = json.loads((tmp_path / "ds" / MANIFEST).read_text(encoding="utf-8"))
    assert len(manifest["tables"]["cells"]) == 2
    for table in ("reports", "cells"):
        manifest["tables"][table].reverse()  # the later part first: sorted, the same rows in the same order
    (tmp_path / "ds" / MANIFEST).write_text(json.dumps(manifest), encoding="utf-8")
    assert not views._ordered(views._files(views._opened(tmp_path / "ds"), "cells"))
    monkeypatch.setattr(views, "SORTED_REPORTS", 3)  # sorted, and the wide view made, 3 reports at a time
    monkeypatch.setattr(views, "WIDE_REPORTS", 3)
    with dataset.connect(tmp_path / "ds") as con:
        assert len(list(views._in_report_order(con, views._opened(tmp_path / "ds"), "cells"))) > 2
    assert written("c") == first
