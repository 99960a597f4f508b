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
