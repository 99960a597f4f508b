"""The day a page says it published the report (发布时间：2022-01-26, over the article, as government sites print it):
read as ``report.published``, with where it was read; never a date of another article, never one of several."""

import json
import unicodedata
from pathlib import Path

import pytest
from click.testing import CliRunner

from govspec.cli.main import main
from govspec.extract import extract_file, extract_tokens, tokens_from_html, tokens_from_text
from govspec.extract.layouts import render

CORPUS = Path(__file__).parent / "corpus"
TITLE = "某某市某某局2021年政府信息公开工作年度报告"


def _tables(layout: str) -> str:
    """The body of a complete 2021 report (one generated instance), as ``layout`` renders it."""
    import random

    import govspec
    from govspec.rules.solver import random_instance
    spec = govspec.load_spec("gov-info-disclosure", "2021")
    text = render(spec, random_instance(spec, random.Random(3)), layout)
    return text.removeprefix("<html><body>").removesuffix("</body></html>\n").removesuffix("</body></html>")


BODY = _tables("html")


def page(meta_line: str, after: str = "") -> str:
    return (f"<html><head><title>{TITLE}</title></head><body><div>首页 &gt; 政务公开 &gt; 年度报告</div>"
            f"<h1>{TITLE}</h1><div class='info'>{meta_line}</div>{BODY}{after}</body></html>")


def published(html: str):
    result = extract_tokens(tokens_from_html(html), "page.html")
    return result.report.get("published"), result.report_provenance.get("report.published")


@pytest.mark.parametrize(("line", "date"), [
    ("<span>发布时间：</span><span>2022-01-26 10:20</span> <span>来源：某某局</span> 浏览次数：<span>12</span>", "2022-01-26"),
    ("发布日期：2022年1月26日　　来源：某某局", "2022-01-26"),
    ("信息来源：某某局 公开日期：2022/01/28", "2022-01-28"),
    ("发布时间: ２０２２-０１-２６", "2022-01-26"),  # full-width digits, a colon of ASCII
])
def test_the_date_a_page_states_over_the_report_is_its_publication_with_where_it_was_read(line, date):
    found, where = published(page(line))
    assert found == date
    text = unicodedata.normalize("NFKC", where["text"])
    assert where["where"].startswith("text ") and date[:4] in text and ("发布" in text or "公开" in text)


def test_a_page_s_table_of_facts_gives_the_date_in_the_cell_beside_its_label():
    facts = ("<table><tr><td>索引号：</td><td>11320800014/2022-00012</td><td>发布机构：</td><td>某某局</td></tr>"
             "<tr><td>发布日期：</td><td>2022-01-25</td><td>生成日期：</td><td>2022-01-20</td></tr></table>")
    found, where = published(page(facts))
    assert found == "2022-01-25" and where == {"where": "table 1 row 2 col 1", "text": "发布日期：2022-01-25"}
    other_row = facts.replace("<td>2022-01-25</td><td>生成日期：</td><td>2022-01-20</td></tr>",
                              "</tr><tr><td>2022-01-25</td></tr>")  # the date on another row: not beside the label
    assert published(page(other_row)) == (None, None)


@pytest.mark.parametrize("line", [
    "发布时间：",                                    # stated without a date
    "发布时间：2022-01-26 来源：某某局 发布时间：2022-02-03",  # two that differ: not a guess between them
    "发布时间：2021-06-30",                          # before the report's year is over: not this report's
    "发布时间：2022-02-30",                          # no such day
    "成文日期：2022-01-20",                          # the day it was written, not published
    "2022-01-26",                                   # a date without saying what it is
])
def test_no_publication_date_is_taken_where_the_page_does_not_state_one_plainly(line):
    assert published(page(line)) == (None, None)


def test_a_date_after_the_report_belongs_to_other_articles_and_is_not_taken():
    related = "<div>相关文章</div><ul><li>某某局2020年政府信息公开工作年度报告 发布时间：2021-01-20</li></ul>"
    assert published(page("来源：某某局", after=related)) == (None, None)
    assert published(page("发布时间：2022-01-26", after=related))[0] == "2022-01-26"


@pytest.mark.parametrize(("name", "date"), [("008", "2022-01-25"), ("016", "2021-01-29"), ("019", "2020-01-23"),
                                             ("027", "2024-03-26")])
def test_real_pages_of_the_corpus_give_the_date_they_print(name, date):
    result = extract_file(CORPUS / f"{name}.txt")
    assert result.report["published"] == date
    assert date in result.report_provenance["report.published"]["text"].replace(" ", "")


def test_a_page_empty_of_a_date_gives_none():
    result = extract_file(CORPUS / "078.txt")  # "发布时间:" and nothing after it
    assert "published" not in result.report


def test_validate_checks_the_deadline_from_the_date_the_page_states(tmp_path):
    """A department's report (kind not given) published after 31 March: late whatever its kind; the extract record and
    its CSV say where the date was read."""
    path = tmp_path / "page.html"
    path.write_text(page("发布时间：2022-04-06 09:00 来源：某某局"), encoding="utf-8")
    validated = CliRunner().invoke(main, ["validate", str(path), "--format", "json", "--lang", "en"])
    [report] = json.loads(validated.output)["reports"]
    assert report["report"]["published"] == "2022-04-06"
    assert [f["code"] for f in report["findings"] if f["code"].startswith(("published", "deadline"))] == \
        ["published-late"]
    on_time = tmp_path / "on-time.html"
    on_time.write_text(page("发布时间：2022-01-26 来源：某某局"), encoding="utf-8")
    validated = CliRunner().invoke(main, ["validate", str(on_time), "--format", "json", "--lang", "en"])
    [report] = json.loads(validated.output)["reports"]
    assert not [f for f in report["findings"] if f["code"].startswith(("published", "deadline"))]
    record = json.loads(CliRunner().invoke(main, ["extract", str(path)]).output)["reports"][0]
    assert record["instance"]["report"]["published"] == "2022-04-06"
    assert record["provenance"]["report.published"]["text"].startswith("发布时间：2022-04-06")
    csv = CliRunner().invoke(main, ["extract", str(path), "--format", "csv-long"]).output
    assert any(line.startswith("report.published,2022-04-06,text ") and "发布时间" in line for line in csv.splitlines())


def test_a_text_without_a_page_around_it_gives_no_publication_date():
    text = f"{TITLE}\n{_tables('markdown')}\n某某市某某局\n2022年1月20日\n"
    result = extract_tokens(tokens_from_text(text), "report.txt")
    assert result.report.get("dated") == "2022-01-20" and "published" not in result.report


def test_a_page_s_metadata_gives_the_date_a_site_shows_without_a_label():
    """Government sites carry ``<meta name="PubDate" content="…">`` (政府网站 metadata), and some show the date over the
    article without a label (``2022-01-26 10:20　来源：…``): the metadata's date is the page's statement, read from
    ``meta PubDate``; where the page shows a different date with a label, neither is taken."""
    def with_meta(content: str, line: str) -> str:
        return page(line).replace("<head>", f'<head><meta name="PubDate" content="{content}">', 1)
    found, where = published(with_meta("2022-01-26 10:20", "2022-01-26 10:20　来源：某某局"))
    assert found == "2022-01-26" and where == {"where": "meta PubDate", "text": "PubDate：2022-01-26 10:20"}
    assert published(with_meta("2022-01-26 10:20", "发布时间：2022-01-26"))[0] == "2022-01-26"  # the same day twice
    assert published(with_meta("2022-01-26", "发布时间：2022-02-08")) == (None, None)  # two days: not a guess
    assert published(with_meta("2021-05-01", "来源：某某局")) == (None, None)  # before the report's year is over
    assert published(page("来源：某某局").replace("<head>", '<head><meta name="keywords" content="2022-01-26">')) == \
        (None, None)
