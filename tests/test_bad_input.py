"""Every kind of bad input gets a clear message, a documented exit code, and no traceback."""

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from govspec.cli.main import main
from govspec.io.readers import NO_REPORT_FILE, NO_REPORT_FILE_ZH

ROOT = Path(__file__).resolve().parent.parent
HUAIAN = json.loads((ROOT / "examples" / "huaian-city-2024.json").read_text(encoding="utf-8"))


def validate(path, *options):
    result = CliRunner().invoke(main, ["validate", str(path), *options])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exc_info
    assert "Traceback" not in result.output
    return result


def write(tmp_path, content, name="report.json"):
    path = tmp_path / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    elif isinstance(content, str):
        path.write_text(content, encoding="utf-8")
    else:
        path.write_text(json.dumps(content, ensure_ascii=False), encoding="utf-8")
    return path


@pytest.mark.parametrize("content,message", [
    (b"\xff\xfe{\x00}\x00", "not UTF-8 text"),
    ('{"spec": "gov-info-disclosure",\n  "tables": }', "report.json:2:13: invalid JSON: Expecting value"),
    ("", "invalid JSON: Expecting value"),
    ("[1, 2]", "an instance is a JSON object, not an array"),
    ('{"spec": "gov-info-disclosure"}', "the instance has no 'tables'"),
    ('{"spec": "gov-info-disclosure", "tables": [1]}', "'tables' must be an object"),
    ('{"tables": {}}', "does not name its spec"),
    ('{"spec": "gov-info-disclosur", "version": "2021", "tables": {}}', "did you mean 'gov-info-disclosure'?"),
    ('{"spec": "gov-info-disclosure", "version": "2022", "tables": {}}', "year 2022 is governed by template version '2021'"),
    ('{"spec": "gov-info-disclosure", "tables": {}}', "cannot tell the template version"),
    ('{"spec": "gov-info-disclosure", "report": {"year": 1999}, "tables": {}}', "governs report year 1999"),
    ('{"spec": "gov-info-disclosure", "report": {"year": "二〇二〇"}, "tables": {}}', "'report.year' must be a year"),
    ('{"spec": "gov-info-disclosure", "report": [], "tables": {}}', "'report' must be an object"),
    ('{"spec": ["x"], "tables": {}}', "'spec' must be a string"),
    ('{"spec": "gov-info-disclosure", "version": "2021", "tables": {"a": 1e400}}', ""),
    ('{"spec": "gov-info-disclosure", "version": "2021", "tables": {}, "x": NaN}', "NaN is not a number"),
    ('{"spec": "gov-info-disclosure", "spec": "x", "tables": {}}', "duplicate key 'spec'"),
    ("[" * 100_000 + "]" * 100_000, "nested too deeply"),
])
def test_unreadable_instances_exit_3(tmp_path, content, message):
    result = validate(write(tmp_path, content), "--lang", "en")
    if message:
        assert message in result.output
    if "1e400" in str(content):
        assert result.exit_code == 1  # readable: an unknown table 'a' is a finding
        assert "unknown-table" in result.output
    else:
        assert result.exit_code == 3, result.output


def test_missing_file_and_directory(tmp_path):
    result = validate(tmp_path / "nope.json", "--lang", "en")
    assert result.exit_code == 3 and "nope.json: file not found" in result.output
    result = validate(tmp_path, "--lang", "en")
    assert result.exit_code == 3 and NO_REPORT_FILE in result.output


def test_messages_about_unreadable_input_are_in_chinese_by_default(tmp_path):
    assert "nope.json: 文件不存在" in validate(tmp_path / "nope.json").output
    assert NO_REPORT_FILE_ZH in validate(tmp_path).output
    said = validate(write(tmp_path, '{"spec": "gov-info-disclosure",\n  "tables": }')).output
    assert "report.json:2:13: JSON 格式错误：此处应为一个值" in said
    said = validate(write(tmp_path, '{"spec": "gov-info-disclosure", "version": "2020", "tables": {}}')).output
    assert "2020 年度的报告适用 '2019' 版模板" in said and "did you mean" not in said
    said = validate(write(tmp_path, '{"tables": {}}'), "--format", "json").stdout
    assert json.loads(said)["reports"][0]["error"]["message"].startswith("报告实例没有注明所用规范")


@pytest.mark.parametrize("cell,value,code", [
    (("applications", "received", "natural_person"), "3001", "wrong-type"),
    (("applications", "received", "natural_person"), 3001.5, "wrong-type"),
    (("applications", "received", "natural_person"), -3, "negative-value"),
    (("applications", "received", "natural_persn"), 3001, "unknown-column"),
    (("applications", "recieved", "natural_person"), 3001, "unknown-row"),
    (("aplications", "received", "natural_person"), 3001, "unknown-table"),
    (("applications", "received", "natural_person"), 10 ** 30, None),
])
def test_bad_cells_are_findings_with_their_place(tmp_path, cell, value, code):
    doc = json.loads(json.dumps(HUAIAN))
    table, row, column = cell
    doc["tables"].setdefault(table, {}).setdefault(row, {})[column] = value
    result = validate(write(tmp_path, doc), "--format", "json")
    assert result.exit_code == 1
    findings = json.loads(result.output)["reports"][0]["findings"]
    if code is None:  # a huge integer is exact, and breaks the identities it enters
        assert {f["code"] for f in findings} == {"rule-violated", "deadline-not-checked"}
        return
    found = next(f for f in findings if f["code"] == code)
    assert found["location"].startswith("tables.")
    if code.startswith("unknown"):
        assert "did you mean" in found["message"]


@pytest.mark.parametrize("text,message", [
    ("govspec_spec: 1\nid: x\n  bad: [\n", "YAML syntax error"),
    ("a: !!python/object/apply:os.system ['true']\n", "unsupported YAML tag"),
])
def test_broken_spec_file_exits_3(tmp_path, text, message):
    spec = write(tmp_path, text, "spec.yaml")
    report = write(tmp_path, HUAIAN)
    result = validate(report, "--spec", str(spec))
    assert result.exit_code == 3
    assert message in result.output and "spec.yaml:" in result.output


def test_every_message_about_input_that_cannot_be_read_is_given_in_chinese_too():
    import ast
    missing = []
    for path in (ROOT / "govspec").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
                    and node.func.id in ("InstanceError", "SpecNotFound", "GovspecError")
                    and not any(k.arg == "zh" for k in node.keywords)):
                missing.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert missing == []
