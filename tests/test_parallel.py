"""A batch on several processes gives the reports, findings and order of one process (issue 12)."""

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import in_english

import govspec
import govspec.check.parallel as parallel
from govspec.check.batch import Validator
from govspec.cli.main import main
from govspec.io import writers
from govspec.present.json_report import report_json, unreadable_json

ROOT = Path(__file__).resolve().parent.parent
HUAIAN = json.loads((ROOT / "examples" / "huaian-city-2024.json").read_text(encoding="utf-8"))


def _year(document: dict, year: int, agency: str, shift: int = 0) -> dict:
    document = json.loads(json.dumps(document))
    document["report"].update(year=year, agency=agency)
    document["tables"]["applications"]["carried_over"]["total"] += shift
    return document


@pytest.fixture()
def batch(tmp_path):
    """Every kind of input across several files: carry-overs and copies across files, a broken line, a
    file split into byte ranges, an unreadable file, a folder with no report, a CSV."""
    folder = tmp_path / "batch"
    folder.mkdir()
    lines = []
    for i in range(60):
        lines.append(json.dumps(_year(HUAIAN, 2023 + i % 2, f"机关{i // 2}", shift=i % 7 == 0), ensure_ascii=False))
    lines.insert(17, '{"spec": "gov-info-disclosure", "tables": ')
    (folder / "a.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (folder / "b.jsonl").write_text("\n".join(lines[:20]) + "\n\n", encoding="utf-8")  # copies of a.jsonl's
    (folder / "c.json").write_text(json.dumps(_year(HUAIAN, 2025, "机关3"), ensure_ascii=False), encoding="utf-8")
    spec = govspec.load_spec("gov-info-disclosure", "2021")
    (folder / "d.csv").write_text(writers.to_csv_long(spec, _year(HUAIAN, 2022, "机关1")), encoding="utf-8-sig")
    (folder / "e.json").write_text("{", encoding="utf-8")
    (tmp_path / "empty").mkdir()
    return [str(folder), str(tmp_path / "empty")]


def _outcomes(validator: Validator, paths) -> list[str]:
    return [json.dumps(report_json(r, "en") if hasattr(r, "spec") else unreadable_json(r, "en"), sort_keys=True)
            for r in validator.run(paths)] + [str(validator.without_previous)]


def test_several_processes_give_the_results_of_one(batch, monkeypatch):
    monkeypatch.setattr(parallel, "SPLIT_BYTES", 20_000)  # a.jsonl is cut into ranges at line ends
    monkeypatch.setattr(parallel, "SMALL_BATCH", 0)
    assert any(u.end is not None and u.first > 1 for u in parallel.units(batch))
    one = _outcomes(Validator(jobs=1), batch)
    here = _outcomes(Validator(jobs=2, executor=parallel.InProcess()), batch)
    workers = _outcomes(Validator(jobs=2), batch)
    assert one == here == workers
    assert any('"duplicate-copy"' in o for o in one) and any('"previous_source": "' in o for o in one)
    assert any('"verdict": "unreadable"' in o for o in one)


def test_without_the_rules_across_reports_too(batch, monkeypatch):
    monkeypatch.setattr(parallel, "SMALL_BATCH", 0)
    assert _outcomes(Validator(jobs=1, across=False), batch) == _outcomes(Validator(jobs=2, across=False), batch)


def test_the_cli_gives_the_same_bytes_whatever_jobs(batch, monkeypatch):
    monkeypatch.setattr(parallel, "SMALL_BATCH", 0)
    monkeypatch.setattr(parallel, "SPLIT_BYTES", 20_000)
    for fmt in ("json", "text", "csv"):
        outputs = {jobs: CliRunner().invoke(main, in_english(["validate", *batch, "--format", fmt, "-j", jobs]))
                   for jobs in ("1", "2")}
        assert outputs["1"].exit_code == outputs["2"].exit_code == 3
        assert outputs["1"].stdout == outputs["2"].stdout


def test_jobs_is_a_number_or_auto():
    result = CliRunner().invoke(main, in_english(["validate", "examples", "-j", "0"]))
    assert result.exit_code == 2 and "auto" in result.output
    assert parallel.default_jobs() >= 1


def test_a_small_batch_stays_in_one_process(tmp_path):
    shutil.copy(ROOT / "examples" / "huaian-city-2024.json", tmp_path / "a.json")
    shutil.copy(ROOT / "examples" / "huaian-city-2024.json", tmp_path / "b.json")
    assert not parallel.worth_it(parallel.units([str(tmp_path)]), 2)


def test_a_compiled_spec_given_to_the_api_reaches_the_workers_by_its_file(batch, monkeypatch):
    monkeypatch.setattr(parallel, "SMALL_BATCH", 0)
    spec = govspec.load_spec("gov-info-disclosure", "2021")
    one = _outcomes(Validator(spec, jobs=1), batch)
    assert one == _outcomes(Validator(spec, jobs=2), batch)


def test_the_audit_page_data_is_the_same_whatever_jobs(batch, tmp_path, monkeypatch):
    monkeypatch.setattr(parallel, "SMALL_BATCH", 0)
    monkeypatch.setattr(parallel, "SPLIT_BYTES", 20_000)
    data = {}
    for jobs in ("1", "2"):
        out = tmp_path / f"audit{jobs}.json"
        result = CliRunner().invoke(main, ["audit", *batch, "--json", str(out), "-j", jobs])
        assert result.exit_code == 3, result.output
        data[jobs] = {k: v for k, v in json.loads(out.read_text(encoding="utf-8")).items() if k != "run"}
    assert data["1"] == data["2"]
