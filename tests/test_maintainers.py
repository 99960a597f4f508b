"""Tools for the people who maintain the template: lint, diff, migration, extensions, editor support."""

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import in_english
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import govspec
from govspec.cli.main import main
from govspec.spec.loader import meta_schema
from govspec.testing import instances
from govspec.tools import migration
from govspec.tools.diff import diff
from govspec.tools.lint import lint_file

ROOT = Path(__file__).resolve().parent.parent
LINT = Path(__file__).parent / "specs" / "lint"
REFERENCE = Path(__file__).parent / "reference" / "templates.md"
SPEC19 = govspec.load_spec("gov-info-disclosure", "2019")
SPEC21 = govspec.load_spec("gov-info-disclosure", "2021")
HUBEI = govspec.load_spec("hubei-gov-info-disclosure", "2020")


def run(*args):
    return CliRunner().invoke(main, in_english(args), catch_exceptions=False)


# --- lint ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("name,errors,others", [
    ("clean.yaml", set(), set()),
    ("meta-schema.yaml", {"meta-schema"}, set()),
    ("duplicate-id.yaml", {"spec-error"}, set()),
    ("unknown-cell.yaml", {"spec-error"}, set()),
    ("several-broken-rules.yaml", {"spec-error"}, set()),
    ("contradiction.yaml", {"contradiction"}, set()),
    ("never-holds.yaml", {"never-holds"}, set()),
    ("forces-zero.yaml", {"forces-zero"}, set()),
    ("circular.yaml", {"circular"}, {"redundant"}),
    ("redundant.yaml", set(), {"redundant"}),
    ("unconstrained.yaml", set(), {"unconstrained-cell"}),
    ("extension-removes-rule.yaml", set(), {"unconstrained-cell", "removed-rule"}),
])
def test_lint_finds_each_planted_defect(name, errors, others):
    findings = lint_file(LINT / name)
    assert {f.code for f in findings if f.severity == "error"} == errors
    assert {f.code for f in findings if f.severity != "error"} == others
    for finding in findings:
        assert finding.line is not None  # every finding points into the file
    result = run("spec", "lint", LINT / name)
    assert result.exit_code == (1 if errors else 0)


def test_lint_fixtures_exercise_every_lint_code_of_the_catalogue():
    from govspec.findings import CODES
    seen = {f.code for path in sorted(LINT.glob("*.yaml")) for f in lint_file(path)}
    assert seen | {"not-analysed"} == {code for code, c in CODES.items() if c.scope == "spec"}


def test_lint_cost_is_bounded(monkeypatch):
    """A spec too large to analyse stops the algebra with a finding (tested with a small limit)."""
    import govspec.tools.lint as lint
    monkeypatch.setattr(lint, "MAX_WORK", 50)
    findings = lint_file(ROOT / "specs" / "gov-info-disclosure-2021.yaml")
    assert [f.code for f in findings if f.code == "not-analysed"] == ["not-analysed"]
    assert not any(f.severity == "error" for f in findings)


def test_lint_messages_name_the_problem():
    [meta] = lint_file(LINT / "meta-schema.yaml")
    assert "did you mean 'columns'" in meta.message and meta.line == 10
    [unknown] = lint_file(LINT / "unknown-cell.yaml")
    assert "did you mean 'b'" in unknown.message
    contradiction = next(f for f in lint_file(LINT / "contradiction.yaml") if f.code == "contradiction")
    assert "t.odd contradicts t.sum[x]" in contradiction.message


def test_lint_lists_every_rule_of_a_file_that_does_not_compile():
    findings = lint_file(LINT / "several-broken-rules.yaml")
    assert [(f.key, f.line) for f in findings] == [("rules.0.check", 21), ("rules.1.check", 23),
                                                   ("rules.2.check", 25)]
    assert "'bb'" in findings[0].message and "')'" in findings[1].message and "'zz'" in findings[2].message
    said = run("spec", "lint", LINT / "several-broken-rules.yaml").output
    assert "3 error(s)" in said


def test_shipped_specs_lint_without_errors():
    result = run("spec", "lint", *sorted((ROOT / "specs").glob("*.yaml")))
    assert result.exit_code == 0, result.output
    assert "0 error(s)" in result.output


# --- diff ---------------------------------------------------------------------------------------

def _reference_differences() -> dict:
    """§6 of the reference: where → (2019, 2021), as lists of backticked labels."""
    text = REFERENCE.read_text(encoding="utf-8").split("## 6. Differences 2019 → 2021")[1].split("\n## ")[0]
    rows = {}
    for line in text.splitlines():
        cells = [c.strip() for c in line.split("|")[1:-1]]
        if len(cells) == 3 and cells[0] not in ("where", "---") and not set(cells[0]) <= set("-"):
            rows[cells[0]] = (cells[1], cells[2])
    return rows


def test_diff_2019_to_2021_is_exactly_the_reference_table():
    changes = [c for c in diff(SPEC19, SPEC21) if c.what not in ("metadata", "rule")]
    reference = _reference_differences()
    blocks = {b.id: b.label for t in SPEC19.spec.tables for b in t.blocks if b.id}
    item = {"item_1": "（一）", "item_5": "（五）", "item_6": "（六）", "item_8": "（八）", "item_9": "（九）"}
    found: dict = {}
    for c in changes:
        if c.what == "block":
            key = f"二 {item[c.id]}"
        elif c.where.startswith("proactive_disclosure"):
            key = f"二 {item[c.where.split('.')[1]]}"
        else:
            key = "三"
        found.setdefault(key, []).append(c)
    assert set(found) == {"二 （一）", "二 （五）", "二 （六）", "二 （八）", "二 （九）", "三"}
    # 二 （一）: the three columns replaced, and the row 规范性文件 → 行政规范性文件
    one = found["二 （一）"]
    before = re.findall(r"[\u4e00-\u9fff/]+", reference["二 （一） columns"][0])
    after = re.findall(r"[\u4e00-\u9fff/]+", reference["二 （一） columns"][1])
    assert [c.before for c in one if c.kind == "removed"] == before
    assert [c.after for c in one if c.kind == "added"] == after
    assert [(c.before, c.after) for c in one if c.kind == "relabelled"] == [
        (reference["二 （一） row 2"][0], reference["二 （一） row 2"][1])]
    # 二 （五）: three columns → 本年处理决定数量 only; rows 行政许可, 其他对外管理服务事项 → 行政许可
    five = found["二 （五）"]
    assert {(c.kind, c.what, c.before or c.after) for c in five} == {
        ("removed", "column", "上一年项目数量"), ("removed", "column", "本年增/减"),
        ("relabelled", "column", "处理决定数量"), ("removed", "row", "其他对外管理服务事项")}
    assert "本年处理决定数量" in reference["二 （五）"][1] and "其他对外管理服务事项" in reference["二 （五）"][0]
    six = found["二 （六）"]
    assert {(c.kind, c.before) for c in six} == {("removed", "上一年项目数量"), ("removed", "本年增/减"),
                                                 ("relabelled", "处理决定数量")}
    eight = found["二 （八）"]
    assert {(c.kind, c.before or c.after) for c in eight} == {
        ("removed", "上一年项目数量"), ("removed", "本年增/减"), ("added", "本年收费金额（单位：万元）")}
    assert "本年收费金额（单位：万元）" in reference["二 （八）"][1]
    assert [(c.kind, c.what, c.before) for c in found["二 （九）"]] == [("removed", "block", blocks["item_9"])]
    assert reference["二 （九）"][1] == "removed"
    three = found["三"]
    assert {(c.kind, c.what) for c in three} == {("removed", "row"), ("added", "row_group"), ("added", "row")}
    assert [c.after for c in three if c.kind == "added" and c.what == "row"] == [
        r.label for r in SPEC21.spec.table("applications").rows if r.group == "other_handling"]
    assert reference["三 （六）其他处理"] == ("one row", "three rows")
    assert reference["三 other rows, 四"][1] == "unchanged"
    rules = [c for c in diff(SPEC19, SPEC21) if c.what.startswith("rule")]
    assert [(c.kind, c.id) for c in rules] == [("changed", "applications.outcome_total"),
                                               ("added", "proactive_disclosure.in_force_chain")]


def test_diff_of_a_spec_with_itself_is_empty_and_formats_work():
    assert diff(SPEC21, SPEC21) == []
    for fmt in ("text", "markdown", "json"):
        result = run("spec", "diff", "gov-info-disclosure@2019", "gov-info-disclosure@2021", "--format", fmt)
        assert result.exit_code == 0
    doc = json.loads(run("spec", "diff", "gov-info-disclosure@2019", "gov-info-disclosure@2021",
                         "--format", "json").output)
    assert doc["govspec_diff"] == 1 and len(doc["changes"]) == len(diff(SPEC19, SPEC21))
    markdown = run("spec", "diff", "gov-info-disclosure@2019", "gov-info-disclosure@2021", "--format",
                   "markdown").output
    assert "| proactive_disclosure.item_1 | 改名行 | `normative_documents` | 规范性文件 | 行政规范性文件 |" in markdown


# --- migration ------------------------------------------------------------------------------

def test_migration_plan_covers_every_2019_cell_once():
    plan = migration.plan(SPEC19, SPEC21)
    covered = [a for a, _ in plan.moves] + list(plan.drops)
    assert sorted(covered) == sorted(c.id for c in SPEC19.cells)
    assert all(k.startswith("applications.other_handling.") for k in plan.drops if k.startswith("applications"))


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
@given(instances(SPEC19))
def test_migrated_reports_hold_where_the_old_ones_held(document):
    migrated, outcome = migration.apply(migration.plan(SPEC19, SPEC21), document)
    report = govspec.validate(migrated)
    assert report.valid, [f.check for f in report.findings if f.is_error]
    dropped = {cell for cell, _, _ in outcome.dropped}
    assert not any(c.startswith("applications.other_handling") for c in migrated["tables"].get("applications", {}))
    assert all(document["tables"]["applications"]["other_handling"][c.split(".")[2]] is None or c in dropped
               for c in (f"applications.other_handling.{x.id}" for x in SPEC19.spec.table("applications").blocks[0].columns))


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
@given(instances(SPEC19), st.data())
def test_a_cell_the_source_did_not_show_is_still_not_seen_after_migration_never_blank(document, data):
    """Migration dropped ``unseen``: a cell a published report did not show became a blank of the new version, and a
    report that was incomplete could pass once migrated."""
    moved = [old for old, new in migration.plan(SPEC19, SPEC21).moves]
    hidden = data.draw(st.lists(st.sampled_from(moved), min_size=1, max_size=5, unique=True))
    for cell in hidden:
        table, row, column = cell.split(".")
        document["tables"][table][row][column] = None
    document["unseen"] = hidden
    migrated, outcome = migration.apply(migration.plan(SPEC19, SPEC21), document)
    targets = dict(migration.plan(SPEC19, SPEC21).moves)
    assert set(migrated["unseen"]) == {targets[cell] for cell in hidden} == set(outcome.unseen)
    assert not set(outcome.unseen) & set(outcome.blank_targets)
    before, after = govspec.validate(document), govspec.validate(migrated)
    assert before.verdict != "incomplete" or after.verdict == "incomplete"  # never passed for less than before


def test_migrate_command(tmp_path):
    source = ROOT / "examples" / "hegang-justice-2020.json"
    before = source.read_bytes()
    result = run("migrate", source, "--to", "2021", "--lang", "zh")
    assert result.exit_code == 0
    document = json.loads(result.stdout)
    assert document["version"] == "2021" and document["tables"]["applications"]["total"]["total"] == 3
    assert "（六）其他处理" in result.stderr and "不作拆分" in result.stderr
    out = tmp_path / "out"
    result = run("migrate", ROOT / "examples" / "hegang-justice-2020.json", "--to", "2021", "--out", out,
                 "--format", "json")
    report = json.loads(result.stdout)["reports"][0]
    assert report["migrated"] and len(report["moved"]) == 172 and len(report["dropped"]) == 26
    target = out / "hegang-justice-2020.v2021.json"
    assert target.exists()
    again = run("migrate", source, "--to", "2021", "--out", out)
    assert again.exit_code == 3 and "will not overwrite" in again.output
    assert source.read_bytes() == before
    assert run("migrate", ROOT / "examples", "--to", "2021").exit_code == 2  # several reports need --out
    already = run("migrate", ROOT / "examples" / "huaian-city-2024.json", "--to", "2021")
    assert already.exit_code == 3 and "already in version 2021" in already.output


# --- extensions -----------------------------------------------------------------------------

def _hubei_report(**cells) -> dict:
    document = json.loads((ROOT / "examples" / "hegang-justice-2020-corrected.json").read_text(encoding="utf-8"))
    document["spec"], document["version"] = "hubei-gov-info-disclosure", "2020"
    document["tables"]["proactive_disclosure"]["other_documents"] = {"new_made": 5, "new_published": 4,
                                                                     "total_published": 30, **cells}
    return document


def test_hubei_extension_validates_its_extra_row():
    report = govspec.validate(_hubei_report())
    assert report.valid and report.findings == ()
    assert HUBEI.spec.table("proactive_disclosure").blocks[0].rows[0].label == "规章（设区的市、自治州人民政府应提供相关数据）"
    assert [r.label for r in HUBEI.spec.table("proactive_disclosure").blocks[0].rows][2] == "其他主动公开文件"


def test_hubei_extension_fails_a_report_that_breaks_its_rule():
    report = govspec.validate(_hubei_report(new_published=40))
    assert not report.valid
    assert [f.check for f in report.findings if f.is_error] == [
        "proactive_disclosure.published_within_total[other_documents]"]
    national = govspec.validate(_hubei_report(new_published=40) | {"spec": "gov-info-disclosure", "version": "2019"})
    assert [f.code for f in national.findings if f.is_error] == ["unknown-row"]  # the row is Hubei's own


def test_hubei_extension_keeps_every_national_rule():
    national = {r.id for r in SPEC19.rules}
    assert national <= {r.id for r in HUBEI.rules}
    assert HUBEI.spec.extends == "gov-info-disclosure@2019" and HUBEI.spec.removed_rules == ()
    changes = diff(SPEC19, HUBEI)
    assert {(c.kind, c.what, c.id) for c in changes if c.what != "metadata"} == {
        ("relabelled", "row", "rules"), ("added", "row", "other_documents"),
        ("added", "rule", "proactive_disclosure.published_within_total")}


def test_an_extension_cannot_remove_a_rule_it_does_not_name(tmp_path):
    path = tmp_path / "x.yaml"
    path.write_text((LINT / "extension-removes-rule.yaml").read_text(encoding="utf-8")
                    .replace("extends: clean.yaml", f"extends: {LINT / 'clean.yaml'}")
                    .replace("id: t.change", "id: t.chang"), encoding="utf-8")
    [finding] = lint_file(path)
    assert finding.code == "spec-error" and "did you mean 't.change'" in finding.message and finding.line == 8


# --- editor support ---------------------------------------------------------------------------

def test_spec_schema_command_prints_the_meta_schema():
    result = run("spec", "schema")
    assert json.loads(result.output) == meta_schema()


def test_every_shipped_spec_points_editors_at_the_meta_schema():
    for path in sorted((ROOT / "specs").glob("*.yaml")):
        first = path.read_text(encoding="utf-8").splitlines()[0]
        assert first.startswith("# yaml-language-server: $schema=")
        assert json.loads((path.parent / first.split("=", 1)[1]).read_text(encoding="utf-8")) == meta_schema()


# --- the worked example in docs/new-template-version.md -----------------------------------------

def test_new_template_walkthrough(tmp_path):
    page = (ROOT / "docs" / "new-template-version.md").read_text(encoding="utf-8")
    [spec_text] = re.findall(r"```yaml\n(.*?)```", page, re.S)
    commands = [block.strip() for block in re.findall(r"```sh\n(.*?)```", page, re.S)]
    assert len(commands) == 4
    (tmp_path / "gov-info-disclosure-2027.yaml").write_text(spec_text, encoding="utf-8")
    (tmp_path / "examples").mkdir()
    shutil.copy(ROOT / "examples" / "huaian-city-2024.json", tmp_path / "examples")
    exe = Path(sys.executable).parent / "govspec"
    exe = str(exe) if exe.exists() else shutil.which("govspec")
    outputs = []
    for command in commands:
        line, _, expected = command.partition("#")
        expected_code = int(expected.strip().split()[-1])
        argv = line.split()
        assert argv[0] == "govspec"
        result = subprocess.run([exe, *argv[1:]], cwd=tmp_path, capture_output=True, text=True, encoding="utf-8")
        assert result.returncode == expected_code, (command, result.stdout, result.stderr)
        outputs.append(result.stdout + result.stderr)
    assert "新增列" in outputs[1] and "public_institutions" in outputs[1]
    assert "迁移 200 格" in outputs[2] and "新版留空 25 格" in outputs[2]
    assert (tmp_path / "migrated" / "huaian-city-2024.v2027.json").exists()
    assert "错误 0" in outputs[3]


def test_migrate_reports_its_progress_report_by_report(tmp_path, monkeypatch):
    import govspec.cli.migrate as command
    seen: list[int] = []

    class Seen:
        def __call__(self, count):
            seen.append(count)

        def done(self):
            seen.append(-1)
    monkeypatch.setattr(command, "Progress", Seen)
    source = ROOT / "examples" / "hegang-justice-2020.json"
    assert run("migrate", source, source.with_name("hegang-justice-2020-corrected.json"), "--to", "2021",
               "--out", tmp_path / "out").exit_code == 0
    assert seen == [1, 2, -1]  # what Progress shows on a terminal's standard error, then its last count
