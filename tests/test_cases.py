"""Runs tests/cases/cases.yaml: each instance must produce exactly the findings listed."""

from decimal import Decimal
from pathlib import Path

import pytest
import yaml
from conftest import load_example, patched

import govspec
from govspec.io.values import CellText

CASES = yaml.safe_load((Path(__file__).parent / "cases" / "cases.yaml").read_text(encoding="utf-8"))


def _key(finding) -> tuple:
    return finding.code, finding.check or finding.location


def _expected_key(item: dict) -> tuple:
    return item["code"], item.get("check") or item.get("location")


def _normalise(value):
    if isinstance(value, float):
        return Decimal(repr(value))
    return value


def _about_the_deadline(case: dict) -> bool:
    return "report.published" in case.get("patch", {}) or any(e["code"] == "deadline-not-checked"
                                                               for e in case["expect"])


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_case(case):
    text_cells = {path: CellText(text, f"case:{i}") for i, (path, text) in enumerate(case.get("text", {}).items())}
    document = patched(load_example(case["base"]), {**case.get("patch", {}), **text_cells}, case.get("remove"))
    report = govspec.validate(document)
    assert report.valid is case["valid"]
    if "selected_by" in case:
        assert report.selected_by == case["selected_by"]
    findings = report.findings
    if not _about_the_deadline(case):
        notes = [f for f in findings if f.code == "deadline-not-checked"]
        assert bool(notes) == (not (document.get("report") or {}).get("published")), "the deadline note"
        findings = tuple(f for f in findings if f.code != "deadline-not-checked")
    got = {_key(f): f for f in findings}
    assert len(got) == len(findings), "two findings share a code and check"
    assert sorted(got, key=str) == sorted((_expected_key(e) for e in case["expect"]), key=str)
    for expected in case["expect"]:
        finding = got[_expected_key(expected)]
        for field in ("severity", "reported", "computed", "caused_by", "blank_cells", "cells"):
            if field in expected:
                actual = getattr(finding, field)
                want = expected[field]
                if isinstance(actual, tuple):
                    actual = list(actual)
                assert actual == _normalise(want), f"{field} of {finding.check or finding.location}"


def test_cases_cover_every_finding_code():
    """Every code of the catalogue is exercised by a case here, or (extraction codes) in test_extract.py."""
    from test_across import ACROSS_CODES
    from test_extract import EXTRACTION_CODES
    used = {e["code"] for case in CASES for e in case["expect"]}
    about_reports = {code for code, c in govspec.CODES.items() if c.scope == "report"}
    assert used | EXTRACTION_CODES | ACROSS_CODES == about_reports
    assert not used & (EXTRACTION_CODES | ACROSS_CODES)


def test_the_catalogue_holds_every_code_govspec_gives():
    """Report, batch and lint codes all live in the one catalogue, and a code outside it cannot be made."""
    scopes = {c.scope for c in govspec.CODES.values()}
    assert scopes == {"report", "batch", "spec"}
    assert {"unreadable", "stale-exception"} <= {k for k, c in govspec.CODES.items() if c.scope == "batch"}
    with pytest.raises(ValueError, match="not in govspec.findings.CODES"):
        govspec.Finding("no-such-code", "error")
