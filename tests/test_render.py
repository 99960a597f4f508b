"""govspec render: the official layout, with exactly the cells of the findings marked."""

import re
from html.parser import HTMLParser
from pathlib import Path

from click.testing import CliRunner

from govspec.cli.main import main

ROOT = Path(__file__).resolve().parent.parent


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)


class Cells(HTMLParser):
    """The data-cell ids of marked and unmarked value cells, and the spans of header cells."""

    def __init__(self):
        super().__init__()
        self.marked, self.plain, self.spans = [], [], []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "td" and "data-cell" in attrs:
            (self.marked if "mark-" in attrs.get("class", "") else self.plain).append(attrs["data-cell"])
        if tag == "th":
            self.spans.append((attrs.get("rowspan"), attrs.get("colspan")))


def test_hegang_marks_exactly_the_cells_of_the_broken_identity():
    result = run("render", ROOT / "examples" / "hegang-justice-2020.json", "--format", "html")
    assert result.exit_code == 0
    cells = Cells()
    cells.feed(result.output)
    rows = ("received", "carried_over", "total", "carried_forward")
    assert sorted(cells.marked) == sorted(f"applications.{r}.{c}" for r in rows for c in ("natural_person", "total"))
    assert len(cells.marked) + len(cells.plain) == 198
    assert 'title="第一项加第二项之和，应等于第三项加第四项之和"' in result.output  # the message on hover
    assert "✗" in result.output and "mark-error" in result.output  # a symbol and a colour
    assert "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）" in result.output


def test_the_layout_has_the_templates_merged_cells():
    html = run("render", ROOT / "examples" / "huaian-city-2024.json").output
    cells = Cells()
    cells.feed(html)
    assert cells.marked == [] and len(cells.plain) == 200
    assert re.search(r'<th colspan="7">申请人情况</th>', html)
    assert re.search(r'<th colspan="5">法人或其他组织</th>', html)
    assert re.search(r'<th rowspan="22">三、本年度办理结果</th>', html)
    assert re.search(r'<th rowspan="8">（三）不予公开</th>', html)
    assert re.search(r'<th colspan="5">未经复议直接起诉</th>', html)


def test_markdown_marks_cells_and_lists_the_findings():
    text = run("render", ROOT / "examples" / "hegang-justice-2020.json", "--format", "markdown").output
    assert "| 一、本年新收政府信息公开申请数量 | ✗ 0 | 0 | 0 | 0 | 0 | 0 | ✗ 0 |" in text
    assert text.count("✗ ") == 8 + 2  # eight cells, two findings listed
    assert "- ✗ `applications.balance[natural_person]` 第一项加第二项之和" in text


def test_render_reads_published_text_too():
    sample = ROOT / "tests" / "reference" / "hegang-justice-2020.md"
    cells = Cells()
    cells.feed(run("render", sample).output)
    assert len(cells.marked) == 8


# --- govspec reads what govspec writes ------------------------------------------------------------

import json  # noqa: E402

import pytest  # noqa: E402
from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

import govspec  # noqa: E402
from govspec.check.report import validate_document  # noqa: E402
from govspec.extract import extract_file  # noqa: E402
from govspec.present.render import render_html, render_markdown  # noqa: E402
from govspec.testing import broken_instances, instances  # noqa: E402

NATIONAL = [govspec.load_spec("gov-info-disclosure", v) for v in ("2019", "2021")]
RENDERERS = {"html": (render_html, ".html"), "markdown": (render_markdown, ".md")}


def _render_and_read(tmp_path, spec, document, fmt):
    render, suffix = RENDERERS[fmt]
    report = validate_document(document, spec=spec)
    path = tmp_path / f"r{suffix}"
    path.write_text(render(report, document), encoding="utf-8")
    return report, extract_file(path)


def _values(document):
    return {f"{t}.{r}.{c}": v for t, rows in document["tables"].items() for r, cols in rows.items()
            for c, v in cols.items()}


@pytest.mark.parametrize("fmt", sorted(RENDERERS))
@pytest.mark.parametrize("spec", NATIONAL, ids=lambda s: s.spec.ref)
def test_rendered_reports_read_back_to_the_same_instance(spec, fmt, tmp_path_factory):
    """Every value, blank and cell not seen comes back, with the title's agency and year and the date."""
    @settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(instances(spec), st.data())
    def check(document, data):
        unseen = data.draw(st.lists(st.sampled_from([c.id for c in spec.cells]), unique=True, max_size=6))
        for cell in unseen:
            table, row, column = cell.split(".")
            del document["tables"][table][row][column]
        document["unseen"] = sorted(unseen)
        _, back = _render_and_read(tmp_path_factory.mktemp("render"), spec, document, fmt)
        assert back.spec is spec
        want = {k: v for k, v in _values(document).items()}
        got = {k: v for k, v in back.values.items()}
        assert {k: (None if v is None else str(v)) for k, v in got.items()} == \
            {k: (None if v is None else str(v)) for k, v in want.items()}
        assert sorted(back.document()["unseen"]) == sorted(unseen)
        assert back.report == {"agency": document["report"]["agency"], "year": document["report"]["year"],
                               "dated": document["report"]["published"]}  # the printed date: the report's date
    check()


@pytest.mark.parametrize("fmt", sorted(RENDERERS))
def test_a_marked_failing_report_reads_back_failing(fmt, tmp_path_factory):
    spec = NATIONAL[1]

    @settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(broken_instances(spec))
    def check(broken):
        report, back = _render_and_read(tmp_path_factory.mktemp("broken"), spec, broken.document, fmt)
        assert report.verdict == "failed"
        again = validate_document(back.document(), spec=spec)
        assert again.verdict == "failed"
        assert {f.check for f in again.findings if f.is_error} == {f.check for f in report.findings if f.is_error}
    check()


def test_the_hegang_render_read_back_fails_with_its_two_findings(tmp_path):
    for fmt, suffix in (("html", ".html"), ("markdown", ".md")):
        path = tmp_path / f"hegang{suffix}"
        path.write_text(run("render", ROOT / "examples" / "hegang-justice-2020.json", "--format", fmt).output,
                        encoding="utf-8")
        result = run("validate", path, "--format", "json")
        assert result.exit_code == 1, fmt
        [report] = json.loads(result.output)["reports"]
        assert [f["check"] for f in report["findings"] if f["severity"] == "error"] == [
            "applications.balance[natural_person]", "applications.balance[total]"], fmt
        assert report["not_reported"] == [] and report["report"]["agency"] == "鹤岗市司法局"
        assert report["report"]["dated"] == "2021-01-27" and "published" not in report["report"]


def test_render_shows_the_verdict_and_the_cells_not_read(tmp_path):
    document = json.loads((ROOT / "examples" / "huaian-city-2024.json").read_text(encoding="utf-8"))
    del document["tables"]["applications"]["received"]["business"]
    document["unseen"] = ["applications.received.business"]
    path = tmp_path / "r.json"
    path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    page = run("render", path).output
    assert "结论: 未完成检查" in page and 'class="num cell-unseen" data-cell="applications.received.business">?' in page
    markdown = run("render", path, "--format", "markdown").output
    assert markdown.startswith("## 淮安市人民政府2024年度政府信息公开工作年度报告\n\n> 结论: 未完成检查")


@pytest.mark.parametrize("fmt", sorted(RENDERERS))
def test_large_numbers_are_grouped_by_thousands_and_read_back(fmt, tmp_path):
    spec = govspec.load_spec("gov-info-disclosure", "2021")
    document = json.loads((Path(__file__).resolve().parent.parent / "examples" / "huaian-city-2024.json")
                          .read_text(encoding="utf-8"))
    document["tables"]["proactive_disclosure"]["normative_documents"]["in_force"] = 1234567
    report, back = _render_and_read(tmp_path, spec, document, fmt)
    assert "1,234,567" in (tmp_path / f"r{RENDERERS[fmt][1]}").read_text(encoding="utf-8")
    assert back.values["proactive_disclosure.normative_documents.in_force"] == 1234567
