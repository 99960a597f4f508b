"""Tables copied as text — out of Excel or WPS, Word or a browser — set their cells apart by tabs: each tab is a cell's
edge, so an empty cell keeps its place.  Read so, a blank cell is read as blank and the values around it stay in
their columns; where the text cannot tell which column a cell is in, the row is left out, never shifted."""

from decimal import Decimal
from pathlib import Path

import pytest

import govspec
from govspec.extract import extract_file, extract_tokens, tokens_from_text
from govspec.extract.layouts import render
from govspec.extract.tokens import tab_rows
from govspec.io.writers import cell_values
from govspec.rules.solver import random_instance

SPEC21 = govspec.load_spec("gov-info-disclosure", "2021")
TITLE = "淮安市人民政府2024年政府信息公开工作年度报告"
WIDTH = 15  # Excel copies its whole range: every line as wide as the widest row (section 四's 15 values)


def _excel(rows: list[list[str]]) -> str:
    """Rows as Excel copies a range: a tab between cells, each line padded with the range's empty cells."""
    return "\r\n".join("\t".join(row + [""] * (WIDTH - len(row))) for row in rows) + "\r\n"


SECTION_TWO = [[TITLE], ["二、主动公开政府信息情况"], ["第二十条第（一）项"],
               ["信息内容", "本年制发件数", "本年废止件数", "现行有效件数"]]


def _read(text: str):
    return extract_tokens(tokens_from_text(text), "copied")


def _rules(result) -> dict:
    return {k.rsplit(".", 1)[1]: v for k, v in result.values.items() if k.startswith("proactive_disclosure.rules.")}


def test_a_blank_cell_of_a_range_copied_out_of_excel_keeps_its_column():
    result = _read(_excel(SECTION_TWO + [["规章", "1", "", "11"], ["行政规范性文件", "8", "26", "66"]]))
    assert _rules(result) == {"issued": 1, "repealed": None, "in_force": 11}
    assert result.values["proactive_disclosure.normative_documents.repealed"] == 26
    assert result.left_out == []
    assert result.provenance["proactive_disclosure.rules.in_force"] == {"where": "line 5 col 4", "text": "11"}


def test_a_row_whose_only_value_is_blank_reads_blank_where_the_range_is_a_rectangle():
    """``行政处罚`` and the range's tabs: as wide as the lines with values, so the tabs are cells (a blank), not a
    stray tab at a line's end."""
    rows = [[TITLE], ["二、主动公开政府信息情况"], ["第二十条第（五）项"], ["信息内容", "本年处理决定数量"],
            ["行政许可", "447228"], ["第二十条第（六）项"], ["信息内容", "本年处理决定数量"], ["行政处罚", ""],
            ["行政强制", "88283"]]
    result = _read(_excel(rows))
    assert result.values["proactive_disclosure.penalty.decisions"] is None
    assert result.values["proactive_disclosure.coercion.decisions"] == 88283
    # one cell a line, a stray tab after each label: no line has a tab between its words, so the tabs are no cells
    lone = _read("\n".join(row[0] for row in rows[:3]) + "\n行政许可\t\n447228\n第二十条第（六）项\n行政处罚\t\n3\n")
    assert lone.values["proactive_disclosure.penalty.decisions"] == 3


def test_a_blank_at_the_edge_of_a_row_among_merged_cells_is_left_out_not_shifted():
    """``| 规章 | | 3 | 0 | |``: the label's merged cell before the values and a cell after them; whether the blank is
    the first column or the last, nothing tells — it was read as blank, 3, 0."""
    for text in ("| 规章 | | 3 | 0 | |\n", "规章\t\t3\t0\t\n"):
        result = _read("\n".join(line[0] for line in SECTION_TWO[:3]) + "\n" + text + "| 行政规范性文件 | 8 | 26 | 66 |\n")
        assert _rules(result) == {}, text
        assert "4 cells in the row where 3 are expected" in result.left_out[0]["reason"]
        assert result.values["proactive_disclosure.normative_documents.issued"] == 8
    one_way = _read("\n".join(line[0] for line in SECTION_TWO[:3]) + "\n规章\t\t3\t0\t5\n")  # the empty one is the label's
    assert _rules(one_way) == {"issued": 3, "repealed": 0, "in_force": 5}


def test_section_four_under_a_heading_set_in_a_merged_row_keeps_a_blank_first_value():
    """Excel's section 四 heading is a row of its own, its cells merged: the empty cells after it are the heading's,
    not a stub column, so the value row's empty first cell is the first value, blank."""
    values = [""] + [str(v) for v in range(102, 116)]
    groups = ["行政复议", "", "", "", "", "行政诉讼"]
    heads = ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"]
    rows = [[TITLE], ["四、政府信息公开行政复议、行政诉讼情况"], groups,
            [""] * 5 + ["未经复议直接起诉", "", "", "", "", "复议后起诉"], heads * 3, values]
    result = _read(_excel(rows))
    assert result.values["review_litigation.cases.review_upheld"] is None
    assert result.values["review_litigation.cases.review_corrected"] == 102
    assert result.values["review_litigation.cases.after_review_total"] == 115


def test_tabs_that_indent_a_line_are_no_cells():
    """Text copied out of a page's source keeps its indent (a real excerpt, corpus 071): ``\\t\\t\\t0`` is the value 0
    of a layout of one cell a line, not a row of three empty cells and a value."""
    plain = "\n".join(line[0] for line in SECTION_TWO[:3]) + "\n规章\n1\n0\n11\n"
    indented = "\n".join("\t\t\t" + line for line in plain.splitlines()) + "\n"
    assert tab_rows(indented.splitlines()) == {}
    assert _read(indented).values == _read(plain).values
    assert _rules(_read(indented)) == {"issued": 1, "repealed": 0, "in_force": 11}


def test_a_line_of_words_set_apart_by_a_tab_is_read_as_before():
    text = (f"{TITLE}\t\n二、主动公开政府信息情况\n第二十条第（一）项\n"
            "信息内容\t本年制发件数\t本年废止件数\t现行有效件数\n规章\t1\t0\t11\n")
    lines = text.splitlines()
    assert set(tab_rows(lines)) == {5}
    result = _read(text)
    assert result.report["agency"] == "淮安市人民政府" and result.report["year"] == 2024
    assert _rules(result) == {"issued": 1, "repealed": 0, "in_force": 11}


def test_a_header_of_words_alone_with_a_quoted_line_break_is_read_line_by_line_as_before():
    lines = '信息内容\t"本年制发\n件数"\t本年废止件数\n规章\t1\t0\t11'.splitlines()
    assert tab_rows(lines) == {3: ["规章", "1", "0", "11"]}  # lines 1 and 2 are no row: nothing of them is dropped
    texts = [token.text for token in tokens_from_text("\n".join(lines))]
    assert texts[:2] == ['信息内容\t"本年制发', '件数"\t本年废止件数']


def test_a_label_excel_quoted_for_its_line_break_is_one_label():
    rows = SECTION_TWO + [['"行政规范性', '文件"', "8", "", "66"]]
    text = _excel(rows[:-1]) + '"行政规范性\r\n文件"\t8\t\t66' + "\t" * (WIDTH - 4) + "\r\n"
    result = _read(text)
    assert {k: v for k, v in result.values.items() if ".normative_documents." in k} == {
        "proactive_disclosure.normative_documents.issued": 8, "proactive_disclosure.normative_documents.repealed": None,
        "proactive_disclosure.normative_documents.in_force": 66}


@pytest.mark.parametrize("seed", range(4))
def test_a_browsers_copy_of_govspecs_own_page_with_blanks_reads_back(seed, tmp_path):
    """What a browser copies out of a table (cells set apart by tabs, a spanned cell once), govspec's own marks
    (``✗1,853``: the symbol is a span of its own, with no space after it) taken off."""
    import random
    rng = random.Random(seed)
    document = random_instance(SPEC21, rng)
    for cell in SPEC21.cells:  # money exact, as a report's text gives it
        row = document["tables"][cell.table.id][cell.row.id]
        if isinstance(row[cell.column.id], float):
            row[cell.column.id] = Decimal(str(row[cell.column.id]))
    for cell in rng.sample(list(SPEC21.cells), 3):
        document["tables"][cell.table.id][cell.row.id][cell.column.id] = None
    text = render(SPEC21, document, "tabs").replace("\t1", "\t✗1")  # marked cells, as the page's text gives them
    path = tmp_path / "copied.txt"
    path.write_text(text, encoding="utf-8")
    result = extract_file(path)
    assert result.values == cell_values(SPEC21, document)
    assert result.left_out == []


def test_the_real_workbook_copied_as_excel_copies_it_reads_as_the_workbook(tmp_path):
    openpyxl = pytest.importorskip("openpyxl")
    source = Path(__file__).resolve().parent.parent.parent / "shared/samples/documents/made-huaian-city-2024.xlsx"
    if not source.exists():
        pytest.skip("the shared samples are not beside this checkout")
    sheet = openpyxl.load_workbook(source).worksheets[0]
    for row, column in ((6, 3), (23, 10), (25, 4)):  # 规章's 本年废止件数; the totals' edges of two rows of section 三
        sheet.cell(row, column).value = None

    def cell(value) -> str:
        text = "" if value is None else str(value)
        return '"' + text.replace('"', '""') + '"' if any(c in text for c in '\n\t"') else text

    path = tmp_path / "copied.txt"
    path.write_text("\r\n".join("\t".join(map(cell, row)) for row in sheet.iter_rows(values_only=True)) + "\r\n",
                    encoding="utf-8")
    result = extract_file(path)
    assert len(result.values) == 200 and result.left_out == []
    assert result.values["proactive_disclosure.rules.repealed"] is None
    assert result.values["proactive_disclosure.rules.in_force"] == 11
    assert result.values["applications.received.total"] is None  # placed by the header, quoted cells and all
    assert result.values["applications.disclosed.natural_person"] is None
    assert result.values["applications.disclosed.business"] == 21


def test_a_sheet_saved_as_csv_a_blank_at_a_rows_edge_is_placed_by_its_header_or_left_out(tmp_path):
    """CSV keeps no merged cells: the label ``（一）予以公开`` merged over two columns leaves an empty cell after it, and
    the range's last columns are empty too.  With the row's total blank, the values were read one column late (the
    merged label's empty cell taken for 自然人's blank).  The header, naming each column right above its cells, tells
    which empty cell is the blank; without a header that does, the row is left out."""
    header = ",,,自然人,商业企业,科研机构,社会公益组织,法律服务机构,其他,总计,,"
    row = ",（一）予以公开,,1288,21,0,0,50,3,,,"
    read = {}
    for name, head in {"header": header, "shifted": "," + header[:-1], "none": ",,,,,,,,,,,"}.items():
        path = tmp_path / f"{name}.csv"
        path.write_text("\r\n".join([TITLE, "三、收到和处理政府信息公开申请情况", head, row]) + "\r\n", encoding="utf-8-sig")
        read[name] = extract_file(path)
    assert {k.rsplit(".", 1)[1]: v for k, v in read["header"].values.items() if ".disclosed." in k} == {
        "natural_person": 1288, "business": 21, "research": 0, "public_interest": 0, "legal_services": 50, "other": 3,
        "total": None}
    for name in ("shifted", "none"):
        assert not any(".disclosed." in k for k in read[name].values), name
        assert "cells in the row where 7 are expected" in read[name].left_out[0]["reason"]


def test_a_markdown_row_with_a_merged_label_and_padding_is_placed_by_its_header():
    """The layout of a real excerpt (the 鹤岗 sample): section 三's header over three lines, each row's label with its
    merged cell, a padding cell at the end.  A blank first or last value leaves two ways to cut the row; the header's
    places decide, and a row set one place off from them is left out."""
    head = (f"{TITLE}\n三、收到和处理政府信息公开申请情况\n"
            "| （本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和） | | 申请人情况 | | | | | | | |\n"
            "|---|---|---|---|---|---|---|---|---|---|\n"
            "| | | 自然人 | 法人或其他组织 | | | | | 总计 | |\n"
            "| | | | 商业企业 | 科研机构 | 社会公益组织 | 法律服务机构 | 其他 | | |\n")
    rows = {"| 一、本年新收政府信息公开申请数量 | | 5 | 1 | 0 | 0 | 0 | 0 | | |\n": (5, None),
            "| 一、本年新收政府信息公开申请数量 | | | 1 | 0 | 0 | 0 | 0 | 1 | |\n": (None, 1)}
    for row, (first, total) in rows.items():
        result = _read(head + row)
        assert result.values["applications.received.natural_person"] == first
        assert result.values["applications.received.business"] == 1
        assert result.values["applications.received.total"] == total
    off = _read(head + "| 一、本年新收政府信息公开申请数量 | | | | 1 | 0 | 0 | 0 | 0 | 1 | |\n")
    assert not any(".received." in k for k in off.values)


def test_a_workbook_whose_merged_cells_were_unmerged_and_filled_reads_as_the_workbook(tmp_path):
    """WPS's 取消合并单元格并填充 (and Excel's fill of a selection): every merged range unmerged, its value in each of its
    cells — labels, headers and values alike. A value given in each column its cell covered is that one cell where the
    header shows its column's label over the same places, or the row has one cell; copies that differ are left out."""
    openpyxl = pytest.importorskip("openpyxl")
    source = Path(__file__).resolve().parent / "documents" / "made-huaian-city-2024.xlsx"
    book = openpyxl.load_workbook(source)
    for sheet in book.worksheets:
        for merged in list(sheet.merged_cells.ranges):
            value = sheet.cell(merged.min_row, merged.min_col).value
            sheet.unmerge_cells(str(merged))
            for row in range(merged.min_row, merged.max_row + 1):
                for column in range(merged.min_col, merged.max_col + 1):
                    sheet.cell(row, column).value = value
    filled = tmp_path / "filled.xlsx"
    book.save(filled)
    result = extract_file(filled)
    assert result.values == extract_file(source).values and result.left_out == []
    sheet = book.worksheets[0]
    row = next(r for r in range(1, sheet.max_row + 1) if sheet.cell(r, 1).value == "行政许可")
    sheet.cell(row, 3).value = 1  # one copy differs: whose is the value, nobody can tell
    book.save(filled)
    result = extract_file(filled)
    assert "proactive_disclosure.licensing.decisions" not in result.values
    assert [item["text"] for item in result.left_out] == ["行政许可"]


MERGED_ONCE = (f"{TITLE}\n二、主动公开政府信息情况\n"
               "|  |  |  |  |  |\n| --- | --- | --- | --- | --- |\n"
               "| 第二十条第（一）项 | | | | |\n"
               "| 信息内容 | 本年制发件数 | 本年废止件数 | | 现行有效件数 |\n"
               "| 规章 | 13 | 13 | | 524 |\n"
               "| 行政规范性文件 | 60 | | | 368 |\n"
               "| 第二十条第（五）项 | | | | |\n"
               "| 信息内容 | 本年处理决定数量 | | | |\n"
               "| 行政许可 | | 7 | | |\n")


def test_a_merged_cell_given_once_with_its_places_left_empty_is_placed_by_its_header():
    """markdownify (and MarkItDown, which uses it) write a merged cell once and the places it also covers as empty cells,
    in the header and in the rows, as the real 上海市人民政府办公厅 2019 page comes out: a row then has more cells than
    columns. The header's label and the empty places after it are one column: its one value — or none, a blank — is the
    column's, and a row whose copies in one column differ is left out."""
    result = _read(MERGED_ONCE)
    assert _rules(result) == {"issued": 13, "repealed": 13, "in_force": 524}
    assert result.values["proactive_disclosure.normative_documents.issued"] == 60
    assert result.values["proactive_disclosure.normative_documents.repealed"] is None  # blank: nothing in its places
    assert result.values["proactive_disclosure.normative_documents.in_force"] == 368
    assert result.values["proactive_disclosure.licensing.decisions"] == 7  # in the places its header covers
    differ = _read(MERGED_ONCE.replace("| 规章 | 13 | 13 | | 524 |", "| 规章 | 13 | 13 | 2 | 524 |"))
    assert not any(".rules." in k for k in differ.values)
    assert [item["text"] for item in differ.left_out] == ["规章"]


def test_section_four_with_a_merged_cell_given_once_is_placed_by_its_header_line():
    """Section 四 names 结果维持 … 总计 under each of its three groups: its columns are told by their order on the header
    line, each with the empty places after it."""
    head = (f"{TITLE}\n四、政府信息公开行政复议、行政诉讼情况\n"
            "|  | 行政复议 |  |  |  |  | 行政诉讼 |\n"
            "|  | 结果维持 |  | 结果纠正 | 其他结果 | 尚未审结 | 总计 | " + " | ".join(
                ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"] * 2) + " |\n")
    values = [str(v) for v in range(1, 16)]
    result = _read(head + "|  | " + " | ".join([values[0], ""] + values[1:]) + " |\n")
    assert [result.values[f"review_litigation.cases.{c.id}"] for c in
            SPEC21.spec.table("review_litigation").blocks[0].columns] == list(range(1, 16))
    shifted = _read(head + "|  | " + " | ".join(["", values[0]] + values[1:]) + " |\n")  # its one value in its places
    assert shifted.values["review_litigation.cases.review_upheld"] == 1
    two = _read(head + "|  | " + " | ".join([values[0], "9"] + values[1:]) + " |\n")  # two values in one column
    assert not any(k.startswith("review_litigation.") for k in two.values) and two.left_out
