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
    assert [f.check for f in findings] == ["applications.row_total[received]", "applications.balance[total]"]
    assert findings[1].caused_by == ("applications.row_total[received]",)
    assert govspec.message(findings[0], "en").startswith("The total must equal")
    with pytest.raises(dataclasses.FrozenInstanceError):
        findings[0].severity = "info"  # findings are immutable values


def test_unreadable_input_raises_instance_error(tmp_path):
    with pytest.raises(govspec.InstanceError) as info:
        govspec.validate(tmp_path / "missing.json")
    assert info.value.exit_code == 3
