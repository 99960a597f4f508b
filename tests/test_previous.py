"""``govspec validate NEW/ --previous DATASET``: last year's reports kept in a dataset judge this year's exactly as
if both years were passed together (issue 15)."""

import json
import random

import pytest
from click.testing import CliRunner
from conftest import load_example, year_of_body
from hypothesis import given
from hypothesis import strategies as st

from govspec import dataset
from govspec.check.batch import Validator
from govspec.cli.main import main
from govspec.present.json_report import report_json, unreadable_json

HUAIAN = load_example("examples/huaian-city-2024.json")


def _write(path, documents) -> str:
    path.write_text("".join(json.dumps(d, ensure_ascii=False) + "\n" for d in documents), encoding="utf-8")
    return str(path)


def two_years(tmp_path, seed: int = 7):
    """Last year's and this year's files: carry-overs that hold and that break, bodies without last year, two
    differing reports of one body last year, last year's report published again this year, agency codes, a cell of
    either year not read from its source."""
    rng = random.Random(seed)
    last, this = [], []
    for body in range(12):
        name = f"机关{body}"
        earlier = year_of_body(HUAIAN, 2023, name)
        if body % 4 == 0:
            earlier["report"]["agency_code"] = f"11110105MB{body:07d}X"
        forward = earlier["tables"]["applications"]["carried_forward"]
        later = year_of_body(HUAIAN, 2024, name)
        later["report"]["agency_code"] = earlier["report"].get("agency_code")
        if later["report"]["agency_code"] is None:
            del later["report"]["agency_code"]
        for column, value in forward.items():
            later["tables"]["applications"]["carried_over"][column] = value + (rng.randint(1, 3) if body % 3 == 1 else 0)
        if body == 6:  # last year's carried-forward total not read from its source: this year's check not checkable
            earlier["tables"]["applications"]["carried_forward"]["total"] = None
            earlier["unseen"] = ["applications.carried_forward.total"]
        if body == 7:  # this year's carried-over total not read from its source
            later["tables"]["applications"]["carried_over"]["total"] = None
            later["unseen"] = ["applications.carried_over.total"]
        if body != 5:  # no report of the year before for 机关5
            last.append(earlier)
        this.append(later)
    last.append(year_of_body(HUAIAN, 2023, "机关2", shift=4))  # 机关2 had two differing reports last year
    this.append(last[3])  # last year's report of 机关3, published again
    return _write(tmp_path / "2023.jsonl", last), _write(tmp_path / "2024.jsonl", this)


def results(paths, previous=()) -> dict:
    validator = Validator()
    for path in previous:
        dataset.judge_against(validator, path)
    return {r.source: json.dumps(report_json(r, "en") if hasattr(r, "spec") else unreadable_json(r, "en"), sort_keys=True)
            for r in validator.run(paths)}


def test_last_years_dataset_judges_this_year_as_passing_both_together(tmp_path):
    last, this = two_years(tmp_path)
    dataset.export([last], tmp_path / "ds")
    together = results([last, this])
    alone = results([this], previous=[tmp_path / "ds"])
    assert alone == {source: text for source, text in together.items() if source.startswith(this)}
    joined = "".join(alone.values())
    for code in ("rule-violated", "previous-report-ambiguous", "duplicate-copy"):
        assert f'"{code}"' in joined
    assert joined.count('"not_evaluated_because": "unseen", "position": null, "previous_source": "') == 2  # 机关6, 7
    assert results([this]) != alone  # without the dataset, nothing of the kind


def test_the_cli_gives_the_same_output_as_passing_both_years(tmp_path):
    last, this = two_years(tmp_path)
    dataset.export([last], tmp_path / "ds")
    both = CliRunner().invoke(main, ["validate", last, this, "--format", "json"])
    alone = CliRunner().invoke(main, ["validate", this, "--previous", str(tmp_path / "ds"), "--format", "json"])
    assert alone.exit_code == 1
    pick = [r for r in json.loads(both.stdout)["reports"] if r["source"].startswith(this)]
    assert json.loads(alone.stdout)["reports"] == pick


def test_a_report_read_again_from_the_same_source_is_not_its_own_copy(tmp_path):
    last, this = two_years(tmp_path)
    dataset.export([last, this], tmp_path / "ds")
    assert results([this], previous=[tmp_path / "ds"]) == {s: t for s, t in results([last, this]).items()
                                                           if s.startswith(this)}


def test_previous_needs_the_rules_across_reports_and_a_dataset(tmp_path):
    last, this = two_years(tmp_path)
    result = CliRunner().invoke(main, ["validate", this, "--previous", str(tmp_path), "--no-across"])
    assert result.exit_code == 2
    result = CliRunner().invoke(main, ["validate", this, "--previous", str(tmp_path), "--lang", "en"])
    assert result.exit_code == 3 and "not a govspec dataset" in result.output


@given(st.integers(0, 10_000))
def test_any_generated_pair_of_years_agrees(tmp_path_factory, seed):
    pytest.importorskip("pyarrow")
    tmp_path = tmp_path_factory.mktemp("years")
    last, this = two_years(tmp_path, seed)
    dataset.export([last], tmp_path / "ds")
    assert results([this], previous=[tmp_path / "ds"]) == {s: t for s, t in results([last, this]).items()
                                                           if s.startswith(this)}


def test_last_years_dataset_goes_into_the_ledger_a_part_at_a_time_and_judges_the_same(tmp_path, monkeypatch):
    """A dataset's reports are read into the ledger's file a part of its reports table at a time, not held whole first
    (a dataset of 400,000 reports took 485 MB, now 150 MB): the same findings whatever the size of the parts."""
    import govspec.dataset.across as across
    from govspec.check.across import Ledger
    last, this = two_years(tmp_path)
    dataset.export([last], tmp_path / "ds")
    whole = results([this], previous=[tmp_path / "ds"])
    parts = []
    original = Ledger.add_elsewhere

    def add_elsewhere(self, rows, specs):
        parts.append(len(rows))
        return original(self, rows, specs)
    monkeypatch.setattr(Ledger, "add_elsewhere", add_elsewhere)
    monkeypatch.setattr(across, "BATCH", 3)
    assert results([this], previous=[tmp_path / "ds"]) == whole
    assert len(parts) > 1 and max(parts) <= 3
    rows, _ = dataset.previous_rows(tmp_path / "ds")  # the parts held together, numbered on from part to part
    assert [row[0] for row in rows] == list(range(-1, -1 - sum(parts), -1))
