"""Reviewed exceptions (--accept): accepted findings stop failing the exit code; stale entries warn."""

import json
from pathlib import Path

from click.testing import CliRunner

from govspec.cli.main import main

ROOT = Path(__file__).resolve().parent.parent
HEGANG = ROOT / "examples" / "hegang-justice-2020.json"

ENTRY = """accepted:
  - report: {agency: 鹤岗市司法局, year: 2020}
    rule: applications.balance
    reason: 上年结转数据已向该局核实，原表漏填
    reviewer: 张三
    date: 2026-11-20
"""


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)


def test_accepted_findings_no_longer_fail(tmp_path):
    path = tmp_path / "accepted.yaml"
    path.write_text(ENTRY, encoding="utf-8")
    result = run("validate", HEGANG, "--accept", path, "--format", "json")
    assert result.exit_code == 0
    doc = json.loads(result.output)
    findings = doc["reports"][0]["findings"]
    assert len(findings) == 2 and all(f["accepted"]["reason"] == "上年结转数据已向该局核实，原表漏填" for f in findings)
    assert findings[0]["accepted"]["entry"] == f"{path}:2"
    assert doc["reports"][0]["valid"] is True
    assert doc["summary"]["accepted"] == 2 and doc["summary"]["stale_exceptions"] == 0
    text = run("validate", HEGANG, "--accept", path).output
    assert "✓ 错误 [rule-violated] applications.balance[natural_person] (已接受)" in text
    assert "已接受: 上年结转数据已向该局核实，原表漏填 — 张三, 2026-11-20" in text


def test_an_entry_for_one_check_accepts_only_that_check(tmp_path):
    path = tmp_path / "accepted.yaml"
    path.write_text(ENTRY.replace("rule: applications.balance", "rule: applications.balance[total]"),
                    encoding="utf-8")
    result = run("validate", HEGANG, "--accept", path, "--format", "json")
    assert result.exit_code == 1
    findings = json.loads(result.output)["reports"][0]["findings"]
    assert [f["accepted"] is not None for f in findings] == [False, True]


def test_an_entry_that_matches_nothing_is_stale(tmp_path):
    path = tmp_path / "accepted.yaml"
    path.write_text(ENTRY.replace("year: 2020", "year: 2019"), encoding="utf-8")
    result = run("validate", HEGANG, "--accept", path, "--format", "json")
    assert result.exit_code == 1
    doc = json.loads(result.output)
    assert doc["summary"]["stale_exceptions"] == 1
    assert doc["stale_exceptions"][0]["entry"] == f"{path}:2"
    assert "[stale-exception]" in run("validate", HEGANG, "--accept", path).output


def test_a_malformed_exceptions_file_exits_3_with_its_line(tmp_path):
    path = tmp_path / "accepted.yaml"
    path.write_text(ENTRY.replace("    reviewer: 张三\n", ""), encoding="utf-8")
    result = run("validate", HEGANG, "--accept", path)
    assert result.exit_code == 3 and "缺少 'reviewer'" in result.output and "accepted.yaml:2" in result.output
    result = run("validate", HEGANG, "--accept", tmp_path / "missing.yaml")
    assert result.exit_code == 3
