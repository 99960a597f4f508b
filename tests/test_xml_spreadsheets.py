"""XML Spreadsheet 2003 (SpreadsheetML): what systems exporting statistics as "Excel" write, often named .xls — read as
a workbook's sheets are, each cell in its grid column."""

from __future__ import annotations

from pathlib import Path
from xml.sax.saxutils import escape

import pytest
from python_calamine import CalamineWorkbook

from govspec.errors import InstanceError
from govspec.extract import extract_file
from govspec.extract.grid import HIDDEN, GridRow
from govspec.extract.spreadsheetml import read_spreadsheetml

DOCS = Path(__file__).resolve().parent / "documents"
HEAD = ('<?xml version="1.0"?><?mso-application progid="Excel.Sheet"?>'
        '<Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet" xmlns:o="urn:schemas-microsoft-com:office:office"'
        ' xmlns:x="urn:schemas-microsoft-com:office:excel" xmlns:ss="urn:schemas-microsoft-com:office:spreadsheet"'
        ' xmlns:html="http://www.w3.org/TR/REC-html40">')


def cell(value, at: str = "", merge: str = "") -> str:
    kind = "Number" if isinstance(value, (int, float)) and not isinstance(value, bool) else "String"
    data = f'<Data ss:Type="{kind}">{escape(str(value))}</Data>' if value not in (None, "") else ""
    return f"<Cell{at}{merge}>{data}</Cell>"


def from_workbook(path: Path) -> str:
    """The made 淮安 workbook as Excel saves it as "XML Spreadsheet 2003": cells skipped by ``ss:Index``, merged ranges
    by ``ss:MergeAcross`` and ``ss:MergeDown``."""
    book = CalamineWorkbook.from_path(str(path))
    sheets = []
    for name in book.sheet_names:
        sheet = book.get_sheet_by_name(name)
        rows = sheet.to_python(skip_empty_area=False)
        top, left = sheet.start or (0, 0)
        merges = {(a[0], a[1]): (b[0] - a[0], b[1] - a[1]) for a, b in sheet.merged_cell_ranges or ()}
        covered = {(r, c) for (r0, c0), (down, across) in merges.items() for r in range(r0, r0 + down + 1)
                   for c in range(c0, c0 + across + 1) if (r, c) != (r0, c0)}
        body = []
        for r, row in enumerate(rows):
            cells, expected = [], 0
            for c, value in enumerate(row):
                at = (top + r, left + c)
                if at in covered or (value in (None, "") and at not in merges):
                    continue
                down, across = merges.get(at, (0, 0))
                index = f' ss:Index="{at[1] + 1}"' if at[1] != expected else ""
                merge = (f' ss:MergeAcross="{across}"' if across else "") + (f' ss:MergeDown="{down}"' if down else "")
                cells.append(cell(value, index, merge))
                expected = at[1] + across + 1
            body.append(f'<Row ss:Index="{top + r + 1}">' + "".join(cells) + "</Row>")
        sheets.append(f'<Worksheet ss:Name="{escape(name)}"><Table>' + "".join(body) + "</Table></Worksheet>")
    return HEAD + "".join(sheets) + "</Workbook>"


def test_an_xml_spreadsheet_named_xls_is_read_as_the_workbook_is(tmp_path):
    path = tmp_path / "report.xls"
    path.write_text(from_workbook(DOCS / "made-huaian-city-2024.xlsx"), encoding="utf-8")
    found, workbook = extract_file(path), extract_file(DOCS / "made-huaian-city-2024.xlsx")
    assert len(found.values) == 200 and found.values == workbook.values and found.provenance == workbook.provenance
    assert found.kind == "spreadsheetml" and "content is XML Spreadsheet 2003" in (found.note or "")


def rows_of(table: str, options: str = "") -> list[tuple]:
    text = HEAD + f'<Worksheet ss:Name="年报"><Table>{table}</Table>{options}</Worksheet></Workbook>'
    [sheet] = read_spreadsheetml(text, "report.xml")
    return [tuple(text for text, _ in item.cells) for item in sheet.items if isinstance(item, GridRow)]


def test_cells_keep_their_grid_column_and_merged_cells_are_left_out():
    table = ('<Row><Cell ss:MergeDown="1"><Data ss:Type="String">三、办理结果</Data></Cell>'
             '<Cell><Data ss:Type="String">（一）予以公开</Data></Cell>'
             '<Cell ss:Index="4"><Data ss:Type="Number">12345678901234567</Data></Cell></Row>'
             '<Row><Cell ss:Index="2"><Data ss:Type="String">（二）部分公开</Data></Cell>'
             '<Cell ss:MergeAcross="1"><Data ss:Type="Number">96171.600000000006</Data></Cell></Row>')
    # a whole number exactly as written (a float holds 17 digits wrong); another as Excel shows it, to 15 digits
    assert rows_of(table) == [("三、办理结果", "（一）予以公开", "", "12345678901234567"), ("（二）部分公开", "96171.6")]


def test_hidden_rows_columns_and_sheets_are_not_read_and_rich_text_is_one_text():
    table = ('<Column ss:Index="2" ss:Hidden="1"/>'
             '<Row><Cell><Data ss:Type="String">规章</Data></Cell><Cell><Data ss:Type="Number">9</Data></Cell>'
             '<Cell><ss:Data ss:Type="String" xmlns="http://www.w3.org/TR/REC-html40"><B>1</B><Font>1</Font></ss:Data>'
             '</Cell></Row>'
             '<Row ss:Hidden="1"><Cell><Data ss:Type="String">去年</Data></Cell></Row>')
    assert rows_of(table) == [("规章", HIDDEN, "11"), (HIDDEN, "", "")]  # a hidden cell keeps its place
    hidden = '<WorksheetOptions xmlns="urn:schemas-microsoft-com:office:excel"><Visible>SheetHidden</Visible></WorksheetOptions>'
    with pytest.raises(InstanceError, match="only content is on hidden sheets"):
        rows_of('<Row><Cell><Data ss:Type="String">规章</Data></Cell></Row>', hidden)


def test_a_hostile_xml_spreadsheet_is_refused_with_why_never_a_crash():
    with pytest.raises(InstanceError, match="declares XML entities"):
        read_spreadsheetml('<!DOCTYPE x [<!ENTITY a "b">]>' + HEAD + "</Workbook>", "report.xml")
    with pytest.raises(InstanceError, match="broken"):
        read_spreadsheetml(HEAD + "<Worksheet>", "report.xml")
    far = '<Row ss:Index="1048576"><Cell ss:Index="16384"><Data ss:Type="Number">1</Data></Cell></Row>'
    with pytest.raises(InstanceError, match="more than 2000000 cells"):
        rows_of(far)  # one cell far away: not a grid of 17 billion cells
    deep = "<B>" * 100_000 + "7" + "</B>" * 100_000
    assert rows_of(f'<Row><Cell><Data ss:Type="String">{deep}</Data></Cell></Row>') == [("7",)]
