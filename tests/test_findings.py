"""Findings, equations, terms, outcomes, reports and cell data are frozen values whose ``__init__`` is written by
hand (for speed): it must take the dataclass's fields, in order, with the same defaults, and keep every other
promise."""

from __future__ import annotations

import dataclasses
import inspect
import pickle

import pytest

import govspec.check.spool  # noqa: F401  (how read-only mappings are pickled, as a batch pickles reports)
from govspec.check.cells import CellData
from govspec.check.report import Report
from govspec.findings import Equation, Finding, Term
from govspec.rules.evaluate import Outcome

HAND_WRITTEN = (Term, Equation, Finding, Outcome, Report, CellData)


@pytest.mark.parametrize("cls", HAND_WRITTEN, ids=lambda cls: cls.__name__)
def test_the_hand_written_init_takes_the_fields_in_order_with_their_defaults(cls):
    parameters = list(inspect.signature(cls.__init__).parameters.values())[1:]
    fields = dataclasses.fields(cls)
    assert [p.name for p in parameters] == [f.name for f in fields]
    for parameter, field in zip(parameters, fields):
        if field.default_factory is not dataclasses.MISSING:
            expected = field.default_factory()
        else:
            expected = inspect.Parameter.empty if field.default is dataclasses.MISSING else field.default
        assert parameter.default is expected or parameter.default == expected, field.name


@pytest.mark.parametrize("cls", HAND_WRITTEN, ids=lambda cls: cls.__name__)
def test_the_hand_written_init_stores_each_parameter_in_its_own_field(cls):
    given = {f.name: object() for f in dataclasses.fields(cls)}
    if cls is Finding:
        given["code"] = "rule-violated"  # checked against the catalogue
    made = cls(**given)
    assert {name: getattr(made, name) for name in given} == given


def sample_finding() -> Finding:
    left = (Term("+", ("a",), 5),)
    right = (Term("+", ("b", "c"), 3, 1, True, (1, 2)),)
    return Finding("rule-violated", "error", ("a", "b", "c"), "r", None, 5, 3, equation=Equation(left, "≠", right))


def test_a_finding_keeps_every_field_it_is_given_and_equals_one_made_alike():
    finding = sample_finding()
    assert finding == sample_finding()
    assert (finding.code, finding.reported, finding.computed, finding.difference) == ("rule-violated", 5, 3, 2)
    assert finding.equation.right[0].parts == (1, 2)
    assert dict(finding.params) == {} and finding.accepted is None
    assert pickle.loads(pickle.dumps(finding)) == finding
    assert dataclasses.replace(finding, severity="warning").severity == "warning"
    assert dataclasses.replace(finding, severity="warning") != finding


def test_a_finding_cannot_be_changed_once_made():
    finding = sample_finding()
    with pytest.raises(dataclasses.FrozenInstanceError):
        finding.severity = "info"  # type: ignore[misc]
    with pytest.raises(dataclasses.FrozenInstanceError):
        finding.equation.op = "="  # type: ignore[misc, union-attr]


def test_a_finding_with_a_code_outside_the_catalogue_is_refused():
    with pytest.raises(ValueError, match="not in govspec.findings.CODES"):
        Finding("no-such-code", "error")
