"""Three verdicts: *passed* only when every error-level check was evaluated and holds; *failed* on an
error; *incomplete* when nothing failed but a check could not be evaluated.  "Not checked" is never
"passed" — in the text, JSON and CSV outputs, the exit code, the API and the audit page alike."""

import csv
import io
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

import govspec
from govspec.cli.main import main

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
CORPUS = Path(__file__).parent / "corpus"
SPEC21 = govspec.load_spec("gov-info-disclosure", "2021")


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)


def example(name: str) -> dict:
    return json.loads((EXAMPLES / name).read_text(encoding="utf-8"))


def write(tmp_path, name: str, document: dict) -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    return path


def test_a_blank_template_is_incomplete_not_passed(tmp_path):
    template = run("template", "--template-version", "2021")
    path = tmp_path / "t.json"
    path.write_text(template.output, encoding="utf-8")
    result = run("validate", path)
    assert result.exit_code == 4
    assert "结论: 未完成检查" in result.output and "报告没有任何数值" in result.output
    doc = json.loads(run("validate", path, "--format", "json").output)
    [report] = doc["reports"]
    assert report["verdict"] == "incomplete" and report["valid"] is False
    assert report["not_evaluated"]["no_values"] == 1
    assert doc["summary"]["incomplete"] == 1 and doc["summary"]["passed"] == 0
    assert govspec.validate(json.loads(template.output)).verdict == "incomplete"


def test_a_report_mostly_not_read_from_its_source_is_incomplete(tmp_path):
    document = example("huaian-city-2024.json")
    unread = [c.id for c in SPEC21.cells][15:]  # 185 of the 200 cells were not read (text copied out of a PDF)
    for cell in unread:
        table, row, column = cell.split(".")
        del document["tables"][table][row][column]
    document["unseen"] = unread
    report = govspec.validate(document)
    assert report.verdict == "incomplete" and not report.valid
    assert report.not_evaluated.get("unseen", 0) > 0 and "blank" not in report.not_evaluated
    result = run("validate", write(tmp_path, "pdf.json", document))
    assert result.exit_code == 4 and "原文中未读到" in result.output
    # the cells not read are said apart, never counted as cells the report left blank (未填报)
    assert "未填报单元格: 0/200; 原文中未读到的单元格: 185" in result.output
    document["tables"]["proactive_disclosure"]["rules"]["issued"] = None  # one cell the report leaves blank, too
    result = run("validate", write(tmp_path, "pdf.json", document), "--format", "json")
    entry = json.loads(result.output)["reports"][0]
    assert entry["unseen"] == sorted(unread) and len(entry["not_reported"]) == 186
    text = run("validate", write(tmp_path, "pdf.json", document), "--lang", "en").output
    assert "cells not reported: 1/200; cells not read from the source: 185" in text


def test_a_cell_listed_as_not_read_is_not_read_even_if_the_instance_gives_it_a_value(tmp_path):
    """A value an auditor types into an extracted record for a cell the source did not show, the cell left in
    ``unseen``: a check that read it and held passed, one that read it and failed was not checkable — the verdict
    depended on the value. Every check reading it is not checkable; taking the cell out of ``unseen`` reads it."""
    document = example("huaian-city-2024.json")
    document["unseen"] = ["applications.received.total"]
    report = govspec.validate(document)
    assert report.verdict == "incomplete" and report.not_evaluated == {"unseen": 2}
    assert run("validate", write(tmp_path, "typed.json", document)).exit_code == 4
    del document["unseen"]
    assert govspec.validate(document).verdict == "passed"


def test_a_truncated_published_report_is_incomplete():
    result = run("validate", CORPUS / "001.txt", "--format", "json")
    assert result.exit_code == 4
    [report] = json.loads(result.output)["reports"]
    assert report["verdict"] == "incomplete" and report["not_evaluated"]["unseen"] > 0


def test_complete_consistent_reports_pass_and_the_hegang_report_fails_with_exactly_its_two_findings():
    for name in ("huaian-city-2024.json", "hegang-justice-2020-corrected.json"):
        result = run("validate", EXAMPLES / name)
        assert result.exit_code == 0 and "结论: 通过" in result.output, name
    result = run("validate", EXAMPLES / "hegang-justice-2020.json", "--format", "json")
    assert result.exit_code == 1
    [report] = json.loads(result.output)["reports"]
    assert report["verdict"] == "failed"
    assert [f["check"] for f in report["findings"]] == ["applications.balance[natural_person]",
                                                        "applications.balance[total]"]


def test_blank_cells_follow_the_spec_policy_unless_the_auditor_is_strict(tmp_path):
    document = example("huaian-city-2024.json")
    document["tables"]["applications"]["disclosed"]["business"] = None  # read only by on_blank: skip rules
    path = write(tmp_path, "blank.json", document)
    report = govspec.validate(document)
    assert report.verdict == "passed" and report.not_evaluated == {"blank": 2}  # counted and shown
    result = run("validate", path)
    assert result.exit_code == 0 and "空白单元格 2" in result.output
    strict = run("validate", path, "--strict-blanks", "--format", "json")
    assert strict.exit_code == 4 and json.loads(strict.output)["reports"][0]["verdict"] == "incomplete"
    assert govspec.validate(document, strict_blanks=True).verdict == "incomplete"


def test_exit_codes_rank_unreadable_over_failed_over_incomplete(tmp_path):
    template = tmp_path / "t.json"
    template.write_text(run("template", "--template-version", "2021").output, encoding="utf-8")
    broken = tmp_path / "broken.json"
    broken.write_text("{", encoding="utf-8")
    failed = EXAMPLES / "hegang-justice-2020.json"
    passed = EXAMPLES / "huaian-city-2024.json"
    assert run("validate", passed, template).exit_code == 4
    assert run("validate", passed, template, failed).exit_code == 1
    assert run("validate", passed, template, failed, broken).exit_code == 3
    assert run("validate", passed).exit_code == 0


@pytest.mark.parametrize("fmt", ["text", "json", "csv"])
def test_every_output_format_gives_the_same_verdicts(tmp_path, fmt):
    template = tmp_path / "t.json"
    template.write_text(run("template", "--template-version", "2021").output, encoding="utf-8")
    inputs = [EXAMPLES / "huaian-city-2024.json", EXAMPLES / "hegang-justice-2020.json", template]
    out = run("validate", *inputs, "--format", fmt).output
    if fmt == "json":
        verdicts = [r["verdict"] for r in json.loads(out)["reports"]]
    elif fmt == "csv":
        assert out.startswith("\ufeff")  # a byte-order mark: Excel and WPS read the file as UTF-8
        rows = list(csv.DictReader(io.StringIO(out[1:])))
        verdicts = list(dict.fromkeys((r["source"], r["verdict"]) for r in rows))
        verdicts = [v for _, v in verdicts]
    else:
        verdicts = [line.split("结论: ")[1].split(" ")[0] for line in out.splitlines() if "结论: " in line]
        verdicts = [{"通过": "passed", "不通过": "failed", "未完成检查": "incomplete"}[v] for v in verdicts]
    assert verdicts == ["passed", "failed", "incomplete"]


def test_audit_gives_the_same_verdicts_and_exit_code(tmp_path):
    template = tmp_path / "t.json"
    template.write_text(run("template", "--template-version", "2021").output, encoding="utf-8")
    data = tmp_path / "audit.json"
    result = run("audit", EXAMPLES / "huaian-city-2024.json", template, "--json", data)
    assert result.exit_code == 4 and "未完成检查 1" in result.output
    records = json.loads(data.read_text(encoding="utf-8"))["reports"]
    assert [r["verdict"] for r in records] == ["passed", "incomplete"]
    assert records[1]["not_evaluated"]["no_values"] == 1


@pytest.mark.parametrize("written,late", [("2025-01-20", False), ("2025-1-20", False), ("2025/1/20", False),
                                          ("2025.1.20", False), ("2025年1月20日", False), ("２０２５年４月１日", True),
                                          ("2025/4/1", True)])
def test_dates_as_excel_and_people_write_them_are_dates(huaian, written, late):
    from govspec.check.metadata import lateness
    document = huaian
    document["report"]["published"], document["report"]["kind"] = written, "government"
    codes = {f.code for f in govspec.validate(document).findings}
    assert "metadata-invalid" not in codes
    assert ("published-late" in codes) == late and (lateness(document["report"]) is not None) == late


@pytest.mark.parametrize("written", ["2025-13-45", "2025/1-20", "yesterday", "2025年2月30日", "20250120"])
def test_what_is_not_a_real_date_is_said_to_be_invalid(huaian, written):
    document = huaian
    document["report"]["published"] = written
    assert "metadata-invalid" in {f.code for f in govspec.validate(document).findings}
