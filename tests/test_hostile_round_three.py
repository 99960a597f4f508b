"""Hostile input, round three: what a small file could make govspec do at great length.  Each case reproduces
what was found and checks the documented limit (docs/limits.md)."""

import json
from decimal import Decimal
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import in_english

import govspec
from govspec.cli.main import main
from govspec.errors import SpecError
from govspec.extract import extract_tokens, tokens_from_text
from govspec.extract.tokens import norm


def run(*args):
    result = CliRunner().invoke(main, in_english(args))
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exc_info
    return result


def _spec(path: Path, rows: int, columns: int, check: str = "$row.c0 >= 0", rules: int = 1) -> Path:
    lines = ["govspec_spec: 1", "id: big", 'version: "1"', "title: {zh: 大, en: Big}", "report_years: {from: 2000}",
             "defaults: {severity: error, on_blank: zero}", "tables:", "  - id: t", "    label: 表", "    en: T",
             "    columns:", *(f"      - {{id: c{c}, label: 列{c}, en: C{c}}}" for c in range(columns)),
             "    rows:", *(f"      - {{id: r{r}, label: 行{r}, en: R{r}}}" for r in range(rows)), "rules:"]
    for number in range(rules):
        lines += [f"  - id: t.rule{number}", "    title: {zh: 规则, en: Rule}", "    basis: implied", "    table: t",
                  '    for_each: {rows: "*"}', f"    check: {check}", "    message: {zh: 规则, en: Rule}"]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_a_spec_whose_rows_and_columns_make_too_many_cells_is_refused_before_they_are_made(tmp_path):
    """400 rows by 300 columns: 25 KB of YAML asking for 120,000 cells (3,000 by 1,000 took 22 s and 1.4 GB)."""
    spec = _spec(tmp_path / "big.yaml", 400, 300)
    with pytest.raises(SpecError, match=r"the tables make 120000 cells \(rows × columns\): a spec has at most 100000"):
        govspec.load_spec_file(spec)
    result = run("spec", "lint", spec)
    assert result.exit_code == 1 and "big.yaml:8:3 [tables]" in result.output and "120000 cells" in result.output


def test_a_spec_whose_checks_read_too_many_cells_is_refused_as_they_are_made(tmp_path, monkeypatch):
    """A rule applied to every row that sums the whole table each time: rows × cells of work at every report.  The
    budget is counted as the checks are made, so the refusal comes early, and spec lint names the rule once."""
    import govspec.spec.compiler as compiler
    monkeypatch.setattr(compiler, "MAX_READS", 5_000)
    spec = _spec(tmp_path / "reads.yaml", 100, 20, "$row.c0 <= sum(t.*.*)", rules=3)
    with pytest.raises(SpecError, match="rule 't.rule0': the spec's checks, with the cells each reads, come to more "
                                        "than 5000"):
        govspec.load_spec_file(spec)
    result = run("spec", "lint", spec)
    assert result.exit_code == 1 and result.output.count("[spec-error]") == 1 and "t.rule0" in result.output
    monkeypatch.setattr(compiler, "MAX_READS", 1_000_000)
    assert len(govspec.load_spec_file(_spec(tmp_path / "fine.yaml", 100, 20, "$row.c0 <= sum(t.*.*)")).checks) == 100


def test_a_finding_is_matched_only_against_the_entries_of_its_own_body_and_year(tmp_path, monkeypatch):
    """Every finding of a batch was compared with every entry of the --accept files: 20,000 reports and 20,000
    entries took 38 s.  Entries are looked up by body and year; the first matching entry in the file's order wins."""
    from govspec.check import accept
    examples = Path(__file__).resolve().parent.parent / "examples"
    lines = ["accepted:"]
    for number in range(300):  # other bodies
        lines += [f"  - report: {{agency: 某某机关{number}, year: 2020}}", "    rule: applications.balance",
                  "    reason: 已核实", "    reviewer: 张三", "    date: 2026-11-20"]
    for reviewer in ("李四", "王五"):  # two entries for the same finding: the first one accepts it
        lines += ["  - report: {agency: 鹤岗市司法局, year: 2020}", "    rule: applications.balance",
                  "    reason: 已核实", f"    reviewer: {reviewer}", "    date: 2026-11-20"]
    path = tmp_path / "accepted.yaml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    compared = []
    matches = accept.Entry.matches
    monkeypatch.setattr(accept.Entry, "matches", lambda self, *args: compared.append(self) or matches(self, *args))
    result = run("validate", examples / "hegang-justice-2020.json", "--accept", path, "--format", "json")
    findings = [f for r in json.loads(result.output)["reports"] for f in r["findings"] if f["accepted"]]
    assert findings and all(f["accepted"]["reviewer"] == "李四" for f in findings)
    assert compared and all(entry.body == "name:鹤岗市司法局" for entry in compared)


def test_a_report_reads_a_few_rows_of_its_year_before_however_many_reports_that_year_has(tmp_path, monkeypatch):
    """A body's 2,000 differing reports of one year were each read again for each of its 2,000 reports of the next
    (4,000,000 rows, 15 s) and all named in each finding (134 MB of output for 4,000 reports).  Each report now
    reads at most the few sources its finding names, and says how many there are."""
    from govspec.check import across
    examples = Path(__file__).resolve().parent.parent / "examples"
    document = json.loads((examples / "huaian-city-2024.json").read_text(encoding="utf-8"))
    lines = []
    for number in range(120):
        document["report"]["year"] = 2022 + number % 2
        document["report"].pop("published", None)
        document["tables"]["applications"]["carried_over"]["total"] = number  # every report differs
        lines.append(json.dumps(document, ensure_ascii=False))
    batch = tmp_path / "one-body.jsonl"
    batch.write_text("\n".join(lines) + "\n", encoding="utf-8")
    read = []
    judge = across.Ledger._judge
    monkeypatch.setattr(across.Ledger, "_judge", lambda self, pairs: read.append(len(pairs)) or judge(self, pairs))
    result = run("validate", batch, "--format", "json")
    assert read and max(read) <= across.MAX_NAMED
    ambiguous = [f for r in json.loads(result.output)["reports"] for f in r["findings"]
                 if f["code"] == "previous-report-ambiguous"]
    assert len(ambiguous) == 60 and all("60 differing reports" in f["message"] for f in ambiguous)
    assert all(f["previous_source"].endswith("… (+55)") and f["message"].endswith("… (+55))") for f in ambiguous)


def test_an_amount_of_a_thousand_digits_is_read_in_every_form_it_is_written():
    """govspec reads values of up to 1,000 digits.  An amount of 1,000 nines written as text was refused as a wrong
    type — ``abs()`` rounded it to 10**1000 in Python's default decimal context — where the same amount as a JSON
    number was read."""
    from govspec.check.cells import read_cells
    from govspec.io.values import CellText
    spec = govspec.load_spec("gov-info-disclosure", "2021")
    cell = next(c for c in spec.cells if c.type == "money")
    amount = "9" * 1000
    for written in (int(amount), Decimal(amount), CellText(amount, "x"), CellText(" " + amount, "x")):
        read = read_cells(spec, {cell.table.id: {cell.row.id: {cell.column.id: written}}})
        assert read.values == {cell.id: Decimal(amount)} and not read.findings, written
    too_long = read_cells(spec, {cell.table.id: {cell.row.id: {cell.column.id: CellText("1" + "0" * 1000, "x")}}})
    assert not too_long.values and [f.code for f in too_long.findings] == ["wrong-type"]


def test_amounts_that_differ_past_the_28th_digit_are_neither_copies_nor_rounded(tmp_path):
    """Python's default decimal context keeps 28 digits: two reports whose amounts differed in the 29th were called
    copies of one report (their digests' text rounded), and a finding's difference was rounded (1.23…E+28)."""
    examples = Path(__file__).resolve().parent.parent / "examples"
    document = json.loads((examples / "huaian-city-2024.json").read_text(encoding="utf-8"))
    spec = govspec.load_spec("gov-info-disclosure", "2021")
    cell = next(c for c in spec.cells if c.type == "money")
    lines = []
    for last in "12":
        document["tables"][cell.table.id][cell.row.id][cell.column.id] = "__amount__"
        lines.append(json.dumps(document, ensure_ascii=False).replace('"__amount__"', "1234567890123456789012345678" + last))
    batch = tmp_path / "two.jsonl"
    batch.write_text("\n".join(lines) + "\n", encoding="utf-8")
    for jobs in ("1", "2"):
        reports = json.loads(run("validate", batch, "--format", "json", "--jobs", jobs).output)["reports"]
        codes = [f["code"] for r in reports for f in r["findings"] if f["code"].startswith("duplicate")]
        assert codes == ["duplicate-report", "duplicate-report"], jobs
    from govspec.findings import Finding
    finding = Finding("rule-violated", "error", reported=Decimal("12345678901234567890123456790.03"), computed=2)
    assert finding.difference == Decimal("12345678901234567890123456788.03")


def test_a_line_of_many_words_before_a_row_label_costs_work_in_its_length_not_its_square(monkeypatch):
    """Found by reading this round's change again: a line of thousands of words ending in a row label was cut at every
    word and each rest normalised (2,000 words: 23 s), and the text before a row label was tried as pieces of its
    groups' labels at every length. Pieces set before a label are a few words at most, and no longer than the labels
    they would be pieces of."""
    import importlib

    from govspec.extract import tokens_from_text
    found = importlib.import_module("govspec.extract.labels")  # the package's name "labels" is the function
    names = found.labels(govspec.load_spec("gov-info-disclosure", "2021"))
    normalised = []
    monkeypatch.setattr(found, "norm", lambda text: normalised.append(len(text)) or norm(text))
    line = " ".join(["予公开"] * 5_000) + " 1.属于国家秘密 1 0 0 0 0 0 1"
    found.rejoined(tokens_from_text(line + "\n"), names)
    assert sum(normalised) <= (found.MAX_SET_BEFORE + 1) * len(line)  # was some 5,000 times it

    compared = []

    class Label(str):
        def __contains__(self, piece):
            compared.append(piece)
            return str.__contains__(self, piece)
    assert not found._pieces("予公开" * 5_000, (Label("三.本年度办理结果"), Label("(三)不予公开")))
    assert len(compared) < 100


def test_the_ways_of_reading_a_broken_label_tried_from_one_place_are_bounded(monkeypatch):
    """Text made so that every piece of a label could be read two ways would double the work at every piece: the ways
    tried from one place are counted, and past the bound the pieces are no label (the row is left out, not hung on)."""
    import importlib

    from govspec.extract import extract_tokens, tokens_from_text
    found = importlib.import_module("govspec.extract.labels")
    text = ("淮安市人民政府2024年政府信息公开工作年度报告\n三、收到和处理政府信息公开申请情况\n"
            "自然人 商业企业 科研机构 社会公益组织 法律服务机构 其他 总计\n"
            "1、申请人无正当理由逾期不补\n正、行政机关不再处理其政府信   67  3  0  0  1  0  71\n息公开申请\n")
    assert extract_tokens(tokens_from_text(text), "t").values["applications.other_no_correction.total"] == 71
    calls = []
    broken = found._broken
    monkeypatch.setattr(found, "_broken", lambda *args: calls.append(args[-1][0]) or broken(*args))
    monkeypatch.setattr(found, "MAX_TRIES", 2)
    assert "applications.other_no_correction.total" not in extract_tokens(tokens_from_text(text), "t").values
    assert min(calls) >= 0  # no place was tried more than MAX_TRIES ways


def test_a_text_of_long_lines_before_its_body_is_not_converted_line_by_line_for_a_title(monkeypatch):
    """The title is looked for among up to 2,000 lines before the report's first heading (a page's navigation comes
    first), each converted to simplified characters: a line too long to be a title is passed over unconverted (2,000
    lines of 960 characters took 4 s)."""
    from govspec.extract import metadata

    converted = []
    simplified = metadata.simplified
    monkeypatch.setattr(metadata, "simplified", lambda text: converted.append(len(text)) or simplified(text))
    lines = ["测试文本" * 240] * 1_000
    assert extract_tokens(tokens_from_text("\n".join([*lines, "一、总体情况"]) + "\n"), "long.txt").report == {}
    assert sum(converted) < 10_000
    titled = "\n".join([*lines, "淮安市人民政府2024年政府信息公开工作年度报告", "一、总体情况"]) + "\n"
    assert extract_tokens(tokens_from_text(titled), "long.txt").report == {"agency": "淮安市人民政府", "year": 2024}


def test_a_workbook_whose_sheets_name_one_part_twice_is_refused(monkeypatch, tmp_path):
    """A workbook of a few KB can name one large worksheet part from thousands of sheets, each read in full by the
    reader (2,000 sheets read the part 2,001 times): an .xlsx never does this, and such a workbook is refused."""
    import io
    import re
    import zipfile

    from govspec.extract import hidden_cells

    made = Path(__file__).resolve().parent / "documents" / "made-huaian-city-2024.xlsx"
    buffer = io.BytesIO()
    with zipfile.ZipFile(made) as source, zipfile.ZipFile(buffer, "w") as out:
        for info in source.infolist():
            data = source.read(info)
            if info.filename == "xl/workbook.xml":
                sheet = re.search(rb"<sheet [^>]*/>", data).group(0)
                copies = b"".join(re.sub(rb'name="[^"]*"', f'name="s{i}"'.encode(), sheet).replace(b'sheetId="', b'sheetId="9')
                                  for i in range(2_000))
                data = data.replace(sheet, sheet + copies)
            out.writestr(info, data)
    read = []
    hidden = hidden_cells._hidden
    monkeypatch.setattr(hidden_cells, "_hidden", lambda xml, source: read.append(1) or hidden(xml, source))
    path = tmp_path / "many.xlsx"
    path.write_bytes(buffer.getvalue())
    result = run("validate", str(path))
    assert result.exit_code == 3 and "name the same part" in result.output
    assert len(read) == 1


class _Steps(list):
    """The tokens, counting every one stepped over: by iterating (``itertools.islice`` from a start steps over all the
    tokens before it) or by index."""

    steps = 0

    def __iter__(self):
        for token in super().__iter__():
            _Steps.steps += 1
            yield token

    def __getitem__(self, index):
        _Steps.steps += 1
        return super().__getitem__(index)


def test_the_cells_of_each_row_are_found_without_stepping_over_the_rows_before_it(monkeypatch):
    """A text of thousands of rows: the cells on each row's line were found by stepping over every token before the
    row (16,000 rows of ``| 规章 | 1 | 3 | 0 |``, 160 KB, took 13 s; 2,000,000 characters of them, 95,000 rows, minutes)."""
    from govspec.extract import placement

    rejoined = placement.rejoined
    monkeypatch.setattr(placement, "rejoined", lambda tokens, names: _Steps(rejoined(tokens, names)))
    head = "淮安市人民政府2024年政府信息公开工作年度报告\n二、主动公开政府信息情况\n第二十条第（一）项\n"
    header = "| 信息内容 | 本年制发件数 | 本年废止件数 | 现行有效件数 |\n"
    tokens = tokens_from_text(head + header + "| 规章 | 1 | 3 | 0 |\n" * 1_500)
    _Steps.steps = 0
    result = extract_tokens(tokens, "rows.md")
    assert result.values["proactive_disclosure.rules.repealed"] == 3
    assert _Steps.steps < 30 * len(tokens)


def test_a_text_repeating_section_fours_heading_reads_its_rows_once(monkeypatch):
    """Each heading of section 四 looked for its value row's cells over the whole text (8,000 headings, 320 KB: 21 s;
    2,000,000 characters: a quarter of an hour).  Each is left out, the text read once."""
    from govspec.extract import placement

    rejoined = placement.rejoined
    monkeypatch.setattr(placement, "rejoined", lambda tokens, names: _Steps(rejoined(tokens, names)))
    head = "淮安市人民政府2024年政府信息公开工作年度报告\n二、主动公开政府信息情况\n第二十条第（一）项\n"
    tokens = tokens_from_text(head + "| 信息内容 | 本年制发件数 | 本年废止件数 | 现行有效件数 |\n| 规章 | 1 | 3 | 0 |\n" +
                              "四、政府信息公开行政复议、行政诉讼情况\n| 结果维持 | 1 | 2 |\n" * 1_500)
    _Steps.steps = 0
    result = extract_tokens(tokens, "four.md")
    assert len(result.left_out) == 1_500 and "15 placeable cells" in result.left_out[0]["reason"]
    assert _Steps.steps < 30 * len(tokens)


def test_a_quoted_cell_longer_than_the_csv_module_reads_leaves_its_lines_read_one_by_one():
    """A tab-separated line opening a quoted cell of 200,000 characters that closes on the next line: read as Excel
    writes such a cell, it was a traceback (the csv module's field limit)."""
    text = ("淮安市人民政府2024年政府信息公开工作年度报告\n二、主动公开政府信息情况\n第二十条第（一）项\n"
            'x\t"' + "a" * 200_000 + '\nb"\t3\n规章\t1\t0\t11\n')
    result = extract_tokens(tokens_from_text(text), "long-cell.txt")
    assert result.values["proactive_disclosure.rules.in_force"] == 11
