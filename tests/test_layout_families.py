"""Layout families of published reports, each read by what makes it that layout — or refused with the
reason — and never a value guessed, joined or shifted into a neighbouring cell."""

import json
from decimal import Decimal
from pathlib import Path

import pytest
from click.testing import CliRunner

import govspec
from govspec.cli.main import main
from govspec.extract import extract_tokens, tokens_from_html, tokens_from_text

SPEC21 = govspec.load_spec("gov-info-disclosure", "2021")
ROOT = Path(__file__).resolve().parent.parent

HEAD = "淮安市人民政府2024年政府信息公开工作年度报告\n二、主动公开政府信息情况\n第二十条第（一）项\n"


def extract_text(text):
    return extract_tokens(tokens_from_text(text), "test")


def test_a_label_followed_by_its_values_in_spaces_is_a_row():
    result = extract_text(HEAD + "信息内容 本年制发件数 本年废止件数 现行有效件数\n规章 1 0 11\n行政规范性文件 8 26 66\n")
    assert result.spec is SPEC21
    assert {k: v for k, v in result.values.items() if k.startswith("proactive_disclosure.rules")} == {
        "proactive_disclosure.rules.issued": 1, "proactive_disclosure.rules.repealed": 0,
        "proactive_disclosure.rules.in_force": 11}
    assert result.values["proactive_disclosure.normative_documents.repealed"] == 26


def test_a_spaced_row_with_a_cell_missing_is_left_out_not_shifted():
    result = extract_text(HEAD + "信息内容 本年制发件数 本年废止件数 现行有效件数\n规章 1 11\n行政规范性文件 8 26 66\n")
    assert not any(k.startswith("proactive_disclosure.rules.") for k in result.values)
    assert result.left_out[0]["text"] == "规章" and "2 cells in the row where 3 are expected" in \
        result.left_out[0]["reason"]
    assert result.values["proactive_disclosure.normative_documents.issued"] == 8


def test_a_table_row_that_is_one_cell_across_is_read_as_a_line_of_text():
    """A table with no cells between its columns (each row one cell holding a label and its values in spaces) is read
    as lines of text are; a picture alone in a row (a banner in a page's layout table) is a page's picture, not said;
    text a row's one cell hides is said, since its values may be there."""
    html = ("<p>淮安市人民政府2024年政府信息公开工作年度报告</p><p>二、主动公开政府信息情况</p>"
            "<table><tr><td><img src='banner.png'></td></tr><tr><td>第二十条第（一）项</td></tr>"
            "<tr><td>信息内容 本年制发件数 本年废止件数 现行有效件数</td></tr><tr><td>规章 1 0 11</td></tr>"
            "<tr><td>行政规范性文件 8 26 66</td></tr><tr><td style='visibility:hidden'>行政许可 1 2</td></tr></table>")
    result = extract_tokens(tokens_from_html(html), "test")
    assert {k: v for k, v in result.values.items() if k.startswith("proactive_disclosure.rules.")} == {
        "proactive_disclosure.rules.issued": 1, "proactive_disclosure.rules.repealed": 0,
        "proactive_disclosure.rules.in_force": 11}
    assert result.values["proactive_disclosure.normative_documents.repealed"] == 26
    [hidden] = result.left_out
    assert hidden["where"] == "table 1 row 6 col 1" and "it is the whole row" in hidden["reason"]


def test_labels_with_filling_instructions_in_brackets_are_the_rows_they_name():
    result = extract_text(HEAD + "| 信息内容 | 本年制发件数 | 本年废止件数 | 现行有效件数 |\n|---|---|---|---|\n"
                          "| 规章（设区的市、自治州人民政府应提供相关数据） | 2 | 0 | 9 |\n")
    assert result.values["proactive_disclosure.rules.in_force"] == 9


def test_a_table_cut_into_fragments_with_meaningless_headers_and_loose_labels():
    text = HEAD + ("规章\n| 数据1 | 数据2 | 数据3 |\n|---|---|---|\n| 1 | 0 | 11 |\n\n"
                   "行政规范性文件\n| 数据1 | 数据2 | 数据3 |\n|---|---|---|\n|  | 26 | 66 |\n\n"
                   "| 数据1 | 数据2 | 数据3 |\n|---|---|---|\n| 5 | 5 | 5 |\n")  # a row without a label: not placed
    result = extract_text(text)
    assert result.values["proactive_disclosure.rules.issued"] == 1
    assert result.values["proactive_disclosure.normative_documents.issued"] is None  # printed blank
    assert result.values["proactive_disclosure.normative_documents.in_force"] == 66
    assert 5 not in result.values.values()


def test_values_run_together_with_their_label_are_refused_with_the_reason(tmp_path):
    text = ("淮安市人民政府2024年度政府信息公开工作年度报告\n二、主动公开政府信息情况\n第二十条第（五）项\n行政许可3960181\n"
            "三、收到和处理政府信息公开申请情况\n一、本年新收政府信息公开申请数量30015300614311 9\n")
    result = extract_text(text)
    assert result.spec is not None  # the labels show the template: not "no table of a known template"
    assert result.values == {}
    assert all("cannot be split without guessing" in item["reason"] for item in result.left_out[:2])
    path = tmp_path / "crawled.txt"
    path.write_text(text, encoding="utf-8")
    validated = CliRunner().invoke(main, ["validate", str(path), "--format", "json", "--lang", "en"])
    assert validated.exit_code == 4  # read, nothing placed: incomplete, not passed and not unreadable
    [report] = json.loads(validated.output)["reports"]
    assert report["verdict"] == "incomplete"
    assert any("cannot be split" in f["message"] for f in report["findings"] if f["code"] == "value-not-placed")


def test_a_misprinted_label_the_spec_accepts_as_an_alias():
    text = HEAD.replace("二、主动公开政府信息情况\n第二十条第（一）项\n", "三、收到和处理政府信息公开申请情况\n") + \
        "| 2.其他法律行政止公开 | 30 | 1 | 0 | 0 | 0 | 0 | 31 |\n| （七）总计 | 1 | 0 | 0 | 0 | 0 | 0 | 1 |\n"
    result = extract_text(text)
    assert result.values["applications.withheld_prohibited.total"] == 31


@pytest.mark.parametrize("cell", ["1 2", "1<br>2", "1<br/>2", "1<sup>2</sup>", "1<sub>2</sub>", "<p>1</p><p>2</p>",
                                  "1<div>2</div>", "1<br hidden>2", '1<img style="display:none">2'])
def test_html_never_joins_digits_across_space_breaks_or_markup(cell):
    html = ("<h1>淮安市人民政府2024年度政府信息公开工作年度报告</h1><p>二、主动公开政府信息情况</p><table>"
            "<tr><td>第二十条第（一）项</td></tr><tr><td>信息内容</td><td>本年制发件数</td><td>本年废止件数</td>"
            f"<td>现行有效件数</td></tr><tr><td>规章</td><td>{cell}</td><td>0</td><td>11</td></tr></table>")
    result = extract_tokens(tokens_from_html(html), "test")
    assert result.spec is SPEC21
    assert "proactive_disclosure.rules.issued" not in result.values  # never 12
    assert 12 not in result.values.values()
    assert result.values["proactive_disclosure.rules.in_force"] == 11  # its neighbours keep their columns


def test_html_hidden_content_is_not_read():
    html = ("<h1>淮安市人民政府2024年度政府信息公开工作年度报告</h1><p>二、主动公开政府信息情况</p><table>"
            "<tr><td>第二十条第（一）项</td></tr><tr><td>信息内容</td><td>本年制发件数</td><td>本年废止件数</td>"
            '<td>现行有效件数</td></tr><tr><td>规章</td><td>1<span style="display: none">999</span></td>'
            '<td hidden>7</td><td>0</td><td>11</td></tr></table>')
    result = extract_tokens(tokens_from_html(html), "test")
    assert result.values["proactive_disclosure.rules.issued"] == 1
    assert result.values["proactive_disclosure.rules.repealed"] == 0  # the hidden cell takes no column
    assert 999 not in result.values.values() and 7 not in result.values.values()


_RULES_PAGE = ("<h1>淮安市人民政府2024年度政府信息公开工作年度报告</h1><p>二、主动公开政府信息情况</p><table>"
               "<tr><td>第二十条第（一）项</td></tr><tr><td>信息内容</td><td>本年制发件数</td><td>本年废止件数</td>"
               "<td>现行有效件数</td></tr><tr><td>规章</td>{}</tr></table>")


def _rules_row(cells: str) -> tuple[dict, list]:
    """The 规章 row's values (by column) and the texts left out, of a page whose row holds ``cells``."""
    result = extract_tokens(tokens_from_html(_RULES_PAGE.format(cells)), "test")
    rules = {k.rsplit(".", 1)[1]: v for k, v in result.values.items() if k.startswith("proactive_disclosure.rules.")}
    return rules, [item["text"] for item in result.left_out]


def test_html_numbers_corrected_in_place_are_read_as_corrected_never_joined():
    """A page that corrects a number by striking the old one out (``<del>94</del>4``) shows 4: the struck-out
    digits are not read, and never joined to the new ones (944)."""
    row = ('<td><del>94</del>4</td><td><s>1</s>2</td>'
           '<td><span style="text-decoration: line-through">8</span>11<strike>0</strike></td>')
    assert _rules_row(row) == ({"issued": 4, "repealed": 2, "in_force": 11}, [])
    for struck in ("<td><del>5</del></td>", '<td style="text-decoration:line-through">5</td>'):
        # shown struck out: no value (never a blank), left out and said; the cell keeps its column
        assert _rules_row(row.replace("<td><del>94</del>4</td>", struck)) == ({"repealed": 2, "in_force": 11},
                                                                              ["~~5~~"])
    # struck out and left open: the cell's edge ends it, as in a browser, and no cell loses its column
    assert _rules_row("<td><s>5</td><td>3</td><td>4</td>") == ({"repealed": 3, "in_force": 4}, ["~~5~~"])


@pytest.mark.parametrize("row, read", [
    ('<td>1<span style="display:none">9</td><td>3</td><td>4</td>', {"issued": 1, "repealed": 3, "in_force": 4}),
    ("<td>2</td><td>3<span hidden>9</td><td>4</td>", {"issued": 2, "repealed": 3, "in_force": 4}),
    ("<td>1<div hidden><table><tr><td>9</td></tr></table></div></td><td>3</td><td>4</td>",
     {"issued": 1, "repealed": 3, "in_force": 4}),
])
def test_html_hidden_content_left_open_in_a_cell_ends_at_the_cells_edge(row, read):
    """A browser closes what a cell left open at the cell's edge: the cells after it keep their columns (they
    shifted one to the left: 3 read as 本年制发件数).  A hidden table inside a cell stays hidden."""
    assert _rules_row(row) == (read, [])


def _styled_rules_row(css: str, cells: str) -> tuple[dict, list]:
    """The 规章 row's values and the texts left out, of a page whose own style sheet is ``css``."""
    page = f"<html><head><style>{css}</style></head><body>{_RULES_PAGE.format(cells)}</body></html>"
    result = extract_tokens(tokens_from_html(page), "test")
    rules = {k.rsplit(".", 1)[1]: v for k, v in result.values.items() if k.startswith("proactive_disclosure.rules.")}
    return rules, [(item["text"], item["reason"]) for item in result.left_out]


@pytest.mark.parametrize("css", [".s{display:none}", "span.s { display : none }", "#n{display:none !important}",
                                 "/* a comment */ .a , .s{display: none}", ".s{visibility:hidden}",
                                 ".s{display:none} .s.t{color:red}", "@import url(x.css); .s{display:none}",
                                 ".t{opacity:0.0}"])
def test_html_content_hidden_by_the_pages_own_style_sheet_is_not_read(css):
    """A page that guards its text against copying hides stray digits by a rule of its style sheet: a browser shows
    1, and 1999 was read.  The hidden cell takes no column, as in a browser."""
    assert _styled_rules_row(css, '<td>1<span class="s t" id="n">999</span></td><td>0</td><td>11</td>') == \
        ({"issued": 1, "repealed": 0, "in_force": 11}, [])
    if "display" in css and "#n" not in css and "span.s" not in css:  # rules that take the cell out too
        assert _styled_rules_row(css, '<td class="s">7</td><td>1</td><td>0</td><td>11</td>') == \
            ({"issued": 1, "repealed": 0, "in_force": 11}, [])


@pytest.mark.parametrize("css", ["@media print { .s{display:none} }", ".s{display:none} .s.t{display:inline}",
                                 ".s{display:none} #n{display:inline}", ".x .s{display:none}", "span:hover{display:none}",
                                 ".t{display:none} .s{display:inline}"])
def test_html_content_a_browser_shows_is_read_whatever_the_style_sheet_says_of_other_elements(css):
    """What the rules do not hide on the screen — print only, outweighed by a more specific or a later rule of the
    same weight, or by a selector govspec does not read (descendants, pseudo-classes) — is read as shown."""
    assert _styled_rules_row(css, '<td>1<span class="s t" id="n">2</span></td><td>0</td><td>11</td>') == \
        ({"issued": 12, "repealed": 0, "in_force": 11}, [])


def test_html_a_container_of_size_0_whose_cells_set_their_own_size_is_read():
    """``font-size: 0`` on a container, each part setting a size of its own, is a common layout device: not hidden."""
    page = f'<div style="font-size:0">{_RULES_PAGE.format("<td>1</td><td>0</td><td>11</td>")}</div>'
    page = page.replace("<td>", '<td style="font-size:14px">')
    result = extract_tokens(tokens_from_html(page), "test")
    assert {k.rsplit(".", 1)[1]: v for k, v in result.values.items()} == {"issued": 1, "repealed": 0, "in_force": 11}


def test_html_a_style_on_the_element_outweighs_a_rule_that_is_not_important():
    assert _styled_rules_row(".s{display:none}", '<td>1<span class="s" style="display:inline">2</span></td>'
                             '<td>0</td><td>11</td>')[0] == {"issued": 12, "repealed": 0, "in_force": 11}
    assert _styled_rules_row(".s{display:none!important}", '<td>1<span class="s" style="display:inline">2</span>'
                             '</td><td>0</td><td>11</td>')[0] == {"issued": 1, "repealed": 0, "in_force": 11}


@pytest.mark.parametrize("css, cell", [("", '<td style="visibility:hidden">5</td>'),
                                       (".v{visibility:hidden}", '<td class="v">5</td>'),
                                       ("", '<td style="opacity: 0">5</td>'), (".v{opacity:0%}", '<td class="v">5</td>')])
def test_html_a_cell_shown_empty_keeps_its_column_and_its_content_is_withheld(css, cell):
    """``visibility: hidden`` keeps the cell's box: a browser shows it empty, and the cells after it in their own
    columns.  It took no column, and 0 and 11 were read one column to the left.  A fully transparent cell is shown
    the same way."""
    rules, left = _styled_rules_row(css, cell + "<td>0</td><td>11</td>")
    assert rules == {"repealed": 0, "in_force": 11}
    assert left == [("", "the cell's content is hidden by the page's style (visibility: hidden, or fully "
                         "transparent): the cell is shown empty, and its content is not read")]
    assert _styled_rules_row(css, cell.replace(">5<", "><") + "<td>0</td><td>11</td>")[0] == \
        {"issued": None, "repealed": 0, "in_force": 11}  # a cell that holds nothing is the blank it shows


@pytest.mark.parametrize("hidden", ["hidden", 'style="display:none"'])
def test_html_a_row_not_shown_still_counts_for_the_cells_spanning_rows_above_it(hidden):
    """A cell spanning two rows covers a row that is not shown, as in a browser: the row after it is not covered,
    and its cells are in the columns a browser draws them in (they were named one column to the right)."""
    page = ("<h1>淮安市人民政府2024年度政府信息公开工作年度报告</h1><p>二、主动公开政府信息情况</p><table>"
            "<tr><td>第二十条第（一）项</td></tr><tr><td rowspan=2>信息内容</td><td>本年制发件数</td><td>本年废止件数</td>"
            f"<td>现行有效件数</td></tr><tr {hidden}><td>9</td><td>9</td><td>9</td></tr>"
            "<tr><td>规章</td><td>1</td><td>0</td><td>11</td></tr></table>")
    result = extract_tokens(tokens_from_html(page), "test")
    assert {k: v["where"] for k, v in result.provenance.items()} == {
        "proactive_disclosure.rules.issued": "table 1 row 3 col 2",
        "proactive_disclosure.rules.repealed": "table 1 row 3 col 3",
        "proactive_disclosure.rules.in_force": "table 1 row 3 col 4"}
    assert 9 not in result.values.values()


def test_html_form_fields_are_read_as_the_values_they_show_never_joined():
    """A page publishing the filled-in form shows each value in a text field: read as shown; a hidden field is
    not shown; a field beside other digits parts them."""
    row = ('<td><input type="text" value="5" readonly></td><td><input value="1"><input type="hidden" value="9"></td>'
           '<td>1<input value="2"></td>')
    assert _rules_row(row) == ({"issued": 5, "repealed": 1}, ["1 2"])
    hidden = '<td><input value="5" style="display:none"></td><td>0</td><td><input value="9" hidden>11</td>'
    assert _rules_row(hidden) == ({"issued": None, "repealed": 0, "in_force": 11}, [])  # a field not shown: no value


def _printed_as_2019(text: str, sums: list) -> str:
    """The 2021 Markdown with （六）其他处理 printed as one row of sums, its three rows not printed."""
    out = []
    for line in text.splitlines():
        if line.startswith("| （六）其他处理"):
            out.append("| （六）其他处理 | " + " | ".join(map(str, sums)) + " |")
        elif not any(line.startswith("| " + p) for p in ("1.申请人无正当理由", "2.申请人逾期未按", "3.其他 ")):
            out.append(line)
    return "\n".join(out) + "\n"


def test_a_2021_table_printing_the_2019_single_row_other_handling():
    """The spec's known variant: the printed row stands for the sum of the three rows in the checks that
    read them through their sum; the rows are not printed, so their own totals are not checkable."""
    from govspec.check.report import validate_document
    from govspec.extract import findings
    from govspec.extract.layouts import render
    document = json.loads((ROOT / "examples" / "huaian-city-2024.json").read_text(encoding="utf-8"), parse_float=Decimal)
    apps = document["tables"]["applications"]
    rows = ("other_no_correction", "other_unpaid_fee", "other_other")
    sums = [sum(apps[r][c] for r in rows) for c in apps["total"]]
    result = extract_text(_printed_as_2019(render(SPEC21, document, "markdown"), sums))
    assert result.variants == {"applications.other_handling": dict(zip(apps["total"], sums))}
    assert not any(k.startswith(tuple(f"applications.{r}." for r in rows)) for k in result.values)
    assert [f.code for f in findings(result)] == ["variant-printed"]
    report = validate_document(result.document(), spec=SPEC21)
    assert report.verdict == "incomplete" and report.not_evaluated == {"unseen": 3}  # the three row totals
    assert {f.check for f in report.findings if f.code == "rule-not-checkable"} == {
        f"applications.row_total[{r}]" for r in rows}
    wrong = list(sums)
    wrong[0] += 1  # the printed 自然人 sum no longer adds up to （七）总计
    broken = validate_document(extract_text(_printed_as_2019(render(SPEC21, document, "markdown"), wrong))
                               .document(), spec=SPEC21)
    assert broken.verdict == "failed"
    assert [f.check for f in broken.findings if f.is_error] == ["applications.outcome_total[natural_person]"]


def test_header_lines_of_labels_set_apart_by_spaces_tell_the_template():
    """PDF text: the header line's labels, set apart by spaces, vote for the version that has them."""
    text = ("某县人民政府2022年政府信息公开工作年度报告\n二、主动公开政府信息情况\n"
            "信息内容 本年制发件数 本年废止件数 现行有效件数\n")  # no row label: only the header tells
    result = extract_text(text)
    assert result.spec is SPEC21 and result.template_basis == "headers"


def test_two_conflicting_copies_of_a_table_are_refused_not_resolved():
    table = ("<table><tr><td>第二十条第（一）项</td></tr><tr><td>信息内容</td><td>本年制发件数</td><td>本年废止件数</td>"
             "<td>现行有效件数</td></tr><tr><td>规章</td><td>{}</td><td>0</td><td>11</td></tr></table>")
    page = "<h1>淮安市人民政府2024年度政府信息公开工作年度报告</h1><p>二、主动公开政府信息情况</p>"
    same = extract_tokens(tokens_from_html(page + table.format(1) + table.format(1)), "test")
    assert same.values["proactive_disclosure.rules.issued"] == 1 and same.left_out == []  # a copy agrees
    differ = extract_tokens(tokens_from_html(page + table.format(1) + table.format(7)), "test")
    assert "proactive_disclosure.rules.issued" not in differ.values
    assert differ.values["proactive_disclosure.rules.in_force"] == 11
    [item] = differ.left_out
    assert "two conflicting copies" in item["reason"]


def test_what_a_browser_does_not_show_is_not_read_and_parts_the_text():
    head = ("<h1>淮安市人民政府2024年度政府信息公开工作年度报告</h1><p>二、主动公开政府信息情况</p><table>"
            "<tr><td>第二十条第（一）项</td></tr><tr><td>信息内容</td><td>本年制发件数</td><td>本年废止件数</td>"
            "<td>现行有效件数</td></tr><tr><td>规章</td><td>{}</td><td>{}</td><td>{}</td></tr></table>")
    page = head.format("<script>9</script>", "1<!-- -->0", '1<i style="display:none">9</i>0')  # found by fuzzing
    result = extract_tokens(tokens_from_html(page), "test")
    assert not {k: v for k, v in result.values.items() if k.startswith("proactive_disclosure.rules.") and v}
    inline = extract_tokens(tokens_from_html(head.format("<b>1</b>0", "<span>2</span>", "3")), "test")
    assert inline.values["proactive_disclosure.rules.issued"] == 10  # inline markup with no gap is one text


def test_what_extraction_leaves_out_is_said_in_chinese_by_default(tmp_path):
    path = tmp_path / "crawled.txt"
    path.write_text("淮安市人民政府2024年度政府信息公开工作年度报告\n二、主动公开政府信息情况\n第二十条第（五）项\n"
                    "行政许可3960181\n三、收到和处理政府信息公开申请情况\n一、本年新收政府信息公开申请数量30015300614311 9\n",
                    encoding="utf-8")
    validated = CliRunner().invoke(main, ["validate", str(path), "--format", "json"])
    [report] = json.loads(validated.stdout)["reports"]
    [message] = [f["message"] for f in report["findings"] if f["code"] == "value-not-placed"][:1]
    assert message.startswith("第4行：") and "不猜测就无法拆分" in message


def test_the_text_copied_out_of_the_real_pdf_reads_as_the_pdf_does():
    """Every page's text as a PDF viewer copies it (pdfium's text, page by page): the pieces of a group's label broken
    over lines land beside its rows (``法提供 2.没有现成信息需要另行制作 11 0 …``), and each row is still read by its
    own label — the same 200 values as the PDF's tables."""
    import pypdfium2

    from govspec.extract import extract_file
    path = ROOT / "tests" / "documents" / "huaian-city-2024.pdf"
    pdf = pypdfium2.PdfDocument(str(path))
    try:
        text = "\n".join(pdf[number].get_textpage().get_text_range() for number in range(len(pdf)))
    finally:
        pdf.close()
    assert "法提供 2.没有现成信息需要另行制作" in text
    copied = extract_text(text)
    assert copied.left_out == [] and len(copied.values) == 200
    assert copied.values == extract_file(path).values


ROWS_OF_FIVE = ("三、收到和处理政府信息公开申请情况\n"
                "自然人 商业企业 科研机构 社会公益组织 法律服务机构 其他 总计\n")


@pytest.mark.parametrize("before,read", [
    ("（五）不", True), ("予处理", True), ("不予处", True),  # pieces of the row's own group: (五)不予处理
    ("予公开", False), ("其他处", False),  # pieces of other groups' labels: the row is not this one's, left out
])
def test_a_piece_of_the_groups_label_before_a_row_label_is_read_only_for_the_groups_own_rows(before, read):
    result = extract_text(HEAD + ROWS_OF_FIVE + f"{before} 2.重复申请 25 0 0 0 0 0 25\n")
    placed = {k: v for k, v in result.values.items() if k.startswith("applications.not_processed_repeat.")}
    assert (placed.get("applications.not_processed_repeat.total") == 25) is read
    assert read or (placed == {} and "2.重复申请" in result.left_out[-1]["text"])


def test_labels_then_their_values_column_by_column_are_left_out_not_read_in_order():
    """Some PDF text sets a table down column by column: every row's label, then the first column's values of every
    row, and so on. The values after the last label are not that row's: every row is left out, with the reason."""
    text = HEAD + "信息内容\n本年制发件数\n本年废止件数\n现行有效件数\n规章\n行政规范性文件\n" + \
        "\n".join(["1", "8", "0", "26", "11", "66"]) + "\n第二十条第（五）项\n"
    result = extract_text(text)
    assert not any(k.startswith("proactive_disclosure.") and v is not None for k, v in result.values.items())
    assert any("more values before the next label" in item["reason"] for item in result.left_out)


@pytest.mark.parametrize("page", ["- 5 -", "— 5 —", "－5－", "第 5 页", "第5页 共6页"])
def test_a_page_number_between_a_rows_values_is_page_furniture_not_a_cell(page):
    text = HEAD + "信息内容\n本年制发件数\n本年废止件数\n现行有效件数\n规章\n1\n" + page + "\n0\n11\n行政规范性文件\n8\n26\n66\n"
    result = extract_text(text)
    assert [result.values[f"proactive_disclosure.rules.{c}"] for c in ("issued", "repealed", "in_force")] == [1, 0, 11]
    assert result.values["proactive_disclosure.normative_documents.in_force"] == 66 and result.left_out == []


def test_pieces_of_the_outer_and_inner_groups_labels_before_a_row_label_are_read_as_the_rows():
    """Text laid out as the page is (a PDF's text in layout mode): the vertical label of 三、本年度办理结果 and the label
    of (三)不予公开, a piece of each beside the row."""
    result = extract_text(HEAD + ROWS_OF_FIVE + "办   （三）不    4.保护第三方合法权益   6  0  0  0  0  0  6\n"
                          "结  （六）其  3.其他 108 2 0 0 0 0 110\n")
    assert result.values["applications.withheld_third_party.total"] == 6
    assert result.values["applications.other_other.total"] == 110
    nested_wrongly = extract_text(HEAD + ROWS_OF_FIVE + "（三）不 办 4.保护第三方合法权益 6 0 0 0 0 0 6\n")  # inner first
    assert "applications.withheld_third_party.total" not in nested_wrongly.values


@pytest.mark.parametrize("layout", [
    "1、申请人无正当理由逾期不补\n正、行政机关不再处理其政府信   67  3  0  0  1  0  71\n息公开申请\n",  # on the middle line
    "5.要求行政机关确认或重新出\n      1  0  0  0  0  0  1\n具已获取信息\n",  # on a line of their own between the pieces
])
def test_a_label_broken_over_lines_around_its_values_is_one_label_on_the_values_line(layout):
    """Text laid out as the page is (a PDF's text in layout mode): a label of two or three lines beside its values."""
    result = extract_text(HEAD + ROWS_OF_FIVE + layout + "3.其他 108 2 0 0 0 0 110\n")
    row = "other_no_correction" if layout.startswith("1、") else "not_processed_confirmation"
    assert result.values[f"applications.{row}.total"] == (71 if row == "other_no_correction" else 1)
    assert result.values["applications.other_other.total"] == 110 and result.left_out == []


def test_pieces_around_values_that_make_no_label_are_left_as_they_were():
    result = extract_text(HEAD + ROWS_OF_FIVE + "1、申请人无正当理由逾期不补\n正、行政机关   67  3  0  0  1  0  71\n另一段文字\n")
    assert not any(k.startswith("applications.other_no_correction") for k in result.values)


def test_a_number_its_cell_wrapped_onto_the_next_line_leaves_the_row_out_not_cut_short():
    """Text laid out as the page is: 3119, wrapped in its narrow cell, is 311 on the row's line and 9 under it. Which
    cell the 9 continues cannot be told: the row is left out, never read with 311."""
    result = extract_text(HEAD + ROWS_OF_FIVE + "一、本年新收政府信息公开申请数量   3001  53  0  0  61  4   311\n"
                          "                                                       9\n"
                          "二、上年结转政府信息公开申请数量   34  0  0  0  0  0  34\n")
    assert not any(k.startswith("applications.received.") for k in result.values)
    assert result.values["applications.carried_over.total"] == 34
    assert "wrapped" in result.left_out[0]["reason"]
    review = extract_text(HEAD + "四、政府信息公开行政复议、行政诉讼情况\n行政复议 行政诉讼\n"
                          "72  64   178 37      35 13  4    8   1    26  12   1   1    6     20\n                  1\n")
    assert not any(k.startswith("review_litigation.") and v is not None for k, v in review.values.items())


@pytest.mark.parametrize("layout,row,total", [
    # the row's label goes on under its values, after a piece of its group's label
    ("（五）不    3.要求提供公开出版      28   15   4     18    17  24  106\n 予处理         物\n",
     "not_processed_publication", 106),
    # the values after the label's last piece, pieces of the groups' labels before both
    ("（五）不   4.无正当理由大量反\n 予处理     复申请         3    10   1     13     2  12   41\n",
     "not_processed_excessive", 41),
])
def test_pieces_of_the_groups_labels_in_the_column_before_a_broken_label_are_set_aside(layout, row, total):
    """Text laid out as the page is: the group's label (五)不予处理 broken over the lines of its rows, in the column
    before their labels, which are broken over lines too."""
    result = extract_text(HEAD + ROWS_OF_FIVE + layout)
    assert result.values[f"applications.{row}.total"] == total and result.left_out == []
    elsewhere = extract_text(HEAD + ROWS_OF_FIVE + layout.replace("予处理", "予公开"))  # another group's piece
    assert f"applications.{row}.total" not in elsewhere.values


def test_a_label_broken_over_many_lines_of_a_narrow_cell_is_one_label():
    """A PDF page's text outside a grid (a row a page break set apart): a narrow cell breaks its label every three
    characters, its values on the third line."""
    text = HEAD + ROWS_OF_FIVE + "1.本机\n关不掌\n握相关 26 28 19 15 9 16 113\n政府信\n息\n" + \
        "1.申请\n人无正\n当理由\n逾期不\n补正、\n行政机\n关不再 1 2 3 4 5 6 21\n处理其\n政府信\n息公开\n申请\n"
    result = extract_text(text)
    assert result.values["applications.unavailable_not_held.total"] == 113
    assert result.values["applications.other_no_correction.total"] == 21 and result.left_out == []


REVIEW_HEAD = "四、政府信息公开行政复议、行政诉讼情况\n"
REVIEW_HEADERS = ("行政复议 | | | | | 行政诉讼 | | | | | | | | |\n"
                  "结果维持 | 结果纠正 | 其他结果 | 尚未审结 | 总计 | 未经复议直接起诉 | | | | | 复议后起诉 | | | |\n")


def test_section_four_with_a_stub_column_and_a_column_lost_is_left_out_not_shifted():
    """A table of section 四 whose first column is the stub's (empty in its header rows and its value row), printed on a
    page too narrow for its last column: the value row's empty first cell is the stub's, not a blank value, so the 14
    values left are not shifted into the 15 columns — the row is left out, with the reason."""
    stub_headers = "".join("| | " + line for line in REVIEW_HEADERS.splitlines(keepends=True))
    values = " | ".join(str(v) for v in range(101, 115))
    after = "总计\n210104\n五、存在的主要问题及改进情况\n"  # the lost column's cells, printed outside the table
    result = extract_text(HEAD + REVIEW_HEAD + stub_headers + "| | " + values + " |\n" + after)
    assert not any(k.startswith("review_litigation.") and v is not None for k, v in result.values.items())
    assert "15 placeable cells" in result.left_out[-1]["reason"]
    whole = extract_text(HEAD + REVIEW_HEAD + stub_headers + "| | " + values + " | 115 |\n")
    assert whole.values["review_litigation.cases.review_upheld"] == 101
    assert whole.values["review_litigation.cases.after_review_total"] == 115


def test_section_four_without_a_stub_column_keeps_a_blank_first_value():
    values = " | ".join(str(v) for v in range(102, 116))
    result = extract_text(HEAD + REVIEW_HEAD + REVIEW_HEADERS + "| | " + values + " |\n")
    assert result.values["review_litigation.cases.review_upheld"] is None  # printed blank
    assert result.values["review_litigation.cases.after_review_total"] == 115


def test_section_four_whose_header_misses_a_column_is_left_out():
    """Text copied out of a page that cut section 四's table at its edge: the header names 14 of its 15 columns, and the
    value row's last number is cut to its visible digits (106 of 106,504)."""
    header = "行政复议 行政诉讼\n结果维\n持\n结果纠正\n其他结果\n尚未审结\n总计\n未经复议直接起诉 复议后起诉\n" + \
        "结果维持\n结果纠正\n其他结果\n尚未审结\n总计\n结果维持\n结果纠正\n其他结果\n尚未审结\n总\n"
    values = "65,537 4,475 133 262 70,407 1,118 71,553 147 1,583 74,401 34,892 0 6,078 65,534 106\n"
    result = extract_text(HEAD + REVIEW_HEAD + header + values + "2022年1月20日\n")
    assert not any(k.startswith("review_litigation.") and v is not None for k, v in result.values.items())
    assert "lacks its last column" in result.left_out[-1]["reason"]
    whole = extract_text(HEAD + REVIEW_HEAD + header.replace("总\n", "总计\n") + values + "2022年1月20日\n")
    assert whole.values["review_litigation.cases.after_review_total"] == 106  # a header whole: read as the text says
    for worded in (header.replace("总计", "合计").replace("总\n", "合计\n"), header.replace("其他结果", "其它结果")):
        other = extract_text(HEAD + REVIEW_HEAD + worded.replace("总\n", "总计\n") + values + "2022年1月20日\n")
        assert other.values["review_litigation.cases.after_review_total"] == 106  # worded otherwise: not a cut


CELLS_HEAD = ("淮安市人民政府2024年政府信息公开工作年度报告\n二、主动公开政府信息情况\n第二十条第（一）项 |\n信息内容 |\n"
              "本年制发件数 |\n本年废止件数 |\n现行有效件数 |\n")


def test_one_cell_a_line_with_an_empty_cell_and_a_value_too_many_is_left_out_not_shifted():
    """``|`` alone is an empty cell: with it, four cells where the row has three — whose the extra one is cannot
    be told (it was read as 1, 0, 11, the empty cell dropped)."""
    result = extract_text(CELLS_HEAD + "规章 |\n1 |\n|\n0 |\n11 |\n行政规范性文件 |\n8 |\n26 |\n66 |\n")
    assert not any(cell.startswith("proactive_disclosure.rules.") for cell in result.values)
    assert "4 cells in the row where 3 are expected" in result.left_out[0]["reason"]
    assert result.values["proactive_disclosure.normative_documents.in_force"] == 66


def test_one_cell_a_line_a_labels_pipe_on_a_line_of_its_own_is_no_cell():
    result = extract_text(CELLS_HEAD + "规章\n|\n5 |\n|\n7 |\n行政规范性文件 |\n8 |\n26 |\n66 |\n")
    assert {k: v for k, v in result.values.items() if k.startswith("proactive_disclosure.rules.")} == {
        "proactive_disclosure.rules.issued": 5, "proactive_disclosure.rules.repealed": None,
        "proactive_disclosure.rules.in_force": 7}
    padded = extract_text(CELLS_HEAD + "规章 |\n|\n|\n5 |\n7 |\n行政规范性文件 |\n8 |\n26 |\n66 |\n")
    assert not any(cell.startswith("proactive_disclosure.rules.") for cell in padded.values)  # 7 is no padding


@pytest.mark.parametrize("headings", ["sections", "the body's opening only"])
def test_rows_before_the_heading_of_their_section_are_no_rows_of_its_table(headings):
    """A whole page: a navigation list (信息公开目录) naming rows of section 二, with numbers, comes before the report.
    Read as rows, they conflicted with the table's own (both left out) — or, where the table lacks the row, stood as
    its values.  The heading that opens the report's body (一、总体情况) tells it as well as the section's own."""
    from govspec.extract.layouts import render
    from govspec.io.writers import cell_values

    document = json.loads((ROOT / "examples" / "huaian-city-2024.json").read_text(encoding="utf-8"), parse_float=Decimal)
    table = render(SPEC21, document, "html").replace("<html><body>", "").replace("</body></html>", "")
    coercion = document["tables"]["proactive_disclosure"]["coercion"]["decisions"]
    table = table.replace(f"<tr><td>行政强制</td><td>{coercion}</td></tr>", "")  # the table lacks this row
    if headings != "sections":  # the body's opening shown, the section's own heading not
        table = "<p>一、总体情况</p><p>……</p>" + table.replace("<h2>二、主动公开政府信息情况</h2>", "")
    page = ("<html><body><ul><li>行政处罚 3</li><li>行政强制 99</li></ul>"
            f"<h1>淮安市人民政府2024年政府信息公开工作年度报告</h1>{table}</body></html>")
    result = extract_tokens(tokens_from_html(page), "test")
    want = cell_values(SPEC21, document)
    assert result.values["proactive_disclosure.penalty.decisions"] == want["proactive_disclosure.penalty.decisions"]
    assert "proactive_disclosure.coercion.decisions" not in result.values  # not 99
    assert {item["text"] for item in result.left_out if "before the heading" in item["reason"]} == {"行政处罚", "行政强制"}
    assert {cell: value for cell, value in result.values.items() if want[cell] != value} == {}


def _whole_page(before: str = "", after: str = "") -> str:
    """The example report as a whole page of a government site: navigation, the title, the report, links, a footer."""
    from govspec.extract.layouts import render

    document = json.loads((ROOT / "examples" / "huaian-city-2024.json").read_text(encoding="utf-8"), parse_float=Decimal)
    tables = render(SPEC21, document, "html").replace("<html><body>", "").replace("</body></html>", "")
    return (f"<html><head><title>淮安市人民政府门户网站</title></head><body>{before}"
            "<h1>淮安市人民政府2024年政府信息公开工作年度报告</h1><p>一、总体情况</p><p>……</p>"
            f"{tables}<p>淮安市人民政府办公室</p><p>2025年1月20日</p>{after}</body></html>")


@pytest.mark.parametrize("before", [
    "",  # the site's name (<title>) just before the title: never taken into the body's name
    "<ul>" + "".join(f"<li>栏目{i}</li>" for i in range(60)) + "</ul>",  # navigation longer than a title search was
    "<ul><li>淮安市人民政府2023年政府信息公开工作年度报告</li></ul>",  # the site's other reports first
    "<ul><li>行政处罚 3</li><li>淮安市人民政府2023年政府信息公开工作年度报告</li></ul>",  # a row-like line, too
    "<ul><li>一、总体情况</li><li>二、主动公开政府信息情况</li><li>三、收到和处理政府信息公开申请情况</li>"
    "<li>四、政府信息公开行政复议、行政诉讼情况</li><li>五、存在的主要问题及改进情况</li><li>六、其他需要报告的事项</li></ul>",
    # the report's sections listed before its title
])
def test_a_whole_pages_title_is_the_one_nearest_before_the_report(before):
    after = ("<ul><li>上一篇：淮安市人民政府2023年政府信息公开工作年度报告</li></ul>"
             + "".join(f"<p>链接{i}</p>" for i in range(20)) + "<p>电话：0517-83606000 苏ICP备05009050号</p>")
    result = extract_tokens(tokens_from_html(_whole_page(before, after)), "test")
    assert result.report == {"agency": "淮安市人民政府", "year": 2024, "dated": "2025-01-20"}


def test_a_title_without_the_bodys_name_gives_the_year():
    result = extract_text("2019年政府信息公开工作年度报告\n一、总体情况\n二、主动公开政府信息情况\n第二十条第（一）项\n"
                          "信息内容 本年新制作数量 本年新公开数量 对外公开总数量\n规章 1 0 11\n")
    assert result.report == {"year": 2019}


THREE = HEAD.split("\n")[0] + "\n三、收到和处理政府信息公开申请情况\n"
LEAVES = ("| | | 自然人 | 商业企业 | 科研机构 | 社会公益组织 | 法律服务机构 | 其他 | 总计 |\n"
          "|---|---|---|---|---|---|---|---|---|\n")


def test_a_merged_label_repeated_in_each_cell_it_covers_is_one_label():
    """Converters and exports that fill a merged cell's text into every cell it covers write ``| 一、本年新收… |
    一、本年新收… | 一、本年新收… | 3001 | …``: the row is read once, from its label's last copy — the first copies were
    each left out with "9 cells in the row where 7 are expected", a warning for a row that was read."""
    received = "一、本年新收政府信息公开申请数量"
    text = (THREE +
            "| | | | 自然人 | 法人或其他组织 | 法人或其他组织 | 法人或其他组织 | 法人或其他组织 | 法人或其他组织 | 总计 |\n"
            "|---|---|---|---|---|---|---|---|---|---|\n"
            "| | | | 自然人 | 商业企业 | 科研机构 | 社会公益组织 | 法律服务机构 | 其他 | 总计 |\n"
            f"| {received} | {received} | {received} | 3001 | 53 | 0 | 0 | 61 | 4 | 3119 |\n"
            "| 三、本年度办理结果 | （一）予以公开 | （一）予以公开 | 1288 | | 0 | 0 | 50 | 3 | 1362 |\n")
    result = extract_text(text)
    assert result.left_out == []
    assert result.values["applications.received.natural_person"] == 3001
    assert result.values["applications.received.total"] == 3119
    assert result.values["applications.disclosed.business"] is None
    assert result.values["applications.disclosed.total"] == 1362


def test_a_markdown_cells_line_breaks_and_spaces_written_as_markup_part_its_text():
    """Markdown holds a line break in a table's cell only as ``<br>``, and converters write a space as ``&nbsp;``: the
    label ``一、本年新收政府信息<br>公开申请数量`` is its row's (it was an unknown row, its values lost), ``&nbsp;`` alone
    is an empty cell, and ``1<br>362`` is no value — never 1362."""
    text = (THREE +
            "| | | 自然人 | 商业<br>企业 | 科研<br>机构 | 社会公益<br>组织 | 法律服务<br>机构 | 其他 | 总计 |\n"
            "|---|---|---|---|---|---|---|---|---|\n"
            "| 一、本年新收政府信息<br>公开申请数量 | | 3001 | 53 | 0 | 0 | 61 | 4 | 3119 |\n"
            "| 三、本年度办理结果 | （一）予以<BR/>公开 | 1288 | &nbsp; | 0 | 0 | 50 | 3 | 1<br>362 |\n")
    result = extract_text(text)
    assert result.values["applications.received.total"] == 3119
    assert result.values["applications.disclosed.business"] is None
    assert "applications.disclosed.total" not in result.values
    assert result.left_out[0]["text"] == "1 362" and "not a value" in result.left_out[0]["reason"]


def test_a_markdown_cells_emphasis_is_not_its_value_and_struck_text_is_not_read():
    """A page's bold or italic cells come out of converters as ``**3001**``, ``*0*``, ``__3119__``, ```21```: each was
    "not a value" and left out.  ``~~1360~~ 1362`` shows 1362, as the page's ``<del>`` does; ``~~5~~`` alone shows no
    value and is no blank; emphasis inside a number (``1**2**``) is not read as 12."""
    text = (THREE + LEAVES +
            "| **一、本年新收政府信息公开申请数量** | | **3001** | 53 | *0* | 0 | 61 | 4 | __3119__ |\n"
            "| 三、本年度办理结果 | （一）予以公开 | 1288 | `21` | ~~5~~ | 1**2** | 50 | 3 | ~~1360~~ 1362 |\n")
    result = extract_text(text)
    values = {k.split(".", 1)[1]: v for k, v in result.values.items()}
    assert values["received.natural_person"] == 3001 and values["received.research"] == 0
    assert values["received.total"] == 3119 and values["disclosed.business"] == 21 and values["disclosed.total"] == 1362
    assert "disclosed.research" not in values and "disclosed.public_interest" not in values
    assert [item["text"] for item in result.left_out] == ["~~5~~", "1**2**"]


def test_markdowns_escapes_are_the_characters_themselves_and_an_escaped_pipe_is_no_cells_edge():
    """Converters escape what Markdown would read as syntax: ``1\\.属于国家秘密`` (a list's number), ``\\-`` (a blank
    mark), ``\\|`` (a pipe in a cell).  The rows were not found and their values lost without a word; a pipe in a cell
    cut it in two, and the values after it would have moved a column."""
    text = (THREE + LEAVES +
            "| （三）不予公开 | 1\\.属于国家秘密 | 2 | 0 | 0 | 0 | 0 | 0 | 2 |\n"
            "| （三）不予公开 | 3\\.危及“三安全一稳定” | 5 | \\- | 0 | 0 | 0 | 0 | 5 |\n"
            "| （三）不予公开 | 4\\.保护第三方合法权益\\|注 | 6 | 0 | 0 | 0 | 0 | 0 | 6 |\n")
    result = extract_text(text)
    rows = {k.split(".")[1] for k in result.values}
    assert len(result.values) == 14 and len(rows) == 2
    assert [v for k, v in result.values.items() if k.endswith(".total")] == [2, 5]
    assert None in result.values.values()  # \- is the blank mark
    assert not any(k.startswith("applications.withheld_third_party.") for k in result.values)  # 4.…|注 names no row


def test_full_width_forms_real_pages_print_read_as_their_ascii_forms():
    """The corpus folds full-width punctuation to ASCII; real pages print it full width.  A mirror site's pinyin gloss in
    full-width brackets (``規（guī）章``) hid the label, and the table with it; a blank mark ``／`` (``/`` full width)
    was no value, so a row of one cell a line or set in spaces lost its place."""
    glossed = extract_text(HEAD.replace("主动公开政府信息情况", "主動公開政府信息情況") +
                           "信息內（nèi）容 | 本年制發（fā）件數（shù） | 本年廢止件數（shù） | 現（xiàn）行有效件數（shù） |\n"
                           "規（guī）章 | 1 | 0 | 11 |\n")
    assert glossed.values["proactive_disclosure.rules.in_force"] == 11
    cells = extract_text(CELLS_HEAD + "规章 |\n1 |\n／ |\n11 |\n")
    spaced = extract_text(HEAD + "信息内容 本年制发件数 本年废止件数 现行有效件数\n规章 1 ／ 11\n")
    for result in (cells, spaced):
        assert {k.rsplit(".", 1)[1]: v for k, v in result.values.items() if ".rules." in k} == {
            "issued": 1, "repealed": None, "in_force": 11}


def test_a_title_cut_by_a_sidebar_beside_it_names_the_body_unless_the_sidebar_names_another_year():
    """A page with a sidebar printed to PDF (Chromium): the title's two lines and the sidebar's interleave, a wide gap
    between the columns, so the title was never whole and the report had no body or year.  Its pieces are joined only
    when no other reading of pieces gives another body or year (the sidebar's link to last year's report, cut alike)."""
    body = HEAD.split("\n", 1)[1] + "信息内容 本年制发件数 本年废止件数 现行有效件数\n规章 1 0 11\n"
    sidebar = ("行政处罚 3 淮安市人民政府2024年政府信息公开工作\n淮安市人民政\n府2023年政府 年度报告\n信息公开工作\n"
               "年度报告\n一、总体情况\n")
    assert extract_text(sidebar + body).report == {"agency": "淮安市人民政府", "year": 2024}
    both_cut = ("淮安市人民政府2024年政府信息公开工作 其他\n淮安市人民政府2023年政府信息公开工作 其他\n栏目\n年度报告 年度报告\n"
                "一、总体情况\n")
    assert extract_text(both_cut + body).report == {}  # two years: neither taken


@pytest.mark.parametrize("title,report", [
    ("2024年淮安市人民政府政府信息公开工作年度报告", {"agency": "淮安市人民政府", "year": 2024}),
    ("2024年度淮安市人民政府信息公开工作年度报告", {"agency": "淮安市人民政府", "year": 2024}),
    ("2024年淮安市教育局政府信息公开工作年度报告", {"agency": "淮安市教育局", "year": 2024}),
    ("淮安市教育局政府信息公开工作年度报告（2024年度）", {"agency": "淮安市教育局", "year": 2024}),
    ("淮安市人民政府二〇二四年政府信息公开工作年度报告", {"agency": "淮安市人民政府", "year": 2024}),
    ("二〇二四年政府信息公开工作年度报告", {"year": 2024}),
    ("2019年政府信息公开工作年度报告", {"year": 2019}),
])
def test_a_title_with_its_year_first_last_or_in_numerals_names_the_body_and_year(title, report):
    """These gave no body and, but for the last, no year: the report could not be paired with its year before."""
    assert extract_text(title + "\n" + HEAD.split("\n", 1)[1] + "规章 | 1 | 0 | 11 |\n").report == report


def test_a_title_about_the_years_work_names_no_body():
    """``关于2021年度政府信息公开工作的年度报告`` (a real excerpt, corpus 008) gave the body's name as 关于."""
    about = extract_text("关于2021年度政府信息公开工作的年度报告\n" + HEAD.split("\n", 1)[1] + "规章 | 1 | 0 | 11 |\n")
    assert about.report == {"year": 2021}
    named = extract_text("盐边县新九镇人民政府关于2021年度政府信息公开工作的年度报告\n" + HEAD.split("\n", 1)[1])
    assert named.report == {"agency": "盐边县新九镇人民政府", "year": 2021}


def test_a_grid_tables_row_wrapped_over_lines_is_one_row_and_a_number_it_broke_no_value():
    """Pandoc writes a Word table with wrapped cells as a grid table: a row between ``+---+`` borders, each cell's text
    over as many lines as its width needs.  The label broken over four lines was no row (its values lost); read as one
    line of cells, the label is its row's — and a number the cell broke (``31`` over ``19``) is no value, never 3119."""
    border = "+----+----+----+----+----+----+----+----+\n"
    text = (THREE + border + "| | 自然人 | 商业 | 科研机构 | 社会公益组织 | 法律服务机构 | 其他 | 总计 |\n"
            "| | | 企业 | | | | | |\n" + border.replace("-", "=") +
            "| 一、本年新 | 3001 | 53 | 0 | 0 | 61 | 4 | 3119 |\n| 收政府信息 | | | | | | | |\n"
            "| 公开申请数量 | | | | | | | |\n" + border +
            "| 二、上年结转政府信息 | 34 | 0 | 0 | 0 | 0 | 0 | 31 |\n| 公开申请数量 | | | | | | | 19 |\n" + border)
    result = extract_text(text)
    assert result.values["applications.received.business"] == 53
    assert result.values["applications.received.total"] == 3119
    assert result.values["applications.carried_over.natural_person"] == 34  # its other cells keep their columns
    assert "applications.carried_over.total" not in result.values
    assert result.left_out[0]["text"] == "31 19" and "not a value" in result.left_out[0]["reason"]


def test_a_table_drawn_with_box_drawing_characters_is_read_as_a_grid_table():
    """Text exported by tools that draw tables with box-drawing characters (``┌──┬──┐``, ``│``) was read as lines of
    text: no row was found, and nothing said so."""
    rule = "├────────────────┼──────────────┼──────────────┼──────────────┤\n"
    text = (HEAD.split("第二十条")[0] + "┌────────────────┬──────────────┬──────────────┬──────────────┐\n"
            "│ 第二十条第（一）项                                            │\n" + rule +
            "│ 信息内容       │ 本年制发件数 │ 本年废止件数 │ 现行有效件数 │\n" + rule +
            "│ 规章           │ 1            │              │ 11           │\n" + rule +
            "│ 行政规范性     │ 8            │ 26           │ 66           │\n"
            "│ 文件           │              │              │              │\n"
            "└────────────────┴──────────────┴──────────────┴──────────────┘\n")
    result = extract_text(text)
    assert {k.split(".", 1)[1]: v for k, v in result.values.items()} == {
        "rules.issued": 1, "rules.repealed": None, "rules.in_force": 11,
        "normative_documents.issued": 8, "normative_documents.repealed": 26, "normative_documents.in_force": 66}
    assert result.left_out == []
    from govspec.extract.gridtables import undrawn
    assert undrawn("规章 │ 1 ── 2\n") == "规章 │ 1 ── 2\n"  # no line of box-drawing characters alone: text as it is


def test_one_cell_a_line_section_fours_empty_label_and_a_value_lost_is_left_out_not_shifted():
    """One cell a line writes section 四's empty row label as ``|``.  With that ``|`` and 14 values, one value is lost
    (or the ``|`` is a blank first value and the label was not written): which, nothing tells.  It was read as a blank
    first value, each of the 14 one column late.  With all 15 values it is read."""
    header = "".join(f"{word} |\n" for word in ("行政复议", "行政诉讼", "结果维持", "结果纠正", "其他结果", "尚未审结", "总计"))
    values = [str(v) for v in range(101, 116)]
    short = extract_text(CELLS_HEAD + "规章 |\n1 |\n0 |\n11 |\n" + REVIEW_HEAD + header + "|\n" +
                         "".join(f"{v} |\n" for v in values[1:]))
    assert not any(k.startswith("review_litigation.") for k in short.values)
    assert "15 placeable cells" in short.left_out[-1]["reason"]
    whole = extract_text(CELLS_HEAD + "规章 |\n1 |\n0 |\n11 |\n" + REVIEW_HEAD + header + "|\n" +
                         "".join(f"{v} |\n" for v in values))
    assert whole.values["review_litigation.cases.review_upheld"] == 101
    assert whole.values["review_litigation.cases.after_review_total"] == 115


def test_the_kangxi_radicals_a_pdfs_fonts_print_are_the_characters_of_the_bodys_name():
    """A PDF's text often gives ``⼈`` (U+2F08, the Kangxi radical) for 人 and ``⼯`` for 工: labels compared as always,
    and the body's name is 淮安市人民政府 — as its other reports spell it — not 淮安市⼈民政府."""
    result = extract_text("淮安市⼈民政府2024年政府信息公开⼯作年度报告\n⼆、主动公开政府信息情况\n第⼆⼗条第（⼀）项\n"
                          "| 信息内容 | 本年制发件数 | 本年废⽌件数 | 现⾏有效件数 |\n|---|---|---|---|\n| 规章 | 1 | 0 | 11 |\n")
    assert result.report == {"agency": "淮安市人民政府", "year": 2024}
    assert result.values["proactive_disclosure.rules.in_force"] == 11


AS_TEXT = ROOT / "tests" / "as-text" / "huaian-city-2024"


@pytest.mark.parametrize("name,placed", [
    ("pypdf.txt", 200), ("pypdf-layout.txt", 200), ("pymupdf.txt", 200), ("pymupdf4llm.md", 200),
    ("pymupdf-sorted.txt", 193),  # 5.属于三类内部事务信息's total run into a group label's piece (8结): left out
    ("pdfminer.txt", 16),  # table 3 column by column: its values tied to no row, left out
    ("pdfplumber.txt", 200), ("pdfplumber-layout.txt", 200), ("pdf2docx.docx", 200),
    ("pdfplumber-tables.csv", 200),  # the tables alone: section 四's found by its header, without its heading
])
def test_the_real_pdfs_text_as_other_tools_give_it(name, placed):
    """The real PDF's text as pypdf, PyMuPDF, pymupdf4llm and pdfminer write it (tests/as-text/README.md): every value
    placed is the PDF's own, and every cell not placed is said to be unseen, never guessed."""
    from govspec.extract import extract_file
    pdf = extract_file(ROOT / "tests" / "documents" / "huaian-city-2024.pdf").values
    result = extract_file(AS_TEXT / name)
    assert {k: v for k, v in result.values.items() if pdf.get(k) != v} == {}
    assert len(result.values) == placed
    assert set(result.document()["unseen"]) == set(pdf) - set(result.values)


def test_a_rows_values_on_the_line_under_its_label_after_pieces_of_its_groups_label_are_its_own():
    """Text laid out as the page is (pypdf's layout mode): a label whose line sits above its values, a character of the
    vertical label 三、本年度办理结果 before them."""
    layout = ("年           3.危及“三安全一稳定”\n"
              "度                                  5     0      0      0        0      0      5\n\n"
              "办   （三）不    4.保护第三方合法权益            6     0      0      0        0      0      6\n")
    result = extract_text(HEAD + ROWS_OF_FIVE + layout)
    assert result.values["applications.withheld_security.total"] == 5 and result.left_out == []
    assert result.values["applications.withheld_third_party.total"] == 6
    other = extract_text(HEAD + ROWS_OF_FIVE + layout.replace("度   ", "处   "))  # no piece of the row's groups
    assert not any(k.startswith("applications.withheld_security.") for k in other.values)
    assert other.values["applications.withheld_third_party.total"] == 6


def test_a_group_labels_piece_after_a_rows_values_is_set_aside_and_other_text_there_leaves_the_row_out():
    """Text laid out as the page is (PyMuPDF, sorted): the piece of (三)不予公开 after the row's values is no cell; text
    that is no piece of the row's groups' labels (a total run into a piece: 8结) leaves the row out, with the reason."""
    row = "办          4.保护第三方合法权益             6         0         0          0           0          0         6"
    result = extract_text(HEAD + ROWS_OF_FIVE + row + "   （三）不\n")
    assert result.values["applications.withheld_third_party.total"] == 6 and result.left_out == []
    for after in ("   （五）不", "结", "   另一段文字"):
        other = extract_text(HEAD + ROWS_OF_FIVE + row + after + "\n")
        assert not any(k.startswith("applications.withheld_third_party.") for k in other.values)
        assert "followed on its line by text" in other.left_out[0]["reason"]


def test_a_line_of_a_group_labels_pieces_between_a_labels_pieces_is_set_aside():
    layout = ("         2、申请人逾期未按收费通知要\n    他处理\n"
              "         求缴纳费用、行政机关不再处理      6         0         0          0           0          0         6\n"
              "\n         其政府信息公开申请\n")
    result = extract_text(HEAD + ROWS_OF_FIVE + layout + "3、其他 108 2 0 0 0 0 110\n")
    assert result.values["applications.other_unpaid_fee.total"] == 6 and result.left_out == []
    other = extract_text(HEAD + ROWS_OF_FIVE + layout.replace("他处理", "予公开") + "3、其他 108 2 0 0 0 0 110\n")
    assert not any(k.startswith("applications.other_unpaid_fee.") for k in other.values)


MARKDOWN_HEAD = (HEAD + "三、收到和处理政府信息公开申请情况\n"
                 "| | 自然人 | 商业企业 | 科研机构 | 社会公益组织 | 法律服务机构 | 其他 | 总计 |\n"
                 "|---|---|---|---|---|---|---|---|\n")


def test_a_markdown_row_cut_in_two_its_labels_first_piece_over_empty_cells_is_one_row():
    """pymupdf4llm cuts a row whose label its cell wraps: the label's first piece over empty cells, the rest of it over
    the row's values. The empty cells hold nothing; any value among them leaves both lines as they are."""
    cut = ("|1、申请人无正当理由逾期不补||||||||\n"
           "|正、行政机关不再处理其政府信<br>息公开申请|67|3|0|0|1|0|71|\n|3、其他|108|2|0|0|0|0|110|\n")
    result = extract_text(MARKDOWN_HEAD + cut)
    assert [result.values[f"applications.other_no_correction.{c}"] for c in ("natural_person", "total")] == [67, 71]
    assert result.values["applications.other_other.total"] == 110 and result.left_out == []
    filled = extract_text(MARKDOWN_HEAD + cut.replace("|||||||", "|5||||||", 1))
    assert not any(k.startswith("applications.other_no_correction.") for k in filled.values)


HTML2TEXT = ("第二十条第（一）项  \n---  \n信息内容| 本年制发件数| 本年废止件数| 现行有效件数  \n规章| 1| 0|   \n"
             "行政规范性文件| 8| 26| 66  \n\n三、收到和处理政府信息公开申请情况\n\n"
             "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和） | 申请人情况  \n---|---  \n"
             "自然人| 法人或其他组织| 总计  \n| 商业企业| 科研机构| 社会公益组织| 法律服务机构| 其他|   \n"
             "一、本年新收政府信息公开申请数量| 821| 35|  |  | 2| 1|    \n"
             "二、上年结转政府信息公开申请数量| 18|  |  |  |  |  | 18  \n\n"
             "四、政府信息公开行政复议、行政诉讼情况\n\n行政复议| 行政诉讼  \n---|---  \n"
             "结果维持| 结果纠正| 其他结果| 尚未审结| 总计| 未经复议直接起诉| 复议后起诉  \n"
             "结果维持| 结果纠正| 其他结果| 尚未审结| 总计| 结果维持| 结果纠正| 其他结果| 尚未审结| 总计  \n"
             " |  |  | 2| 7| 8|  |  | 1| 9|  |  |  |  |    \n")


def test_a_markdown_table_without_outer_pipes_keeps_an_empty_first_or_last_cell():
    """html2text writes tables without outer pipes (``---|---``): a row whose last cell is empty ends in ``|``, one whose
    first cell is empty starts with it. There the pipe parts two cells — read as a closing pipe, it dropped the empty
    cell and the row was a cell short. In a table whose rows have outer pipes, a pipe at either end still closes it."""
    result = extract_text(HEAD + HTML2TEXT)
    received = {k.split(".")[-1]: v for k, v in result.values.items() if k.startswith("applications.received.")}
    assert received == {"natural_person": 821, "business": 35, "research": None, "public_interest": None,
                        "legal_services": 2, "other": 1, "total": None}
    review = {k.split(".")[-1]: v for k, v in result.values.items() if k.startswith("review_litigation.")}
    assert review["review_upheld"] is None and review["review_pending"] == 2 and review["direct_total"] == 9
    assert [result.values[f"proactive_disclosure.rules.{c}"] for c in ("issued", "repealed", "in_force")] == [1, 0, None]
    assert result.left_out == []
    piped = extract_text(MARKDOWN_HEAD + "| 一、本年新收政府信息公开申请数量 | 821 | 35 | | | 2 | 1 |\n"
                         "| 二、上年结转政府信息公开申请数量 | 18 | | | | | | 18 |\n")
    assert not any(k.startswith("applications.received.") for k in piped.values)  # 6 cells: left out, not shifted


def test_a_value_given_once_for_each_column_its_merged_cell_covers_in_a_row_of_one_cell_is_that_cell():
    """python-docx gives a merged cell once for each grid column it covers, values too: in a row of one cell every copy
    is that cell; copies that differ, or a row of several cells, are left out as before (whose is each, unknown)."""
    text = (HEAD + "| 规章 | 1 | 0 | 11 |\n"
            "| 第二十条第（五）项 | 第二十条第（五）项 | 第二十条第（五）项 | 第二十条第（五）项 |\n"
            "| 信息内容 | 本年处理决定数量 | 本年处理决定数量 | 本年处理决定数量 |\n| 行政许可 | 447228 | 447228 | 447228 |\n"
            "| 第二十条第（六）项 | 第二十条第（六）项 | 第二十条第（六）项 | 第二十条第（六）项 |\n"
            "| 行政处罚 | 3985758 | 3985758 | 5 |\n")
    result = extract_text(text)
    assert result.values["proactive_disclosure.licensing.decisions"] == 447228
    assert "proactive_disclosure.penalty.decisions" not in result.values
    assert [item["text"] for item in result.left_out] == ["行政处罚"]


def test_a_section_heading_in_markdowns_underscored_bold_opens_its_table():
    """mammoth writes a Word document's bold headings as ``__四、…__`` and each table cell as a paragraph: section 四's
    values are read after its heading, as with ``**…**``."""
    cells = ["行政复议", "行政诉讼", "结果维持", "结果  \n纠正", "其他  \n结果", "尚未  \n审结", "总计", "未经复议直接起诉",
             "复议后起诉"] + ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"] * 2 + \
        ["72", "64", "178", "37", "351", "13", "4", "8", "1", "26", "12", "1", "1", "6", "20"]
    text = HEAD + "__四、政府信息公开行政复议、行政诉讼情况__\n\n" + "\n\n".join(cells) + "\n\n__五、存在的主要问题及改进情况__\n"
    review = {k: v for k, v in extract_text(text).values.items() if k.startswith("review_litigation.")}
    assert review["review_litigation.cases.review_upheld"] == 72 and review["review_litigation.cases.after_review_total"] == 20


def test_one_cell_a_paragraph_with_merged_cells_given_once_for_each_column_they_cover():
    """docx2python writes a Word table one cell a paragraph, a merged cell once for each grid column it covers: a label
    three times, then its row's values; a row of one cell its value three times. Read as the cells they are, nothing
    said left out; three values that differ after a row of one cell are still whose, nobody can tell."""
    label = "一、本年新收政府信息公开申请数量"
    text = (HEAD + "信息内容\n\n本年处理决定数量\n\n本年处理决定数量\n\n本年处理决定数量\n\n第二十条第（五）项\n\n"
            "行政许可\n\n447228\n\n447228\n\n447228\n\n第二十条第（六）项\n\n行政处罚\n\n3985758\n\n3985758\n\n5\n\n"
            "三、收到和处理政府信息公开申请情况\n\n" + f"{label}\n\n" * 3
            + "\n\n".join(["3001", "53", "0", "0", "61", "4", "3119"]) + "\n\n二、上年结转政府信息公开申请数量\n\n"
            + "\n\n".join(["34", "0", "0", "0", "0", "0", "34"]) + "\n")
    result = extract_text(text)
    assert result.values["proactive_disclosure.licensing.decisions"] == 447228
    assert result.values["applications.received.total"] == 3119 and result.values["applications.received.business"] == 53
    assert "proactive_disclosure.penalty.decisions" not in result.values
    assert [item["text"] for item in result.left_out] == ["行政处罚"]


MADE_AS_TEXT = ROOT / "tests" / "as-text" / "made-huaian-city-2024"


@pytest.mark.parametrize("name", sorted(p.name for p in MADE_AS_TEXT.iterdir()))
def test_the_made_files_as_other_tools_give_them(name):
    """The made Word and Excel files as docx2txt, docx2python, mammoth and pandas write them, and through markdownify as
    MarkItDown does (tests/as-text/README.md): all 200 cells, each the file's own value, nothing left out."""
    from govspec.extract import extract_file
    source = ROOT / "tests" / "documents" / ("made-huaian-city-2024." + ("xlsx" if name.startswith("xlsx") else "docx"))
    result = extract_file(MADE_AS_TEXT / name)
    assert result.values == extract_file(source).values and result.left_out == []
    assert result.report["agency"] == "淮安市人民政府" and result.report["year"] == 2024  # mammoth's title in __…__


def test_section_fours_table_without_its_heading_is_found_by_its_first_header_row():
    """Tools that take a PDF's tables out alone (pdfplumber, camelot) leave the heading over section 四 behind: its first
    header row, 行政复议 and 行政诉讼 its only texts, opens the table. A row with other text in it does not."""
    header = "行政复议,,,,,行政诉讼,,,,,,,,,\n结果维持,结果纠正,其他结果,尚未审结,总计,未经复议直接起诉,,,,,复议后起诉,,,,\n" + \
        ",,,,,结果维持,结果纠正,其他结果,尚未审结,总计,结果维持,结果纠正,其他结果,尚未审结,总计\n"
    values = "72,64,178,37,351,13,4,8,1,26,12,1,1,6,20\n"
    table = "规章,1,0,11\n行政规范性文件,8,26,66\n" + header + values
    read = extract_tokens(tokens_from_text(HEAD.replace("\n", ",,,\n") + table.replace(",", "\t")), "t").values
    assert read["review_litigation.cases.review_upheld"] == 72 and read["review_litigation.cases.after_review_total"] == 20
    other = table.replace("行政复议,,,,,行政诉讼", "行政复议,,,,,行政诉讼,备注")
    read = extract_tokens(tokens_from_text(HEAD + other.replace(",", "\t")), "t").values
    assert not any(k.startswith("review_litigation.") for k in read)
    spaced = "行政复议 行政复议 行政诉讼 行政诉讼\n" + header.split("\n", 1)[1].replace(",", " ") + values.replace(",", " ")
    read = extract_text(HEAD + "规章 1 0 11\n" + spaced).values  # pandas's to_string: each a merged cell's label per column
    assert read["review_litigation.cases.direct_total"] == 26


READ_HTML_2019 = ("2019年某某局政府信息公开工作年度报告\n二、主动公开政府信息情况\n| 0 | 1 | 2 | 3 | 4 |\n|---|---|---|---|---|\n"
                  "| 第二十条第（一）项 | 第二十条第（一）项 | 第二十条第（一）项 | 第二十条第（一）项 | 第二十条第（一）项 |\n"
                  "| 信息内容 | 本年新 制作数量 | 本年新 公开数量 | 本年新 公开数量 | 对外公开总数量 |\n"
                  "| 规章 | 13 | 13 | 13 | 524 |\n"
                  "| 规范性文件 | 60 | 60 | 60 | 368 |\n")


def test_a_merged_cell_given_once_for_each_column_it_covers_under_its_repeated_header_is_one_cell():
    """pandas's read_html (and exports that fill merged cells) give a merged cell once for each column it covers, its
    header too: where the header over the row shows a column's label over several places, the row's cells there are
    that one cell when they agree. Copies that differ are left out: whose is the value, nobody can tell."""
    result = extract_text(READ_HTML_2019)
    assert [result.values[f"proactive_disclosure.rules.{c}"] for c in ("new_made", "new_published", "total_published")] \
        == [13, 13, 524]
    assert result.values["proactive_disclosure.normative_documents.total_published"] == 368 and result.left_out == []
    differ = extract_text(READ_HTML_2019.replace("规章 | 13 | 13 | 13", "规章 | 13 | 13 | 14"))
    assert not any(k.startswith("proactive_disclosure.rules.") for k in differ.values)
    assert differ.values["proactive_disclosure.normative_documents.new_published"] == 60


def test_a_label_given_once_for_each_column_it_covers_set_in_spaces_is_the_label():
    label = "一、本年新收政府信息公开申请数量"
    result = extract_text(HEAD + ROWS_OF_FIVE + f"{label} {label} {label}  3001 53 0 0 61 4 3119\n")
    assert result.values["applications.received.total"] == 3119 and result.left_out == []
