"""The shipped specs: meta-schema, cell counts, and labels equal to the reference, character for character."""

import re
from pathlib import Path

import pytest

import govspec
from govspec.spec import resolver
from govspec.spec.loader import meta_errors
from govspec.spec.yamlsource import read_spec_document

REFERENCE = Path(__file__).parent / "reference" / "templates.md"
SHARED_REFERENCE = Path(__file__).resolve().parents[2] / "shared" / "reference" / "templates.md"
SPEC_FILES = sorted(resolver.specs_dir().glob("*.yaml"))


def ticks(text: str) -> list[str]:
    return re.findall(r"`([^`]+)`", text)


def section(name: str) -> str:
    text = REFERENCE.read_text(encoding="utf-8")
    start = text.index(f"\n## {name}")
    end = text.find("\n## ", start + 1)
    return text[start:end]


def paragraph(text: str, start: str) -> str:
    return next(p for p in text.split("\n\n") if p.strip().startswith(start))


def spec(version: str):
    return govspec.load_spec("gov-info-disclosure", version)


def test_vendored_reference_matches_shared_copy():
    if not SHARED_REFERENCE.exists():
        pytest.skip("../shared is not beside this checkout")
    assert REFERENCE.read_text(encoding="utf-8") == SHARED_REFERENCE.read_text(encoding="utf-8")


@pytest.mark.parametrize("path", SPEC_FILES, ids=[p.name for p in SPEC_FILES])
def test_shipped_spec_passes_meta_schema(path):
    assert list(meta_errors(read_spec_document(path))) == []


def test_both_national_versions_and_the_hubei_extension_are_shipped():
    assert [(s.id, s.version) for s in govspec.list_specs()] == [
        ("gov-info-disclosure", "2019"), ("gov-info-disclosure", "2021"), ("hubei-gov-info-disclosure", "2020")]


@pytest.mark.parametrize("version,counts", [("2021", (10, 175, 15)), ("2019", (22, 161, 15))])
def test_value_cell_counts(version, counts):
    cells = spec(version).cells
    by_table = [sum(1 for c in cells if c.table.id == t)
                for t in ("proactive_disclosure", "applications", "review_litigation")]
    assert tuple(by_table) == counts


@pytest.mark.parametrize("version,instrument,years", [
    ("2019", "国办公开办函〔2019〕60号", (2019, 2020)), ("2021", "国办公开办函〔2021〕30号", (2021, None))])
def test_instrument_and_years(version, instrument, years):
    s = spec(version).spec
    assert s.issued_by == instrument
    assert s.years == years
    assert instrument in section("1. Versions")


@pytest.mark.parametrize("version", ["2019", "2021"])
def test_section_titles(version):
    official, variants = paragraph(section("2. The six sections"), "`一、总体情况`").split("Common real variants")
    sections = spec(version).spec.sections
    assert [s.label for s in sections] == ticks(official)
    aliases = [a for s in sections for a in s.aliases]
    expected = [v for v in ticks(variants) if v[0] in "四五…"]
    assert len(aliases) == len(expected)
    for variant in expected:  # "…行政复议和…" abbreviates the start of the previous variant
        assert any(a == variant or (variant[0] == "…" and a.endswith(variant[1:])) for a in aliases), variant


def _proactive_reference(version: str) -> list[tuple]:
    text = section("3. Section 二 table")
    part = text.split(f"### {version} version")[1].split("###")[0]
    blocks = []
    for line in part.splitlines():
        cells = [c for c in line.split("|")[1:-1]]
        if len(cells) == 3 and "`" in cells[0]:
            blocks.append((ticks(cells[0])[0], ticks(cells[1]), ticks(cells[2])))
    return blocks


@pytest.mark.parametrize("version", ["2019", "2021"])
def test_section_two_labels(version):
    table = spec(version).spec.table("proactive_disclosure")
    got = [(b.label, [r.label for r in b.rows], [c.label for c in b.columns]) for b in table.blocks]
    assert got == [(b, rows, cols) for b, rows, cols in _proactive_reference(version)]


def _applications_rows_reference(version: str) -> list[str]:
    text = section("4. Section 三 table")
    labels = []
    for line in text.split("| row | label |")[1].splitlines():
        if not line.startswith("|") or set(line) <= set("|-"):
            continue
        if "2019: one value row" in line:
            head, tail = line.split("2019:")
            labels += ticks(head)
            if version == "2021":
                labels += ticks(tail.split("2021:")[1])
            continue
        labels += ticks(line)
    return labels


def _rows_with_groups(table) -> list[str]:
    out, seen = [], set()
    for block in table.blocks:
        for row in block.rows:
            for group in block.group_path(block.row_groups, row.group):
                if group.id not in seen:
                    seen.add(group.id)
                    out.append(group.label)
            out.append(row.label)
    return out


@pytest.mark.parametrize("version", ["2019", "2021"])
def test_section_three_rows(version):
    table = spec(version).spec.table("applications")
    assert _rows_with_groups(table) == _applications_rows_reference(version)


@pytest.mark.parametrize("version", ["2019", "2021"])
def test_section_three_columns_and_stub(version):
    text = section("4. Section 三 table")
    columns_line = paragraph(text, "Columns").split("Header:")[0]
    table = spec(version).spec.table("applications")
    block = table.blocks[0]
    assert [c.label for c in block.columns] == ticks(columns_line)
    header = paragraph(text, "Columns").split("Header:")[1]
    stub = ticks(text.split("The stub cell holds the stated identity:")[1])[0]
    assert block.stub == stub
    groups = {g.label: g for g in block.column_groups.values()}
    assert set(groups) == set(ticks(header)[:2])
    spans = {g: [c.label for c in block.columns
                 if g in [x.label for x in block.group_path(block.column_groups, c.group)]] for g in groups}
    assert spans["申请人情况"] == ticks(columns_line)  # spans all 7
    assert spans["法人或其他组织"] == ticks(columns_line)[1:6]  # the five middle ones


@pytest.mark.parametrize("version", ["2019", "2021"])
def test_section_four_columns(version):
    text = section("5. Section 四 table")
    line = paragraph(text, "One value row")
    labels = ticks(line)
    five = labels[1:6]
    expected = [("行政复议",) + (label,) for label in five]
    expected += [("行政诉讼", "未经复议直接起诉", label) for label in five]
    expected += [("行政诉讼", "复议后起诉", label) for label in five]
    block = spec(version).spec.table("review_litigation").blocks[0]
    got = [tuple(g.label for g in block.group_path(block.column_groups, c.group)) + (c.label,)
           for c in block.columns]
    assert got == expected
    assert labels[0] == "行政复议" and labels[6:9] == ["行政诉讼", "未经复议直接起诉", "复议后起诉"]


def test_signed_and_money_types():
    s19, s21 = spec("2019"), spec("2021")
    signed = {c.id for c in s19.cells if c.type == "signed_count"}
    assert {c.split(".")[2] for c in signed} == {"items_change"}
    assert len(signed) == 5  # 行政许可, 其他对外管理服务事项, 行政处罚, 行政强制, 行政事业性收费
    assert {(c.id, c.column.unit) for c in s19.cells if c.type == "money"} == {
        ("proactive_disclosure.procurement.procurement_amount", "万元")}
    assert {(c.id, c.column.unit) for c in s21.cells if c.type == "money"} == {
        ("proactive_disclosure.fees.fee_amount", "万元")}
    assert all(c.type == "count" for c in s21.cells if c.type != "money")


@pytest.mark.parametrize("version,checks", [("2019", 7 + 23 + 7 + 3), ("2021", 7 + 25 + 7 + 3)])
def test_rules_cover_every_stated_and_implied_identity(version, checks):
    compiled = spec(version)
    assert len(compiled.checks) == checks
    basis = {r.id: r.decl.basis for r in compiled.rules}
    assert basis["applications.balance"] == "stated"
    assert {b for rid, b in basis.items() if rid != "applications.balance"} == {"implied"}


def test_cell_ids_are_snake_case_and_unique():
    for compiled in govspec.list_specs():
        ids = [c.id for c in compiled.cells]
        assert len(ids) == len(set(ids))
        assert all(re.fullmatch(r"[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*){2}", i) for i in ids)


def test_spec_files_point_editors_at_the_meta_schema():
    for path in SPEC_FILES:
        first = path.read_text(encoding="utf-8").splitlines()[0]
        target = first.split("$schema=")[1]
        assert (path.parent / target).resolve().is_file()
