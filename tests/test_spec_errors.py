"""A broken spec file is named with its line and the offending key, never a traceback."""

from pathlib import Path

import pytest

import govspec
from govspec.errors import SpecError

SYNTHETIC = (Path(__file__).parent / "specs" / "synthetic.yaml").read_text(encoding="utf-8")


def line_of(text: str, fragment: str) -> int:
    return next(i for i, line in enumerate(text.splitlines(), 1) if fragment in line)


def load(tmp_path, text: str | bytes):
    path = tmp_path / "spec.yaml"
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    with pytest.raises(SpecError) as info:
        govspec.load_spec_file(path)
    error = info.value
    assert error.source == str(path)
    return error


def broken(old: str, new: str) -> str:
    assert old in SYNTHETIC
    return SYNTHETIC.replace(old, new, 1)


def test_the_synthetic_spec_itself_loads():
    assert govspec.load_spec_file(Path(__file__).parent / "specs" / "synthetic.yaml").id == "synthetic"


@pytest.mark.parametrize("old,new,fragment,marker", [
    ("    label: 预算\n", "    lable: 预算\n", "unknown key 'lable'; did you mean 'label'?", "lable: 预算"),
    ("      - {id: staff, label: 人员, en: Staff, group: parts}",
     "      - {id: staff, label: 人员, en: Staff, group: prts}",
     "unknown row group 'prts'; did you mean 'parts'?", "group: prts"),
    ("    check: total.$col == sum(@parts.$col)", "    check: totl.$col == sum(@parts.$col)",
     "unknown row 'totl' in table 'budget'; did you mean 'total'?", "check: totl"),
    ("    check: budget.total.spent <= budget.total.planned", "    check: budget.total.spent <= + budget.total",
     "rule 'budget.overspend': expected a row, column or table id", "check: budget.total.spent <= +"),
    ("      - {id: equipment, label: 设备", "      - {id: staff, label: 设备", "duplicate row id 'staff'", None),
    ("  - id: budget.overspend", "  - id: budget.total", "duplicate rule id 'budget.total'", None),
    ("    table: budget\n    for_each: {columns: \"*\"}", "    table: budgt\n    for_each: {columns: \"*\"}",
     "unknown table 'budgt'; did you mean 'budget'?", None),
    ("    severity: error\n", "    severity: fatal\n", "'fatal' is not one of", "severity: fatal"),
    ("govspec_spec: 1", "govspec_spec: 2", "govspec_spec must be 1", "govspec_spec: 2"),
    ("      - {id: planned, label: 计划, en: Planned, unit: 万元}", "      - {id: planned, label: 计划, en: Planned}",
     "a money column needs a 'unit'", None),
    ("    en: Budget\n", "", "'en' is required here", None),
    ("    rows:\n      - {id: staff, label: 在编, en: Staff}\n      - {id: leavers, label: 离职, en: Leavers}\n", "",
     "a table without 'blocks' needs its own 'rows' and 'columns': 'rows' is missing", None),  # found by fuzzing
])
def test_spec_errors_name_line_and_key(tmp_path, old, new, fragment, marker):
    text = broken(old, new)
    error = load(tmp_path, text)
    assert fragment in error.message
    assert error.line is not None
    if marker:
        assert error.line == line_of(text, marker)


def test_yaml_syntax_error_has_line_and_column(tmp_path):
    error = load(tmp_path, "id: x\ntables: [\n  {a: 1\n")
    assert "YAML syntax error" in error.message and error.line is not None and error.column is not None


def test_python_tags_are_refused_not_run(tmp_path):
    marker = tmp_path / "ran"
    text = SYNTHETIC.replace('title: {zh: 测试规范, en: Test spec}',
                             f'title: !!python/object/apply:os.system ["touch {marker}"]')
    error = load(tmp_path, text)
    assert "unsupported YAML tag" in error.message and error.line == line_of(text, "!!python")
    assert not marker.exists()


def test_merge_keys_and_duplicate_keys_are_refused(tmp_path):
    error = load(tmp_path, "a: &x {b: 1}\nc:\n  <<: *x\n")
    assert "merge keys" in error.message and error.line == 3
    error = load(tmp_path, "id: a\nid: b\n")
    assert "duplicate key 'id'" in error.message and error.line == 2


def test_alias_bomb_fails_fast(tmp_path):
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{i}: &a{i} [{', '.join(['*a' + str(i - 1)] * 10)}]" for i in range(1, 9)]
    error = load(tmp_path, "\n".join(lines) + "\n")
    assert "too many YAML nodes" in error.message


def test_not_utf8_empty_and_not_a_mapping(tmp_path):
    assert "not UTF-8" in load(tmp_path, "id: 规范".encode("gb18030")).message
    assert "empty" in load(tmp_path, "").message
    assert "YAML mapping" in load(tmp_path, "- a\n- b\n").message


def test_missing_spec_file(tmp_path):
    with pytest.raises(SpecError, match="spec file not found"):
        govspec.load_spec_file(tmp_path / "nope.yaml")
