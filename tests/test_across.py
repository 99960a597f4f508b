"""Rules across reports: the carry-over chain between consecutive years of the same body."""

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

import govspec
from govspec.check.batch import Validator
from govspec.check.bodies import body_of
from govspec.cli.main import main

ROOT = Path(__file__).resolve().parent.parent
ACROSS_CODES = {"no-previous-report", "previous-report-ambiguous", "duplicate-report", "duplicate-copy",
                "previous-report-named-differently"}  # test_cases.py


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


def across_findings(doc: dict) -> list[dict]:
    """The findings of the rules across reports, each inside the report it judges, with that report's year."""
    return [dict(f, source=r["source"], year=r["report"].get("year")) for r in doc["reports"]
            for f in r.get("findings", ()) if f["previous_source"]]


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
    assert result.exit_code == 0, across_findings(doc)
    assert across_findings(doc) == []  # 2024 has no 2023 report: counted in the summary below
    assert doc["summary"]["across"] == {"error": 0, "warning": 0, "without_previous_year": 1}
    assert [r["verdict"] for r in doc["reports"]] == ["passed", "passed"]


def test_a_broken_chain_is_an_error_with_both_reports(tmp_path):
    first, second = consistent_pair()
    apps = second["tables"]["applications"]
    for column in ("natural_person", "total"):  # still balanced within 2025, and its totals still add up
        apps["carried_over"][column] += 5
        apps["received"][column] -= 5
    result, doc = run_batch(tmp_path, [second, first])  # order does not matter
    assert result.exit_code == 1
    # the later report fails: the rules across reports judge it; the earlier one passes
    assert [r["verdict"] for r in doc["reports"]] == ["failed", "passed"]
    assert doc["summary"]["failed"] == 1 and doc["summary"]["across"]["error"] == 1
    violated = [f for f in across_findings(doc) if f["code"] == "rule-violated"]
    assert [f["check"] for f in violated] == ["applications.carry_over_chain[natural_person]",
                                              "applications.carry_over_chain[total]"]
    finding = violated[0]
    assert finding["year"] == 2025 and finding["severity"] == "error"
    assert finding["source"].endswith(":1") and finding["previous_source"].endswith(":2")
    assert finding["reported"] - finding["computed"] == 5
    assert "上一年度" in finding["message"]
    _, text = run_batch(tmp_path, [second, first], fmt="text")
    later = text.split("\n\n")[0]  # the 2025 report's own block
    assert "结论: 不通过" in later and "applications.carry_over_chain[natural_person]" in later
    assert "← 上一年度报告:" in later


def test_a_lone_year_is_not_checkable(tmp_path):
    result, doc = run_batch(tmp_path, [year_of(example("huaian-city-2024.json"), 2024)])
    assert result.exit_code == 0 and doc["reports"][0]["verdict"] == "passed"  # outside the verdict
    assert across_findings(doc) == []
    assert doc["summary"]["across"]["without_previous_year"] == 1
    validator = Validator()
    path = tmp_path / "one.json"
    path.write_text(json.dumps(year_of(example("huaian-city-2024.json"), 2024), ensure_ascii=False), encoding="utf-8")
    [report] = list(validator.run([path]))
    assert validator.across() == [] and validator.without_previous == 1
    assert [f.code for f in report.findings] == ["deadline-not-checked"]  # no publication date, nothing across
    [(_, [lone])] = list(_ledger_of(report).by_report())
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
    checked = [f for f in across_findings(doc) if f["year"] == 2021]
    # the carry-over chain holds; the 2021 documents-in-force chain cannot reach a 2019-format report
    assert {(f["code"], f["rule"]) for f in checked} == {
        ("rule-not-checkable", "proactive_disclosure.in_force_chain")}
    apps["carried_over"]["total"] += 1
    apps["received"]["total"] -= 1
    _, doc = run_batch(tmp_path, [old, new])
    assert [f["check"] for f in across_findings(doc) if f["code"] == "rule-violated"] == [
        "applications.carry_over_chain[total]"]


def test_the_weak_documents_in_force_chain_is_a_warning(tmp_path):
    first, second = consistent_pair()
    rules = second["tables"]["proactive_disclosure"]["rules"]
    rules["in_force"] = first["tables"]["proactive_disclosure"]["rules"]["in_force"] + rules["issued"] - \
        rules["repealed"] + 2
    result, doc = run_batch(tmp_path, [first, second])
    assert result.exit_code == 0  # a warning
    [finding] = [f for f in across_findings(doc) if f["code"] == "rule-violated"]
    assert finding["severity"] == "warning" and finding["check"] == "proactive_disclosure.in_force_chain[rules]"


def _ledger_of(report):
    from govspec.check.across import Ledger
    ledger = Ledger()
    ledger.add(report, 0)
    return ledger


def test_every_copy_of_a_report_is_checked_whatever_the_order(tmp_path):
    """Two reports of one body and year: both are judged against the year before (the same verdicts in any
    order); the year after, with two differing candidates, is not checkable — never one of them by chance."""
    first, second = consistent_pair()
    changed = json.loads(json.dumps(second))
    changed["tables"]["applications"]["carried_over"]["total"] += 1  # breaks the chain and its own balance
    changed["tables"]["applications"]["received"]["total"] -= 1
    orders = ([first, second, changed], [changed, second, first], [second, first, changed])
    verdicts = []
    for documents in orders:
        _, doc = run_batch(tmp_path, documents)
        verdicts.append(sorted((r["report"]["year"], r["verdict"],
                                tuple(sorted(f["check"] for f in r["findings"] if f["code"] == "rule-violated")))
                               for r in doc["reports"]))
    assert verdicts[0] == verdicts[1] == verdicts[2]
    third = year_of(second, 2026, {})
    _, doc = run_batch(tmp_path, [first, second, changed, third])
    [ambiguous] = [f for f in across_findings(doc) if f["year"] == 2026]
    assert ambiguous["code"] == "previous-report-ambiguous" and "2 份不同的报告" in ambiguous["message"]
    _, doc = run_batch(tmp_path, [first, second, json.loads(json.dumps(second)), third])  # identical copies: one
    codes = [f["code"] for f in across_findings(doc) if f["year"] == 2026]
    assert codes and "previous-report-ambiguous" not in codes  # checked against the one 2025 report


@pytest.mark.parametrize("a,b,same", [
    ({"agency": "淮安市人民政府"}, {"agency": " 淮安市 人民政府 "}, True),
    ({"agency": "淮安市人民政府"}, {"agency": "淮安市\u3000人民\u00a0政府\u2028\t"}, True),  # any Unicode space
    ({"agency": "淮安市人民政府"}, {"agency": "淮安市\u200b人民政府"}, False),  # a zero-width space is not one
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


def test_the_writers_results_keep_no_finding_across_reports_but_in_the_report_it_judges(tmp_path):
    """``Validator.results`` (what ``govspec validate`` writes from) gives each finding of the rules across reports in
    the report it judges, as ``run`` does, and does not keep them all for ``across()`` as well: a batch two years long
    whose reports break the chain held every finding to the end (30,000 reports with 160,000 findings: 290 MB)."""
    first, second = consistent_pair()
    second["tables"]["applications"]["carried_over"]["total"] += 1
    second["tables"]["applications"]["received"]["total"] -= 1
    path = tmp_path / "x.jsonl"
    path.write_text("".join(json.dumps(d, ensure_ascii=False) + "\n" for d in (first, second)), encoding="utf-8")
    validator = Validator()
    findings = [f for r in validator.run([path]) for f in r.findings]
    kept = validator.across()
    assert kept and all(a.finding in findings for a in kept)
    given = [f for r in validator.results([path]) for f in r.findings]
    assert given == findings and validator.across() == []


def test_no_across_skips_the_rules_across_reports(tmp_path):
    first, second = consistent_pair()
    for column in ("natural_person", "total"):
        second["tables"]["applications"]["carried_over"][column] += 1
        second["tables"]["applications"]["received"][column] -= 1
    result, doc = run_batch(tmp_path, [first, second], "--no-across")
    assert result.exit_code == 0 and across_findings(doc) == []
    result, doc = run_batch(tmp_path, [first, second])
    assert result.exit_code == 1


@pytest.mark.parametrize("which,row,value,why", [
    (1, "carried_over", None, "unseen"),       # this year's cell not shown by its source
    (0, "carried_forward", None, "unseen"),    # last year's
    (0, "carried_forward", "十二", "invalid"),  # last year's, unusable
])
@pytest.mark.parametrize("fast", [True, False])
def test_a_cell_the_rules_across_reports_read_that_was_not_read_is_not_checkable_never_zero(tmp_path, which, row,
                                                                                          value, why, fast):
    """The carry-over chain blanks as 0 (on_blank: zero), and a cell a published report did not show, or whose value
    could not be used, was kept as blank: the chain compared 103 with a 0 nobody read and failed the report."""
    pair = list(consistent_pair())
    pair[which]["tables"]["applications"][row]["total"] = value
    if why == "unseen":
        pair[which]["unseen"] = [f"applications.{row}.total"]
    result, doc = run_batch(tmp_path, pair, *(() if fast else ("--no-fast",)))
    later = doc["reports"][1]
    assert not [f for f in later["findings"] if f["code"] == "rule-violated"]
    [skipped] = [f for f in later["findings"] if f["previous_source"] and f["code"] == "rule-not-checkable"]
    assert skipped["check"] == "applications.carry_over_chain[total]" and skipped["not_evaluated_because"] == why
    assert later["verdict"] == "incomplete" and later["not_evaluated"].get(why)


def named(document: dict, agency: str, year: int, code: str | None = None) -> dict:
    document = year_of(document, year)
    document["report"]["agency"] = agency
    if code:
        document["report"]["agency_code"] = code
    return document


@pytest.mark.parametrize("earlier,later", [
    ("洪泽区人民政府", "淮安市洪泽区人民政府"), ("淮安市洪泽区人民政府", "洪泽区人民政府"),
    ("江苏省淮安市洪泽区人民政府", "洪泽区人民政府"), ("淮安市 洪泽区人民政府", "江苏省淮安市洪泽区人民政府"),
    ("洪泽区人民政府", "洪泽区政府"), ("淮安市洪泽区人民政府", "洪泽区政府"), ("淮安市人民政府", "淮安市政府")])
def test_a_body_whose_name_is_written_another_way_is_told_of_its_year_before_not_paired(tmp_path, earlier, later):
    """Found on two real WPS PDFs of one body (2023: 洪泽区人民政府, 2024: 淮安市洪泽区人民政府): the batch said the
    later report had no report of the year before, and nothing more."""
    first, second = consistent_pair()
    second["tables"]["applications"]["carried_over"]["total"] += 1  # would break the chain if they were paired
    result, doc = run_batch(tmp_path, [named(first, earlier, 2024), named(second, later, 2025)])
    [note] = [f for f in doc["reports"][1]["findings"] if f["code"] == "previous-report-named-differently"]
    assert note["severity"] == "info" and "2024" in note["message"] and "batch.jsonl:1" in note["message"]
    assert "".join(earlier.split()) in note["message"]
    assert not [f for f in doc["reports"][1]["findings"] if f["code"] == "rule-violated" and f["previous_source"]]
    assert doc["summary"]["across"]["without_previous_year"] == 2
    assert not [f for f in doc["reports"][0]["findings"] if f["code"] == "previous-report-named-differently"]


@pytest.mark.parametrize("earlier,later,code", [("淮安市人民政府", "苏州市人民政府", None),  # no place of its own left
                                                ("淮安市人民政府", "苏州市政府", None),
                                                ("洪泽区人民政府", "淮安市洪泽区教育局", None),
                                                ("洪泽区人民政府", "淮安市洪泽区人民政府", "11320829MB1234567X")])
def test_bodies_that_differ_otherwise_or_are_paired_by_code_get_no_note(tmp_path, earlier, later, code):
    first, second = consistent_pair()
    result, doc = run_batch(tmp_path, [named(first, earlier, 2024, code), named(second, later, 2025, code)])
    assert not [f for r in doc["reports"] for f in r["findings"] if f["code"] == "previous-report-named-differently"]
    assert doc["summary"]["across"]["without_previous_year"] == (1 if code else 2)


@pytest.mark.parametrize("seed", range(8))
def test_what_a_batch_shows_of_the_rules_across_reports_is_by_report_without_the_lone_reports(seed):
    """Ledger.judged (what the batch uses: the reports without a year before counted in the ledger file, at once when
    no year of the batch has its year before) gives the findings of Ledger.by_report less its no-previous-report ones,
    which it counts; Ledger.alone (what a dataset uses) lists the reports those were, in order."""
    import random

    from govspec.check.across import Ledger
    rng = random.Random(seed)
    first, second = consistent_pair()
    reports = []
    years = [[2023, 2024, 2025, 2026], [2023, 2025], [2024]][seed % 3]  # years with a year before, and without
    for n in range(rng.randint(1, 30)):
        document = year_of(rng.choice([first, second]), rng.choice(years))
        document["report"]["agency"] = rng.choice(["甲", "乙", "丙", "洪泽区人民政府", "淮安市洪泽区人民政府",
                                                    "江苏省淮安市洪泽区人民政府"])
        if rng.random() < 0.3:
            document["tables"]["applications"]["carried_over"]["total"] += rng.randint(1, 3)
        reports.append(govspec.validate(document, source=f"r{n}"))

    def ledger():
        kept = Ledger()
        for seq, report in enumerate(reports):
            kept.add(report, seq)
        return kept
    everything = list(ledger().by_report())
    alone, judged = ledger().judged()
    expected = [(seq, [i for i in items if i.finding.code != "no-previous-report"]) for seq, items in everything]
    assert list(judged) == [(seq, items) for seq, items in expected if items]
    assert alone == sum(i.finding.code == "no-previous-report" for _, items in everything for i in items)
    lone = [seq for seq, items in everything if any(i.finding.code == "no-previous-report" for i in items)]
    assert list(ledger().alone()) == lone


def test_a_batch_of_one_year_counts_its_reports_alone_but_not_a_datasets_and_reads_a_datasets_year_before(huaian):
    """A batch of one year's reports: each is counted without a report of the year before (at once: no year of the
    ledger has its year before) — not a dataset's report of the same year kept beside them; and a dataset's report of
    the year before is theirs."""
    from govspec.check.across import Ledger, ledger_row
    reports = [govspec.validate(year_of(huaian, 2024), source=f"r{n}.json") for n in range(3)]
    specs = {reports[0].spec.spec.ref: reports[0].spec}
    rows = [ledger_row(report, seq) for seq, report in enumerate(reports)]
    for year, alone in ((2024, 3), (2023, 0)):  # the dataset's report: of the batch's year, then of the year before
        ledger = Ledger()
        ledger.add_elsewhere([(-1, body, year, "old.json", *rest) for _, body, _, _, *rest in rows[:1]], specs)
        ledger.add_rows(rows, 0, specs)
        counted, judged = ledger.judged()
        assert counted == alone
        assert alone == 0 or list(judged) == []
        assert list(ledger.alone()) == list(range(alone))  # the batch's own, never the dataset's (numbered below 0)
        ledger.close()


def _copy_rows(seed: int, bodies: str, digests: list, most: int, most_elsewhere: int) -> tuple[list, list]:
    """Ledger rows of reports of a few bodies and two years, their values drawn from ``digests``, and some of them kept
    elsewhere too (a dataset's, numbered below 0)."""
    import random
    rng = random.Random(seed)
    ref = govspec.load_spec("gov-info-disclosure", "2021").spec.ref
    rows = [(seq, f"name:{rng.choice(bodies)}", rng.choice([2023, 2024]), f"{rng.choice('xyz')}{seq}.json", ref, "[]",
             rng.choice(digests)) for seq in range(rng.randint(2, most))]
    elsewhere = [(-1 - seq, body, year, "old/" + source, ref, vals, digest)
                 for seq, body, year, source, ref, vals, digest in rows[:rng.randint(0, most_elsewhere)]]
    return rows, elsewhere


def _named_copies(rows: list, elsewhere: list) -> list:
    """What ``Ledger.duplicates`` finds of ``rows`` with ``elsewhere`` kept beside them: (seq, [(code, params)])."""
    import govspec.check.across as across
    spec = govspec.load_spec("gov-info-disclosure", "2021")
    ledger = across.Ledger()
    ledger.add_elsewhere(elsewhere, {spec.spec.ref: spec})
    ledger.add_rows(rows, 0, {spec.spec.ref: spec})
    found = [(seq, [(f.code, dict(f.params)) for f in items]) for seq, items in ledger.duplicates()]
    ledger.close()
    return found


@pytest.mark.parametrize("seed", range(6))
def test_copies_are_named_the_same_whether_a_group_is_read_at_once_or_looked_up_report_by_report(seed, monkeypatch):
    """Small groups of one body and year are read once to name each report's copies; large ones through the
    index, a few at a time: both name the same reports in the same order (no values first, then by values and
    source), reports kept elsewhere (a dataset's, numbered below 0) among them."""
    import govspec.check.across as across
    rows, elsewhere = _copy_rows(seed, "甲乙丙", [None, "a", "b", "c"], 40, 5)

    def named():
        return _named_copies(rows, elsewhere)
    at_once = named()
    monkeypatch.setattr(across, "SMALL_GROUP", 0)
    assert named() == at_once and at_once
    monkeypatch.setattr(across, "MAX_NAMED", 2)
    by_index = named()
    monkeypatch.setattr(across, "SMALL_GROUP", 64)
    assert named() == by_index


@pytest.mark.parametrize("seed", range(8))
def test_each_report_of_a_group_names_its_copies_and_the_reports_that_differ_as_a_plain_reading_would(seed,
                                                                                                 monkeypatch):
    """The copies a report's findings name, worked out here the plainest way — every other report of its body and year,
    no values first, then by values and source; those with its values, those without — for groups on both sides of
    SMALL_GROUP (read at once, or looked up through the index), with reports kept elsewhere among them."""
    import govspec.check.across as across
    monkeypatch.setattr(across, "SMALL_GROUP", 6)
    monkeypatch.setattr(across, "MAX_NAMED", 3)
    rows, elsewhere = _copy_rows(seed, "甲乙丙丁", [None, "a", "a", "b"], 60, 8)
    found = dict(_named_copies(rows, elsewhere))
    everyone = rows + elsewhere
    expected = {}
    for seq, body, year, _, _, _, digest in rows:
        others = sorted((r for r in everyone if r[1:3] == (body, year) and r[0] != seq),
                        key=lambda r: (r[6] is not None, r[6] or "", r[3]))
        same = [r[3] for r in others if digest is not None and r[6] == digest]
        differ = [r[3] for r in others if digest is None or r[6] != digest]
        items = []
        if differ:
            items.append(("duplicate-report", {"year": year, "count": len(differ),
                                               "sources": across.listed(differ, len(differ), 3)}))
        if same:
            items.append(("duplicate-copy", {"year": year, "count": len(same),
                                             "sources": across.listed(same, len(same), 3)}))
        if items:
            expected[seq] = items
    assert found == expected
    assert list(found) == sorted(found)


def test_a_validator_run_again_judges_each_batch_on_its_own(tmp_path):
    """The same validator checking one batch after another (as a program checking files one at a time does): each
    run's copies are named from that run only, a lone report is judged again, and the counts are the run's."""
    first, _ = consistent_pair()
    one, two = tmp_path / "one.jsonl", tmp_path / "two.jsonl"
    for path in (one, two):  # the same report twice in each file: copies of each other
        path.write_text(2 * (json.dumps(first, ensure_ascii=False) + "\n"), encoding="utf-8")
    lone = tmp_path / "lone.json"
    lone.write_text(json.dumps(first, ensure_ascii=False), encoding="utf-8")

    def copies(validator, path):
        return [(r.source, [f.params["sources"] for f in r.findings if f.code == "duplicate-copy"])
                for r in validator.run([path])]

    validator = Validator()
    assert copies(validator, one) == [(f"{one}:1", [f"{one}:2"]), (f"{one}:2", [f"{one}:1"])]
    assert validator.without_previous == 2
    assert copies(validator, two) == [(f"{two}:1", [f"{two}:2"]), (f"{two}:2", [f"{two}:1"])]
    assert validator.without_previous == 2
    for _ in range(2):  # a lone report, twice: no copy of itself from the run before
        assert copies(validator, lone) == [(str(lone), [])]
        assert validator.without_previous == 1


@pytest.mark.parametrize("seed", range(8))
def test_each_report_is_judged_by_the_versions_of_its_year_before(seed, monkeypatch):
    """The report of the year before, worked out once per body and year (govspec/check/previous.py), is what
    comparing each report with every report of its year before gives: none — not checkable; one version (identical
    copies are one), the source of its last copy; several — ambiguous, their count, the first sources by name of
    each version's last copy, the others counted."""
    import random

    import govspec.check.across as across
    from govspec.check.across import Ledger, ledger_row, listed
    monkeypatch.setattr(across, "MAX_NAMED", random.Random(seed).choice([1, 2, 5]))
    rng = random.Random(seed)
    first, second = consistent_pair()
    versions = [year_of(first, 2000), year_of(second, 2000)]
    versions[1]["tables"]["applications"]["carried_over"]["total"] += 1
    reports = []
    for n in range(rng.randint(2, 40)):
        document = year_of(rng.choice(versions), rng.choice([2023, 2024, 2025]))
        document["report"]["agency"] = rng.choice(["甲", "乙", "丙"])
        reports.append(govspec.validate(document, source=f"{rng.choice('xyz')}{n}.json"))
    ledger = Ledger()
    for seq, report in enumerate(reports):
        ledger.add(report, seq)
    found = dict(ledger.by_report())
    rows = [ledger_row(report, seq) for seq, report in enumerate(reports)]
    for seq, body, year, *_ in rows:
        before = [row for row in rows if row[1] == body and row[2] == year - 1]  # in sequence order
        # each version's last copy (its values: words, kept as a bytearray for the ledger file, or JSON text)
        last = {(row[4], row[5] if isinstance(row[5], str) else bytes(row[5])): row[3] for row in before}
        [item, *_] = found[seq]
        if not last:
            assert item.finding.code == "no-previous-report" and item.previous_source is None
        elif len(last) == 1:
            assert item.finding.code != "previous-report-ambiguous" and item.previous_source == [*last.values()][0]
        else:
            names = sorted(last.values())
            assert item.finding.code == "previous-report-ambiguous" and item.previous_source == names[0]
            assert item.finding.params["count"] == len(names)
            assert item.finding.params["sources"] == listed(names, len(names), across.MAX_NAMED)


def test_naming_the_copies_of_a_large_group_takes_work_in_proportion_to_its_size():
    """A body's reports of one year past SMALL_GROUP are named through the index, report by report: the query that
    finds them joined each with every report of its group all the same (a condition on the group's size, in the join,
    was checked row by row), so 20,000 copies of one report took 20 s and 1,000,000 never ended.  Counted in SQLite's
    steps, not timed: four times the reports, some four times the steps (sixteen times, before)."""
    import govspec.check.across as across
    spec = govspec.load_spec("gov-info-disclosure", "2021")

    def steps(count: int) -> int:
        ledger = across.Ledger()
        ledger.add_rows([(seq, "name:甲", 2024, f"r{seq}.json", spec.spec.ref, "[]", "a") for seq in range(count)], 0,
                        {spec.spec.ref: spec})
        counted = [0]

        def step() -> int:
            counted[0] += 1
            return 0
        assert ledger._db is not None
        ledger._db.set_progress_handler(step, 100)
        found = list(ledger.duplicates())
        ledger.close()
        assert len(found) == count and found[0][1][0].params["count"] == count - 1
        return counted[0]
    small, large = steps(500), steps(2000)
    assert large < 6 * small, (small, large)


def test_finding_the_large_groups_copies_reads_those_groups_not_every_report_of_the_batch():
    """The statements that find the reports of the large groups (past SMALL_GROUP) start from the groups, each report of
    theirs found through the index: a batch of distinct bodies pays nothing there (joined the other way, SQLite read
    every report of the batch and looked its group up, some 0.5 µs a report)."""
    import govspec.check.across as across
    spec = govspec.load_spec("gov-info-disclosure", "2021")
    ledger = across.Ledger()
    rows = [(seq, f"name:{seq // 2}", 2024, f"r{seq}.json", spec.spec.ref, "[]", "a") for seq in range(200)]
    ledger.add_rows(rows, 0, {spec.spec.ref: spec})
    assert ledger._db is not None
    statements: list = []
    ledger._db.set_trace_callback(statements.append)
    found = list(ledger.duplicates())
    assert len(found) == 200
    large = [s for s in statements if "groups AS g" in s and f"g.n > {across.SMALL_GROUP}" in s]
    assert len(large) == 2, statements
    for statement in large:
        plan = [row[3] for row in ledger._db.execute("EXPLAIN QUERY PLAN " + statement[statement.index("SELECT"):])]
        assert plan[0] == "SCAN g" and any(step.startswith("SEARCH r USING") for step in plan), plan
    ledger.close()


def test_the_ledger_binds_a_reports_words_as_a_bytearray_and_reads_back_the_same_bytes(tmp_path, huaian):
    """Python's sqlite3 binds a ``bytearray`` as it is and a ``bytes`` object only after looking for an adapter of its
    type (some 1 µs of the 3.5 an insert costs): a ledger row holds its words as a bytearray, kept in the file as the
    same BLOB, read back as bytes — for a clean report and for a broken one alike."""
    import govspec.check.across as across
    from govspec.check.light import Failing, Light
    broken = json.loads(json.dumps(huaian))
    broken["tables"]["applications"]["received"]["total"] += 1
    lines = [json.dumps(document, ensure_ascii=False) for document in (huaian, broken) for _ in range(40)]
    (tmp_path / "a.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    results = list(Validator()._run([str(tmp_path / "a.jsonl")], light=True))
    assert {type(r) for r in results} == {Light, Failing}  # both wait light
    ledger = across.Ledger()
    for seq, result in enumerate(results):
        row = across.ledger_row(result, seq)
        assert row is not None and type(row[5]) is bytearray and len(row[5]) == 8 * len(result.spec.across_cells)
        ledger.add(result, seq)
        if type(result) is Failing:  # as the report it becomes keeps them
            assert across.ledger_row(result.report(False), seq) == row
    list(ledger.duplicates())  # written to the file
    assert ledger._db is not None
    kept = ledger._db.execute("SELECT typeof(vals), vals FROM report ORDER BY seq").fetchall()
    assert [kind for kind, _ in kept] == ["blob"] * len(results)
    assert [vals for _, vals in kept] == [bytes(across.ledger_row(r, seq)[5]) for seq, r in enumerate(results)]
    assert all(type(vals) is bytes for _, vals in kept)
    ledger.close()
    from array import array

    from govspec.dataset.across import ledger_row as dataset_row  # a dataset's report, kept the same way
    row = dataset_row({"verdict": "passed", "body": "name:甲", "year": 2024, "report_id": 1, "source": "a.json",
                       "spec": "gov-info-disclosure", "spec_version": "2021", "across_values": "[1, 2]",
                       "content_hash": "h"})
    assert row is not None and type(row[5]) is bytearray and row[5] == array("q", [1, 2]).tobytes()
