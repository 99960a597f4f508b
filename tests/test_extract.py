"""Extraction of published reports: the 鹤岗 text, every file of the labelled corpus, HTML grids,
and random reports rendered in every layout and read back exactly."""

import json
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import govspec
from govspec.cli.main import main
from govspec.extract import extract_file, extract_tokens, tokens_from_html, tokens_from_text
from govspec.extract.layouts import BLANKS, LAYOUTS, render
from govspec.io.writers import cell_values
from govspec.testing import instances

ROOT = Path(__file__).resolve().parent.parent
CORPUS = Path(__file__).parent / "corpus"
SHARED = ROOT.parent / "shared"
HEGANG_MD = Path(__file__).parent / "reference" / "hegang-justice-2020.md"
sys.path.insert(0, str(ROOT / "benchmarks"))
import bench_extract  # noqa: E402  (the measurement script is the scorer)

EXTRACTION_CODES = {"table-incomplete", "value-not-placed", "variant-printed", "read-by-content"}


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)


def test_vendored_copies_match_shared():
    if not SHARED.exists():
        pytest.skip("../shared is not beside this checkout")
    for path in CORPUS.iterdir():
        assert path.read_bytes() == (SHARED / "corpus" / path.name).read_bytes(), path.name
    assert HEGANG_MD.read_bytes() == (SHARED / "samples" / "hegang-justice-2020.md").read_bytes()


def test_hegang_text_extracts_to_exactly_the_hand_transcription():
    result = extract_file(HEGANG_MD)
    example = json.loads((ROOT / "examples" / "hegang-justice-2020.json").read_text(encoding="utf-8"))
    assert result.spec.spec.ref == "gov-info-disclosure@2019" and result.template_basis == "headers"
    want = cell_values(result.spec, example)
    assert {k: str(v) for k, v in result.values.items()} == {k: str(v) for k, v in want.items()}
    # the date under the signature is the report's date (dated); the text states no publication date (published)
    assert result.report == {"agency": example["report"]["agency"], "year": example["report"]["year"],
                             "dated": example["report"]["published"]}
    assert result.left_out == [] and result.incomplete == []
    assert result.provenance["applications.total.natural_person"]["where"].startswith("line ")


def test_validate_reads_the_published_text_directly():
    result = run("validate", HEGANG_MD, "--format", "json")
    assert result.exit_code == 1
    report = json.loads(result.output)["reports"][0]
    assert [(f["check"], f["reported"], f["computed"]) for f in report["findings"] if f["severity"] == "error"] == [
        ("applications.balance[natural_person]", 0, 4), ("applications.balance[total]", 0, 4)]
    text = run("validate", HEGANG_MD).output
    assert ("一、本年新收政府信息公开申请数量 (0) + 二、上年结转政府信息公开申请数量 (0) ≠ （七）总计 (3) + "
            "四、结转下年度继续办理 (1)  [自然人]") in text


CORPUS_FILES = sorted(p.name for p in CORPUS.glob("*.json"))


@pytest.fixture(scope="module")
def scored():
    return {row["file"]: row for row in bench_extract.score(CORPUS)["rows"]} | {
        "_totals": bench_extract.score(CORPUS)["totals"]}


@pytest.mark.parametrize("name", CORPUS_FILES)
def test_every_corpus_file(scored, name):
    """Each real layout: the right template, no invented or wrong value, every labelled number."""
    label = json.loads((CORPUS / name).read_text(encoding="utf-8"))
    row = scored[label["file"]]
    got, want = row["template"].split("/")
    assert got == str(want)
    assert row["invented"] == 0 and row["wrong"] == []
    assert row["recalled"] == row["labelled"]


def test_corpus_targets(scored):
    t = scored["_totals"]
    assert t["correct"] / t["extracted"] >= 0.995
    assert t["recalled"] / t["labelled"] >= 0.98
    assert t["invented"] == 0
    assert t["templates_right"] == t["templates"]


def test_the_corpus_as_pages_print_it_full_width_is_read_as_labelled(tmp_path):
    """The corpus folds full-width punctuation to ASCII; real pages print it full width (a mirror site's pinyin glosses
    in （）, ／ for a blank): every file is read as labelled all the same."""
    totals = bench_extract.score(bench_extract.full_width_corpus(CORPUS, tmp_path))["totals"]
    assert totals["recalled"] == totals["labelled"] and totals["correct"] == totals["extracted"]
    assert totals["invented"] == 0 and totals["templates_right"] == totals["templates"]


def test_a_cut_off_table_is_incomplete_and_its_identities_not_checkable():
    result = run("validate", CORPUS / "010.txt", "--format", "json")
    report = json.loads(result.output)["reports"][0]
    codes = {f["code"] for f in report["findings"]}
    assert "table-incomplete" in codes and not any(f["code"] == "rule-violated" for f in report["findings"])
    balance = [f for f in report["findings"] if (f["rule"] or "").startswith("applications.balance")]
    assert balance and all(f["code"] == "rule-not-checkable" for f in balance)


def test_a_row_that_cannot_be_placed_is_left_out_with_its_reason(tmp_path):
    path = tmp_path / "r.txt"
    path.write_text("二、主动公开政府信息情况\n第二十条第(一)项\n信息内容\n本年制发件数\n本年废止件数\n现行有效件数\n"
                    "规章\n1\n2\n行政规范性文件\n3\n4\n5\n", encoding="utf-8")
    result = extract_file(path)
    assert result.spec.version == "2021"
    assert "proactive_disclosure.rules.issued" not in result.values  # two values for three cells: not guessed
    assert result.values["proactive_disclosure.normative_documents.in_force"] == 5
    [left] = result.left_out
    assert left["text"] == "规章" and "cannot be placed" in left["reason"]
    findings = json.loads(run("validate", path, "--format", "json").output)["reports"][0]["findings"]
    assert any(f["code"] == "value-not-placed" and f["position"].endswith("line 7") for f in findings)


def test_html_with_merged_header_cells_reads_as_the_grid(tmp_path):
    spec = govspec.load_spec("gov-info-disclosure", "2021")
    document = json.loads((ROOT / "examples" / "huaian-city-2024.json").read_text(encoding="utf-8"))
    tables = document["tables"]
    rows = ['<tr><td rowspan="3" colspan="2">（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）</td>'
            '<td colspan="7">申请人情况</td></tr>',
            '<tr><td rowspan="2">自然人</td><td colspan="5">法人或其他组织</td><td rowspan="2">总计</td></tr>',
            "<tr>" + "".join(f"<td>{x}</td>" for x in ("商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他")) + "</tr>"]
    table = spec.spec.table("applications")
    columns = [c.id for c in table.blocks[0].columns]
    for row in table.rows:
        values = "".join(f"<td>{tables['applications'][row.id][c]}</td>" for c in columns)
        label = f'<td colspan="2">{row.label}</td>'
        if row.id == "disclosed":
            label = f'<td rowspan="23">三、本年度办理结果</td><td>{row.label}</td>'
        elif row.group and row.id not in ("partly_disclosed", "total"):
            label = f"<td>{row.label}</td>"
        elif row.id in ("partly_disclosed", "total"):
            label = f"<td>{row.label}</td>"
        rows.append(f"<tr>{label}{values}</tr>")
    page = ("<html><body><p>三、收到和处理政府信息公开申请情况</p><table>" + "".join(rows) +
            "</table><p>四、政府信息公开行政复议、行政诉讼情况</p></body></html>")
    path = tmp_path / "r.html"
    path.write_text(page, encoding="utf-8")
    result = extract_file(path)
    assert result.spec.version == "2021"
    want = {k: v for k, v in cell_values(spec, document).items() if k.startswith("applications.")}
    got = {k: v for k, v in result.values.items() if k.startswith("applications.")}
    assert got == want
    where = result.provenance["applications.total.total"]["where"]
    assert where.startswith("table 1 row ") and where.endswith("col 9")  # the grid column, spans counted


SPECS = [govspec.load_spec("gov-info-disclosure", "2019"), govspec.load_spec("gov-info-disclosure", "2021")]


@pytest.mark.parametrize("layout", LAYOUTS)
@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
@given(st.sampled_from(SPECS), st.data())
def test_rendered_reports_extract_back_exactly(layout, spec, data):
    """Each layout family real reports use (docs/extraction.md), written out from a generated report and
    read back: every value in its cell, nothing left out, nothing invented."""
    document = data.draw(instances(spec, blanks=layout in BLANKS))
    text = render(spec, document, layout)
    tokens = tokens_from_html(text) if layout == "html" else tokens_from_text(text)
    result = extract_tokens(tokens, "rendered")
    assert result.spec is spec
    assert result.values == cell_values(spec, document)
    assert result.left_out == []
