"""Rules across reports: the carry-over chain between consecutive years of the same body."""

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

import govspec
from govspec.check.across import body_of
from govspec.check.batch import Validator
from govspec.cli.main import main

ROOT = Path(__file__).resolve().parent.parent
ACROSS_CODES = {"no-previous-report"}


def example(name: str) -> dict:
    return json.loads((ROOT / "examples" / name).read_text(encoding="utf-8"))


def year_of(document: dict, year: int, carried_over: dict | None = None, version: str | None = None) -> dict:
    document = json.loads(json.dumps(document))
    document["report"]["year"] = year
    document["report"].pop("published", None)
    if version:
        document["version"] = version
    for column, value in (carried_over or {}).items():
        document["tables"]["applications"]["carried_over"][column] = value
    return document


def run_batch(tmp_path, documents, *options, fmt="json"):
    path = tmp_path / "batch.jsonl"
    path.write_text("".join(json.dumps(d, ensure_ascii=False) + "\n" for d in documents), encoding="utf-8")
    result = CliRunner().invoke(main, ["validate", str(path), "--format", fmt, *options], catch_exceptions=False)
    return result, (json.loads(result.output) if fmt == "json" else result.output)


def consistent_pair():
    """The 淮安 2024 report, and a 2025 report whose carried-over row equals 2024's carried-forward row."""
    first = year_of(example("huaian-city-2024.json"), 2024)
    forward = first["tables"]["applications"]["carried_forward"]
    second = year_of(first, 2025)
    apps = second["tables"]["applications"]
    for column, value in forward.items():  # keep 2025 balanced: shift the difference into 一、新收
        apps["received"][column] += apps["carried_over"][column] - value
        apps["carried_over"][column] = value
    for row in ("rules", "normative_documents"):  # and documents in force: last year's + issued − repealed
        this, last = second["tables"]["proactive_disclosure"][row], first["tables"]["proactive_disclosure"][row]
        this["in_force"] = last["in_force"] + this["issued"] - this["repealed"]
    return first, second


def test_a_consistent_pair_has_no_finding_across_years(tmp_path):
    result, doc = run_batch(tmp_path, consistent_pair())
    assert result.exit_code == 0, doc["across_reports"]
    assert doc["across_reports"] == []  # 2024 has no 2023 report: counted in the summary below
    assert doc["summary"]["across"] == {"error": 0, "warning": 0, "info": 0, "without_previous_year": 1}


def test_a_broken_chain_is_an_error_with_both_reports(tmp_path):
    first, second = consistent_pair()
    apps = second["tables"]["applications"]
    for column in ("natural_person", "total"):  # still balanced within 2025, and its totals still add up
        apps["carried_over"][column] += 5
        apps["received"][column] -= 5
    result, doc = run_batch(tmp_path, [second, first])  # order does not matter
    assert result.exit_code == 1
    assert all(r["valid"] for r in doc["reports"])  # each report is consistent on its own
    violated = [f for f in doc["across_reports"] if f["code"] == "rule-violated"]
    assert [f["check"] for f in violated] == ["applications.carry_over_chain[natural_person]",
                                              "applications.carry_over_chain[total]"]
    finding = violated[0]
    assert finding["year"] == 2025 and finding["severity"] == "error"
    assert finding["source"].endswith(":1") and finding["previous_source"].endswith(":2")
    assert finding["reported"] - finding["computed"] == 5
    assert "上一年度" in finding["message"]
    _, text = run_batch(tmp_path, [second, first], fmt="text")
    assert "跨年度检查" in text and "applications.carry_over_chain[natural_person]" in text


def test_a_lone_year_is_not_checkable(tmp_path):
    result, doc = run_batch(tmp_path, [year_of(example("huaian-city-2024.json"), 2024)])
    assert result.exit_code == 0
    assert doc["across_reports"] == []
    assert doc["summary"]["across"]["without_previous_year"] == 1
    validator = Validator()
    path = tmp_path / "one.json"
    path.write_text(json.dumps(year_of(example("huaian-city-2024.json"), 2024), ensure_ascii=False), encoding="utf-8")
    list(validator.run([path]))
    [lone] = validator.across()
    assert lone.finding.code == "no-previous-report" and "2023" in govspec.message(lone.finding)
    _, text = run_batch(tmp_path, [year_of(example("huaian-city-2024.json"), 2024),
                                   year_of(example("hegang-justice-2020-corrected.json"), 2020)], fmt="text")
    assert "另有 2 份报告在本批次中没有同一机关上一年度的报告" in text


def test_the_chain_holds_across_the_2020_to_2021_template_change(tmp_path):
    old = year_of(example("hegang-justice-2020-corrected.json"), 2020)
    new = year_of(example("huaian-city-2024.json"), 2021)
    new["report"]["agency"] = old["report"]["agency"]
    forward = old["tables"]["applications"]["carried_forward"]
    apps = new["tables"]["applications"]
    for column, value in forward.items():
        apps["received"][column] += apps["carried_over"][column] - value
        apps["carried_over"][column] = value
    result, doc = run_batch(tmp_path, [old, new])
    assert result.exit_code == 0
    checked = [f for f in doc["across_reports"] if f["year"] == 2021]
    # the carry-over chain holds; the 2021 documents-in-force chain cannot reach a 2019-format report
    assert {(f["code"], f["rule"]) for f in checked} == {
        ("rule-not-checkable", "proactive_disclosure.in_force_chain")}
    apps["carried_over"]["total"] += 1
    apps["received"]["total"] -= 1
    _, doc = run_batch(tmp_path, [old, new])
    assert [f["check"] for f in doc["across_reports"] if f["code"] == "rule-violated"] == [
        "applications.carry_over_chain[total]"]


def test_the_weak_documents_in_force_chain_is_a_warning(tmp_path):
    first, second = consistent_pair()
    rules = second["tables"]["proactive_disclosure"]["rules"]
    rules["in_force"] = first["tables"]["proactive_disclosure"]["rules"]["in_force"] + rules["issued"] - \
        rules["repealed"] + 2
    result, doc = run_batch(tmp_path, [first, second])
    assert result.exit_code == 0  # a warning
    [finding] = [f for f in doc["across_reports"] if f["code"] == "rule-violated"]
    assert finding["severity"] == "warning" and finding["check"] == "proactive_disclosure.in_force_chain[rules]"


@pytest.mark.parametrize("a,b,same", [
    ({"agency": "淮安市人民政府"}, {"agency": " 淮安市 人民政府 "}, True),
    ({"agency": "淮安市人民政府"}, {"agency": "淮安市人民政府"}, True),
    ({"agency": "棲霞區交通運輸局"}, {"agency": "栖霞区交通运输局"}, True),
    ({"agency": "淮安市人民政府", "agency_code": "A1"}, {"agency": "淮安市政府", "agency_code": "A1"}, True),
    ({"agency": "淮安市人民政府", "agency_code": "A1"}, {"agency": "淮安市人民政府", "agency_code": "A2"}, False),
    ({"agency": "淮安市人民政府"}, {"agency": "淮安市司法局"}, False),
])
def test_bodies_are_matched_by_code_or_normalised_name(a, b, same):
    assert (body_of(a) == body_of(b)) is same


def test_fast_and_detailed_paths_keep_the_same_values_for_the_chain(tmp_path):
    first, second = consistent_pair()
    second["tables"]["applications"]["carried_over"]["total"] += 1
    second["tables"]["applications"]["received"]["total"] -= 1
    path = tmp_path / "x.jsonl"
    path.write_text("".join(json.dumps(d, ensure_ascii=False) + "\n" for d in (first, second)), encoding="utf-8")
    outcomes = []
    for fast in (True, False):
        validator = Validator(fast=fast)
        list(validator.run([path]))
        outcomes.append([(a.source, a.finding.code, a.finding.check, a.finding.reported, a.finding.computed)
                         for a in validator.across()])
    assert outcomes[0] == outcomes[1]
    assert any(code == "rule-violated" for _, code, *_ in outcomes[0])


def test_no_across_skips_the_rules_across_reports(tmp_path):
    first, second = consistent_pair()
    for column in ("natural_person", "total"):
        second["tables"]["applications"]["carried_over"][column] += 1
        second["tables"]["applications"]["received"][column] -= 1
    result, doc = run_batch(tmp_path, [first, second], "--no-across")
    assert result.exit_code == 0 and doc["across_reports"] == []
    result, doc = run_batch(tmp_path, [first, second])
    assert result.exit_code == 1
