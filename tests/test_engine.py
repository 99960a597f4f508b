"""The engine on a synthetic spec defined only in the tests: every rule feature, exactly."""

import dataclasses
from decimal import Decimal
from pathlib import Path

import pytest

import govspec

SYNTHETIC = Path(__file__).parent / "specs" / "synthetic.yaml"


@pytest.fixture(scope="module")
def spec():
    return govspec.load_spec_file(SYNTHETIC)


def instance(budget=None, people=None):
    base_budget = {"staff": {"planned": "10.00", "spent": "9.50"},
                   "equipment": {"planned": "5.00", "spent": "4.00"},
                   "total": {"planned": "15.00", "spent": "13.50"}}
    base_people = {"staff": {"count": 3, "change": 0}, "leavers": {"count": 0}}
    for row, values in (budget or {}).items():
        base_budget.setdefault(row, {}).update(values)
    for row, values in (people or {}).items():
        base_people.setdefault(row, {}).update(values)
    return {"spec": "synthetic", "version": "1",
            "report": {"agency": "测试", "year": 2020, "kind": "department", "published": "2021-01-20"},
            "tables": {"budget": base_budget, "people": base_people}}


def checks(report, code="rule-violated"):
    return sorted(f.check for f in report.findings if f.code == code)


def test_consistent_instance_has_no_findings(spec):
    assert govspec.validate(instance(), spec=spec).findings == ()


def test_money_is_exact_decimal_with_declared_tolerance(spec):
    within = govspec.validate(instance(budget={"total": {"spent": "13.51"}}), spec=spec)
    assert checks(within) == []
    beyond = govspec.validate(instance(budget={"total": {"spent": "13.52"}}), spec=spec)
    assert checks(beyond) == ["budget.total[spent]"]
    finding = beyond.findings[0]
    assert finding.reported == Decimal("13.52") and finding.computed == Decimal("13.50")
    assert finding.difference == Decimal("0.02")


def test_float_arithmetic_would_be_wrong_here(spec):
    # 0.1 + 0.2 != 0.3 in binary floating point; exact decimals make it hold with zero slack.
    report = govspec.validate(instance(budget={"staff": {"planned": "0.1"}, "equipment": {"planned": "0.2"},
                                               "total": {"planned": "0.3", "spent": "0.3"}}), spec=spec)
    assert "budget.total[planned]" not in checks(report)


def test_inequality_and_skip_policy(spec):
    over = govspec.validate(instance(budget={"total": {"spent": "16.00"}, "staff": {"spent": "12.00"}}), spec=spec)
    assert checks(over) == ["budget.overspend"]
    assert next(f for f in over.findings if f.check == "budget.overspend").equation.op == ">"
    skipped = govspec.validate(instance(budget={"total": {"planned": None}}), spec=spec)
    assert "budget.overspend" in checks(skipped, "rule-not-checkable")


def test_conditional_rule_only_applies_when_its_condition_holds(spec):
    assert checks(govspec.validate(instance(budget={"staff": {"spent": "0"}, "total": {"spent": "4.00"}}),
                                   spec=spec)) == ["people.staff_needs_budget"]
    none = instance(people={"staff": {"count": 0}}, budget={"staff": {"spent": "0"}, "total": {"spent": "4.00"}})
    assert checks(govspec.validate(none, spec=spec)) == []


def test_reported_function_and_signed_counts(spec):
    report = govspec.validate(instance(people={"staff": {"change": -2}, "leavers": {"count": None}}), spec=spec)
    assert checks(report) == ["people.leavers_reported"]
    assert not any(f.code == "negative-value" for f in report.findings)


def test_linear_factor_and_rule_severity(spec):
    report = govspec.validate(instance(people={"leavers": {"count": 7}}), spec=spec)
    finding = next(f for f in report.findings if f.check == "people.double")
    assert finding.severity == "warning" and finding.reported == 11 and finding.computed == 10
    assert report.valid  # a warning does not make a report invalid
    assert finding.equation.left[0].factor == 2


def test_absent_cell_is_not_a_cell(spec):
    assert "people.leavers.change" not in spec.cell_index
    report = govspec.validate(instance(people={"leavers": {"change": 1}}), spec=spec)
    assert [(f.code, f.location) for f in report.findings] == [("unknown-column", "tables.people.leavers.change")]


def test_three_part_references_and_groups_resolve_to_cells(spec):
    total = next(c for c in spec.checks if c.key == "budget.total[planned]")
    assert total.cells == ("budget.total.planned", "budget.staff.planned", "budget.equipment.planned")


def test_compiled_spec_is_immutable(spec):
    with pytest.raises(dataclasses.FrozenInstanceError):
        spec.checks = ()
    with pytest.raises(TypeError):
        spec.cell_index["x"] = None


def test_validating_does_not_change_the_instance(spec):
    doc = instance(budget={"total": {"spent": "99"}})
    before = repr(doc)
    govspec.validate(doc, spec=spec)
    assert repr(doc) == before
