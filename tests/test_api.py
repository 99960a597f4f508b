"""The documented Python API (docs/api.md)."""

import dataclasses
from pathlib import Path

import pytest

import govspec

ROOT = Path(__file__).resolve().parent.parent


def test_load_spec_by_version_and_by_year():
    spec = govspec.load_spec("gov-info-disclosure", "2021")
    assert (spec.id, spec.version) == ("gov-info-disclosure", "2021")
    assert govspec.load_spec("gov-info-disclosure", year=2020).version == "2019"
    assert govspec.load_spec("gov-info-disclosure", year=2025).version == "2021"
    with pytest.raises(govspec.GovspecError):
        govspec.load_spec("gov-info-disclosure", year=2010)


def test_cells_and_rules_are_listed_with_labels():
    spec = govspec.load_spec("gov-info-disclosure", "2019")
    cell = spec.cell("review_litigation.cases.direct_total")
    assert cell.label_path("zh")["column_groups"] == ["行政诉讼", "未经复议直接起诉"]
    assert cell.label_path("en")["column"] == "Total"
    rule = next(r for r in spec.rules if r.id == "applications.balance")
    assert rule.decl.basis == "stated" and rule.decl.message["zh"].startswith("第一项加第二项")


def test_validate_a_file_and_a_dict_alike(hegang):
    from_file = govspec.validate(ROOT / "examples" / "hegang-justice-2020.json")
    from_dict = govspec.validate(hegang)
    assert from_file.findings == from_dict.findings
    assert not from_file.valid and not govspec.is_valid(hegang)
    assert from_file.source.endswith("hegang-justice-2020.json") and from_dict.source == "<instance>"


def test_iter_findings_yields_values(huaian):
    spec = govspec.load_spec("gov-info-disclosure", "2021")
    huaian["tables"]["applications"]["received"]["total"] = 3120
    findings = list(govspec.iter_findings(spec, huaian))
    assert [f.check or f.code for f in findings] == ["applications.row_total[received]", "applications.balance[total]",
                                                     "deadline-not-checked"]
    assert findings[1].caused_by == ("applications.row_total[received]",)
    assert govspec.message(findings[0], "en").startswith("The total must equal")
    with pytest.raises(dataclasses.FrozenInstanceError):
        findings[0].severity = "info"  # findings are immutable values


def test_unreadable_input_raises_instance_error(tmp_path):
    with pytest.raises(govspec.InstanceError) as info:
        govspec.validate(tmp_path / "missing.json")
    assert info.value.exit_code == 3


@pytest.mark.parametrize("old,name,new", [
    ("govspec.batch", "Validator", "govspec.check.batch"),
    ("govspec.accept", "load", "govspec.check.accept"),
    ("govspec.accept", "Acceptances", "govspec.check.accept"),
    ("govspec.render", "render_html", "govspec.present.render"),
    ("govspec.render", "render_markdown", "govspec.present.render"),
    ("govspec.solver", "random_instance", "govspec.rules.solver"),
    ("govspec.lint", "lint_file", "govspec.tools.lint"),
    ("govspec.diff", "diff", "govspec.tools.diff"),
    ("govspec.migration", "plan", "govspec.tools.migration"),
    ("govspec.migration", "apply", "govspec.tools.migration"),
    ("govspec.rulelang", "parse", "govspec.rules"),
    ("govspec.rulelang", "to_text", "govspec.rules"),
])
def test_the_entry_points_of_0_1_still_work_with_a_deprecation_warning(old, name, new):
    import importlib
    import sys
    sys.modules.pop(old, None)
    with pytest.warns(DeprecationWarning, match=f"{old} moved to {new}"):
        module = importlib.import_module(old)
    assert getattr(module, name) is getattr(importlib.import_module(new), name)


def test_the_public_names_and_documented_entry_points_import_without_warnings():
    from govspec.check.accept import Acceptances, load  # noqa: F401
    from govspec.check.batch import Validator  # noqa: F401
    from govspec.extract import extract_file  # noqa: F401
    from govspec.present.render import render_html, render_markdown  # noqa: F401
    from govspec.rules import parse, to_text  # noqa: F401
    from govspec.rules.solver import random_instance  # noqa: F401
    from govspec.testing import broken_instances, instances  # noqa: F401
    from govspec.tools.diff import diff  # noqa: F401
    from govspec.tools.lint import lint_file  # noqa: F401
    from govspec.tools.migration import apply, plan  # noqa: F401
    for name in govspec.__all__:
        assert getattr(govspec, name) is not None
    with pytest.raises(govspec.SpecNotFound, match="unknown spec 'nope'"):
        govspec.load_spec("nope", "2021")


@pytest.mark.parametrize("name", ["huaian-city-2024.pdf", "made-huaian-city-2024.docx", "made-huaian-city-2024.xlsx"])
def test_validate_reads_a_path_in_every_format_the_cli_reads(name):
    report = govspec.validate(ROOT / "tests" / "documents" / name)
    assert report.verdict == "passed" and report.metadata["agency"] == "淮安市人民政府"


def test_validate_reads_csv_and_one_line_json_lines_and_refuses_a_batch(tmp_path):
    import json

    from govspec.io import writers
    document = json.loads((ROOT / "examples" / "hegang-justice-2020.json").read_text(encoding="utf-8"))
    wide = tmp_path / "r.csv"
    wide.write_text(writers.to_csv_wide(govspec.load_spec("gov-info-disclosure", "2019"), [document]), encoding="utf-8")
    assert govspec.validate(wide).verdict == "failed"  # the published 鹤岗 report breaks two identities
    one, two = tmp_path / "one.jsonl", tmp_path / "two.jsonl"
    line = json.dumps(document, ensure_ascii=False)
    one.write_text(line + "\n", encoding="utf-8")
    two.write_text(line + "\n" + line + "\n", encoding="utf-8")
    assert govspec.validate(one).verdict == "failed"
    with pytest.raises(govspec.InstanceError, match="several reports"):
        govspec.validate(two)


def test_a_report_year_given_as_a_version_is_answered_with_the_template_that_governs_it():
    with pytest.raises(govspec.SpecNotFound, match="report year 2020 is governed by template version '2019'"):
        govspec.load_spec("gov-info-disclosure", "2020")
    with pytest.raises(govspec.SpecNotFound, match="did you mean '2021'"):
        govspec.load_spec("gov-info-disclosure", "2012x")


def test_a_report_becomes_the_json_shape_of_the_cli():
    import json

    from click.testing import CliRunner

    from govspec.cli.main import main
    path = ROOT / "examples" / "hegang-justice-2020.json"
    data = json.loads(json.dumps(govspec.as_json(govspec.validate(path), "en")))
    printed = json.loads(CliRunner().invoke(main, ["validate", str(path), "--format", "json", "--lang", "en",
                                                   "--no-fast"]).stdout)["reports"][0]
    assert data == printed and data["verdict"] == "failed"
    assert data["findings"][0]["equation"] and "message" in data["findings"][0]
    report = govspec.validate(path)
    assert json.loads(json.dumps(report.to_dict("en"))) == printed
    finding = report.findings[0]
    plain = json.loads(json.dumps(finding.to_dict("en")))  # dataclasses.asdict cannot copy its mappings
    assert plain == {k: v for k, v in printed["findings"][0].items() if k not in ("labels", "equation")}


def test_a_finding_is_explained_with_its_equation_and_numbers():
    report = govspec.validate(ROOT / "examples" / "hegang-justice-2020.json")
    finding = next(f for f in report.findings if f.check == "applications.balance[total]")
    text = report.explain(finding)
    assert text.splitlines()[0] == "✗ 错误 [rule-violated] applications.balance[total]"
    assert "(" + str(finding.reported) + ")" in text.replace(",", "") and "差额" in text
    assert report.explain(finding, "en").splitlines()[0] == "✗ error [rule-violated] applications.balance[total]"
