"""Hostile input, round two: nothing overwritten, nothing invented, no crash, no injection.  Each case
reproduces an attack found against 0.1 and checks the documented behaviour."""

import csv
import functools
import importlib.util
import io
import json
import os
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import in_english

from govspec.cli.main import main

ROOT = Path(__file__).resolve().parent.parent
HUAIAN = ROOT / "examples" / "huaian-city-2024.json"
HEGANG = ROOT / "examples" / "hegang-justice-2020.json"


def run(*args):
    result = CliRunner().invoke(main, in_english(args))
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exc_info
    return result


# --- 1. an output is never an input, and no path is written twice ---------------------------------

def test_audit_never_writes_over_an_input(tmp_path):
    report = tmp_path / "x.json"
    shutil.copy(HUAIAN, report)
    before = report.read_bytes()
    for option in ("--html", "--json"):
        result = run("audit", report, option, report)
        assert result.exit_code == 3 and "will not write over an input file" in result.output
        assert report.read_bytes() == before
    folder = tmp_path / "batch"
    folder.mkdir()
    shutil.copy(HUAIAN, folder / "a.json")
    result = run("audit", folder, "--json", folder / "a.json")  # an input found in a folder given
    assert result.exit_code == 3 and (folder / "a.json").read_bytes() == before


def test_audit_refuses_one_path_for_page_and_data(tmp_path):
    result = run("audit", HUAIAN, "--html", tmp_path / "out", "--json", tmp_path / "out")
    assert result.exit_code == 3 and "two results would be written to one file" in result.output
    assert not (tmp_path / "out").exists()


def test_audit_writes_page_and_data_together(tmp_path):
    page, data = tmp_path / "a.html", tmp_path / "a.json"
    assert run("audit", HUAIAN, "--html", page, "--json", data).exit_code == 0
    assert page.exists() and data.exists()
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]


def test_extract_refuses_two_reports_for_one_target(tmp_path):
    for folder in ("a", "b"):
        (tmp_path / folder).mkdir()
        shutil.copy(Path(__file__).parent / "reference" / "hegang-justice-2020.md", tmp_path / folder / "r.md")
    out = tmp_path / "out"
    result = run("extract", tmp_path / "a" / "r.md", tmp_path / "b" / "r.md", "--out", out)
    assert result.exit_code == 3 and "two results would be written to one file" in result.output
    assert not list(out.glob("*")) if out.exists() else True


# --- 4. CSV formula injection ----------------------------------------------------------------------

@pytest.mark.parametrize("agency", ["=HYPERLINK(\"http://x\",\"y\")", "+cmd|' /C calc'!A0", "-2+3+cmd|x",
                                    "@SUM(1+1)", "\t=1+1", "\r=1+1"])
def test_text_fields_never_become_live_formulas_and_read_back(tmp_path, agency):
    document = json.loads(HUAIAN.read_text(encoding="utf-8"))
    document["report"]["agency"] = agency
    path = tmp_path / "x.json"
    path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    out = run("validate", path, "--format", "csv").stdout_bytes.decode("utf-8")
    rows = list(csv.DictReader(io.StringIO(out, newline="")))
    assert rows and all(r["agency"].startswith("'") for r in rows)
    long_csv = run("template", "--format", "csv-long").output  # a template is written safely too
    assert not any(line.startswith(("=", "+", "@")) for line in long_csv.splitlines())
    from govspec.io import writers
    from govspec.spec import loader
    spec = loader.load("gov-info-disclosure", "2021").spec
    written = tmp_path / "w.csv"
    written.write_text(writers.to_csv_wide(spec, [document]), encoding="utf-8")
    assert f",'{agency[:1]}" in written.read_text(encoding="utf-8") or "'" in written.read_text(encoding="utf-8")
    for fast in ([], ["--no-fast"]):
        back = json.loads(run("validate", written, "--format", "json", *fast).output)["reports"][0]
        if "\r" in agency:  # a field over two lines, whichever path reads it: refused (an unclosed quote?)
            assert back["verdict"] == "unreadable" and "over several lines" in back["error"]["message"]
        else:
            assert back["report"]["agency"] == agency.strip()  # govspec reads its own guard back off


def test_text_in_a_rendered_workbook_is_never_a_live_formula(tmp_path):
    from openpyxl import load_workbook
    document = json.loads(HUAIAN.read_text(encoding="utf-8"))
    document["report"]["agency"] = "=HYPERLINK(\"http://x\",\"y\")"
    document["tables"]["proactive_disclosure"]["rules"]["issued"] = "=1+1"  # a wrong type, kept as text
    from govspec.present.workbook import report_workbook
    from govspec.spec import loader
    out = tmp_path / "x.xlsx"
    out.write_bytes(report_workbook(loader.load("gov-info-disclosure", "2021").spec, document))  # render leaves wrong types out
    cells = [c for row in load_workbook(out).active.iter_rows() for c in row if c.value is not None]
    formulas = [c.value for c in cells if c.data_type == "f"]
    assert formulas and all(f.startswith("=IF(") for f in formulas)  # only govspec's own ✓/✗ checks
    assert "'=1+1" in [c.value for c in cells]


def test_negative_numbers_stay_numbers_in_csv(tmp_path):
    from govspec.io.values import spreadsheet_safe
    assert spreadsheet_safe("-8") == "-8" and spreadsheet_safe("-8.5") == "-8.5"
    assert spreadsheet_safe("-8+cmd") == "'-8+cmd"


# --- 6. one hostile report never blanks the audit page ---------------------------------------------

def test_script_like_text_in_a_report_stays_data_in_the_audit_page(tmp_path):
    document = json.loads(HUAIAN.read_text(encoding="utf-8"))
    document["report"]["agency"] = "<!--<script>alert(1)</script>\u2028&"
    path = tmp_path / "x.json"
    path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    page = tmp_path / "a.html"
    assert run("audit", path, "--html", page).exit_code == 0
    html = page.read_text(encoding="utf-8")
    data = html.split('<script type="application/json" id="data">')[1].split("</script>")[0]
    assert "<" not in data and ">" not in data and "&" not in data and "\u2028" not in data
    assert json.loads(data)["reports"][0]["agency"] == document["report"]["agency"]


def test_unreadable_output_folder_gives_a_message(tmp_path):
    if os.geteuid() == 0:
        target = Path("/proc/govspec-cannot-write.html")  # root may write anywhere but /proc
    else:
        folder = tmp_path / "ro"
        folder.mkdir(mode=0o500)
        target = folder / "a.html"
    result = run("audit", HUAIAN, "--html", target)
    assert result.exit_code == 3 and "cannot write" in result.output


# --- 2. invalid reports never pass -------------------------------------------------------------------

def test_a_lone_quote_in_csv_long_does_not_swallow_the_rest(tmp_path):
    path = tmp_path / "q.csv"
    path.write_text('cell,value\nspec,gov-info-disclosure\nversion,2021\nreport.agency,"淮安\nreport.year,2024\n'
                    "applications.received.total,5\n", encoding="utf-8")
    result = run("validate", path)
    assert result.exit_code == 3 and "runs over several lines" in result.output


def test_a_csv_wide_row_cut_short_is_unreadable(tmp_path):
    lines = run("template", "--format", "csv-wide").output.lstrip("\ufeff").splitlines()
    path = tmp_path / "w.csv"
    path.write_text(lines[0] + "\n" + ",".join(lines[2].split(",")[:40]) + "\n", encoding="utf-8")
    for options in ((), ("--no-fast",)):
        result = run("validate", path, *options)
        assert result.exit_code == 3 and "cut short" in result.output


def test_an_empty_json_lines_file_is_unreadable(tmp_path):
    path = tmp_path / "e.jsonl"
    for content in ("", "\n\n   \n"):
        path.write_text(content, encoding="utf-8")
        for options in ((), ("--no-fast",)):
            result = run("validate", path, *options)
            assert result.exit_code == 3 and "holds no report" in result.output


def test_a_csv_file_without_a_report_is_unreadable_never_silently_passed_over(tmp_path, monkeypatch):
    """Found by probing: a CSV-wide file of a header and no row (a blank template, an export cut at its header) or
    of blank lines gave no result at all — nothing printed, exit 0 — on both paths, alone or in a batch."""
    from govspec.io import arrow_csv
    monkeypatch.setattr(arrow_csv, "ARROW_FROM", 0)  # the columnar reader too, when it is installed
    for content in ("spec,version,report.agency\n", "x", "\n\n", "spec,version\n#规范,模板版本\n"):
        path = tmp_path / "wide.csv"
        path.write_text(content, encoding="utf-8")
        for options in ((), ("--no-fast",)):
            result = run("validate", path, *options)
            assert result.exit_code == 3 and "holds no report" in result.output, (content, result.output)
    chinese = CliRunner().invoke(main, ["validate", str(path)])
    assert chinese.exit_code == 3 and "CSV 文件中没有报告" in chinese.output


def test_a_report_in_a_zip_file_keeps_its_chinese_message(tmp_path):
    """Found by probing: an unreadable member of a .zip was named again with its English message only, so that the
    Chinese output (the default) said ``invalid JSON: Expecting value`` where the same file alone says it in Chinese.
    Found beside it: Chinese messages named the kind of a JSON value in English (``实为 an array``)."""
    import zipfile
    archive = tmp_path / "batch.zip"
    with zipfile.ZipFile(archive, "w") as batch:
        batch.writestr("a.json", '{"spec": ')
        batch.writestr("b.json", "[]")
    result = CliRunner().invoke(main, ["validate", str(archive)])
    assert result.exit_code == 3
    assert "batch.zip!a.json:1:10: JSON 格式错误" in result.output
    assert "batch.zip!b.json: 报告实例应为 JSON 对象，实为数组" in result.output and " an array" not in result.output


def test_json_nested_deeper_than_the_parsers_recurse_is_unreadable_not_a_crash(tmp_path):
    """A JSON Lines line, a file and standard input nested 100,000 deep: "nested too deep", exit 3, on the fast
    path (the structure gate) and the detailed path alike."""
    head = json.loads(HUAIAN.read_text(encoding="utf-8"))
    deep = "[" * 100_000 + "]" * 100_000
    lines = tmp_path / "deep.jsonl"
    lines.write_text(deep + "\n" + json.dumps({**head, "tables": {"x": "@"}}).replace('"@"', deep) + "\n"
                     + json.dumps(head, ensure_ascii=False) + "\n", encoding="utf-8")
    for options in ((), ("--no-fast",)):
        result = run("validate", lines, "--format", "json", *options)
        assert result.exit_code == 3, result.output
        reports = json.loads(result.output)["reports"]
        assert [r["verdict"] for r in reports] == ["unreadable", "unreadable", "passed"]
        assert all("too deep" in r["error"]["message"] for r in reports[:2])
    one = tmp_path / "deep.json"
    one.write_text(deep, encoding="utf-8")
    assert run("validate", one).exit_code == 3
    piped = CliRunner().invoke(main, in_english(("validate", "-")), input=deep)
    assert piped.exit_code == 3 and "too deep" in piped.output, piped.output


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes")
def test_named_pipes_are_never_opened(tmp_path):
    fifo = tmp_path / "pipe.json"
    os.mkfifo(fifo)
    shutil.copy(HUAIAN, tmp_path / "a.json")
    for args in ((fifo,), (tmp_path,)):  # named, or inside a folder: never blocks
        result = run("validate", *args)
        assert result.exit_code == 3 and "not a regular file" in result.output


def _gbk_named(folder: Path, name: str, data: bytes) -> str:
    """A file in ``folder`` named by the GBK bytes of ``name`` (as unzip leaves an archive made on Chinese Windows),
    as Python names it; the test is skipped where the file system takes only UTF-8 names."""
    raw = os.path.join(os.fsencode(folder), name.encode("gbk"))
    try:
        with open(raw, "wb") as out:
            out.write(data)
    except OSError:
        pytest.skip("this file system takes only UTF-8 names")
    return os.fsdecode(raw)


def test_a_file_name_that_is_not_utf8_is_unreadable_named_as_ls_shows_it_never_a_crash(tmp_path):
    """Every output (UTF-8, the ledger of a batch) must hold a report's name: a GBK name is refused, said with its
    bytes as \\xNN and how to rename it; the other reports of the folder are checked."""
    gbk = _gbk_named(tmp_path, "淮安.json", HUAIAN.read_bytes())
    text = _gbk_named(tmp_path, "鹤岗.md", (ROOT / "tests" / "reference" / "hegang-justice-2020.md").read_bytes())
    shutil.copy(HUAIAN, tmp_path / "报告.json")
    shown = "\\xbb\\xb4\\xb0\\xb2.json"  # 淮安 in GBK
    for args in (("--format", "json"), ("--format", "text"), ("--format", "csv"), ("-j", "2")):
        result = run("validate", tmp_path, *args)
        assert result.exit_code == 3 and "not UTF-8" in result.output
        assert (shown if args[-1] != "json" else json.dumps(shown)[1:-1]) in result.output  # JSON escapes \\
        assert "报告.json" in result.output
    page = tmp_path.parent / "audit.html"
    result = run("audit", tmp_path, "--html", page)
    assert result.exit_code == 3 and page.is_file()
    result = run("extract", text, gbk)
    assert result.exit_code == 3 and "not UTF-8" in result.output and json.dumps(shown)[1:-1] in result.output
    result = CliRunner().invoke(main, ["validate", gbk, "--lang", "zh"])
    assert result.exit_code == 3 and "不是 UTF-8 编码" in result.output and "convmv" in result.output
    if importlib.util.find_spec("pyarrow") is not None:  # a dataset keeps the name as every table can hold it
        from govspec import dataset
        target = tmp_path.parent / "ds"
        for _ in range(2):  # the second run finds the inputs unchanged (the manifest keeps the file's own name)
            result = run("export", tmp_path, "--to", target)
            assert result.exception is None or isinstance(result.exception, SystemExit)
        assert "3 unchanged" in result.output and "2 unreadable" in result.output
        files = dataset.read(target, "reports").column("file").to_pylist()
        assert str(tmp_path / "\\xbb\\xb4\\xb0\\xb2.json") in files


def test_an_unreadable_sub_folder_is_reported(tmp_path):
    if os.geteuid() == 0:
        pytest.skip("root reads every folder")
    (tmp_path / "sub").mkdir()
    shutil.copy(HEGANG, tmp_path / "sub" / "h.json")
    (tmp_path / "sub").chmod(0)
    try:
        result = run("validate", tmp_path)
        assert result.exit_code == 3 and "cannot read this folder" in result.output
    finally:
        (tmp_path / "sub").chmod(0o700)


# --- 7. exact decimal arithmetic ---------------------------------------------------------------------

EXACT_SPEC = """govspec_spec: 1
id: exact
version: "1"
title: {zh: 精确, en: Exact}
report_years: {from: 2000}
tables:
  - id: t
    label: 表
    en: Table
    columns:
      - {id: x, label: 数, en: Number}
      - {id: m, label: 金额, en: Amount, type: money, unit: 元}
    rows:
      - {id: a, label: 甲, en: A}
      - {id: b, label: 乙, en: B}
      - {id: s, label: 合计, en: Sum}
rules:
  - id: factor
    title: {zh: 倍数, en: Factor}
    basis: implied
    severity: error
    check: t.s.x == 1.00000000000000000000000000001 * t.a.x
    message: {zh: 倍数, en: factor}
  - id: money_total
    title: {zh: 金额合计, en: Money total}
    basis: implied
    severity: error
    check: t.s.m == t.a.m + t.b.m
    message: {zh: 金额合计, en: money total}
"""


def test_decimal_arithmetic_never_rounds(tmp_path):
    import govspec
    spec_path = tmp_path / "exact.yaml"
    spec_path.write_text(EXACT_SPEC, encoding="utf-8")
    spec = govspec.load_spec_file(spec_path)
    document = {"spec": "exact", "version": "1", "report": {"agency": "测试"}, "tables": {"t": {
        "a": {"x": 1, "m": "10000000000000000000000000000"}, "b": {"x": 0, "m": "0.5"},
        "s": {"x": 1, "m": "10000000000000000000000000000"}}}}
    report = govspec.validate(document, spec=spec)
    assert {f.check for f in report.findings if f.is_error} == {"factor", "money_total"}
    document["tables"]["t"]["s"]["m"] = "10000000000000000000000000000.5"
    document["tables"]["t"]["s"]["x"] = 0
    document["tables"]["t"]["a"]["x"] = 0
    assert govspec.validate(document, spec=spec).verdict == "passed"


# --- 8. no crash: a message and a documented exit code ---------------------------------------------

def test_a_lone_surrogate_is_unreadable_not_a_crash(tmp_path):
    document = json.loads(HUAIAN.read_text(encoding="utf-8"))
    document["report"]["agency"] = "\ud800bad"
    path = tmp_path / "s.json"
    path.write_text(json.dumps(document, ensure_ascii=True), encoding="utf-8")
    for fmt in ("text", "json", "csv"):
        result = run("validate", path, "--format", fmt)
        assert result.exit_code == 3 and "lone surrogate" in result.output


def test_a_number_longer_than_python_converts_is_said_in_the_readers_words(tmp_path):
    """Past 4,300 digits Python refuses to convert a number and names a function of its own: the message says how
    many digits the number has, in both languages."""
    path = tmp_path / "n.jsonl"
    path.write_text(HUAIAN.read_text(encoding="utf-8").replace("\n", " ").replace('"tables"', '"x": ' + "9" * 5000
                                                                                     + ', "tables"', 1) + "\n",
                    encoding="utf-8")
    english = run("validate", path)
    assert english.exit_code == 3 and "a number of 5000 digits" in english.output and "sys." not in english.output
    chinese = CliRunner().invoke(main, ["validate", str(path), "--lang", "zh"])
    assert chinese.exit_code == 3 and "数字有 5000 位" in chinese.output


@pytest.mark.parametrize("digits", [1001, 4299])
def test_numbers_with_too_many_digits_are_wrong_types(tmp_path, digits):
    document = json.loads(HUAIAN.read_text(encoding="utf-8"))
    document["tables"]["applications"]["received"]["total"] = int("9" * digits)
    path = tmp_path / "b.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    for fmt in ("text", "json", "csv"):
        result = run("validate", path, "--format", fmt)
        assert result.exit_code == 1 and ("wrong-type" in result.output or "取值类型错误" in result.output)
    csv_path = tmp_path / "b.csv"
    csv_path.write_text("cell,value\nspec,gov-info-disclosure\nversion,2021\n"
                        f"applications.received.total,{'9' * 5000}\n", encoding="utf-8")
    assert run("validate", csv_path).exit_code == 1


def test_long_numbers_in_specs_rules_and_accept_files_get_messages(tmp_path):
    import govspec.rules as rules
    with pytest.raises(rules.RuleSyntaxError, match="more than 1000 digits"):
        rules.parse("a.b == " + "1" * 5000)
    with pytest.raises(rules.RuleSyntaxError, match="more than 200 operators"):
        rules.parse("a.b == " + " * ".join(["2"] * 2000) + " * a.c")
    spec = tmp_path / "s.yaml"
    spec.write_text("govspec_spec: 1\nid: x\nversion: '1'\ntitle: {zh: x, en: x}\nreport_years: {from: "
                    + "9" * 5000 + "}\n", encoding="utf-8")
    assert run("spec", "lint", spec).exit_code == 1
    assert run("validate", HUAIAN, "--spec", spec).exit_code == 3
    accept = tmp_path / "a.yaml"
    accept.write_text("accepted:\n  - report: {agency: x, year: " + "9" * 5000 + "}\n    rule: a\n    reason: r\n"
                      "    reviewer: z\n    date: 2026-01-01\n", encoding="utf-8")
    result = run("validate", HUAIAN, "--accept", accept)
    assert result.exit_code == 3 and "more than 1000 characters" in result.output


@pytest.mark.parametrize("date", ["2026-13-45", "yesterday", "'2026-02-30'"])
def test_accept_dates_are_real_dates(tmp_path, date):
    accept = tmp_path / "a.yaml"
    accept.write_text(f"accepted:\n  - report: {{agency: x, year: 2020}}\n    rule: a\n    reason: r\n"
                      f"    reviewer: z\n    date: {date}\n", encoding="utf-8")
    result = run("validate", HUAIAN, "--accept", accept)
    assert result.exit_code == 3 and "date must be the day of the review" in result.output


def test_a_full_disk_or_a_closed_output_is_a_message_and_exit_3():
    import subprocess
    import sys
    with open("/dev/full", "w") as device:
        full = subprocess.run([sys.executable, "-m", "govspec", "template", "--lang", "en"], stdout=device,
                              stderr=subprocess.PIPE, text=True)
    assert full.returncode == 3 and "cannot write" in full.stderr
    with open("/dev/full", "w") as device:  # the output of validate, handed over a buffer at a time: still told
        batch = subprocess.run([sys.executable, "-m", "govspec", "validate", str(HUAIAN), "--lang", "en"],
                               stdout=device, stderr=subprocess.PIPE, text=True)
    assert batch.returncode == 3 and "cannot write" in batch.stderr and "Traceback" not in batch.stderr
    closed = subprocess.run(f"{sys.executable} -m govspec validate {ROOT / 'examples'} | head -1", shell=True,
                            capture_output=True, text=True)
    assert "Traceback" not in closed.stderr


# --- 10. text output never carries a terminal's control sequences -----------------------------------

def test_control_characters_in_report_fields_are_escaped(tmp_path):
    document = json.loads(HUAIAN.read_text(encoding="utf-8"))
    document["report"]["agency"] = "淮安\x1b[2J\n结论: 通过"
    path = tmp_path / "c.json"
    path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    out = run("validate", path).output
    assert "\x1b" not in out and "\\x1b[2J\\n结论: 通过" in out


def test_shift_jis_is_refused_not_read_as_mojibake(tmp_path):
    path = tmp_path / "sj.csv"
    path.write_bytes("cell,value\nspec,gov-info-disclosure\nreport.agency,東京都庁総務局情報公開課\n"
                     "report.notes,申請者の状況と報告機関\n".encode("shift_jis"))
    result = run("validate", path)
    assert result.exit_code == 3 and "cannot tell the encoding" in result.output
    gb = tmp_path / "gb.csv"  # real GB18030 (as Excel on Chinese Windows saves) is still read
    gb.write_bytes("cell,value\nspec,gov-info-disclosure\nversion,2021\nreport.agency,淮安市人民政府\n".encode("gb18030"))
    assert "淮安市人民政府" in run("validate", gb).output


def test_render_draws_one_report_and_says_when_a_file_holds_none_or_several(tmp_path):
    empty, two = tmp_path / "empty.csv", tmp_path / "two.jsonl"
    empty.write_bytes(b"\x00")  # found by the fuzz profile: a traceback (StopIteration)
    line = json.dumps(json.loads(HUAIAN.read_text(encoding="utf-8")), ensure_ascii=False)
    two.write_text(line + "\n" + line + "\n", encoding="utf-8")
    none, several = run("render", empty), run("render", two)
    assert none.exit_code == 3 and "holds no report" in none.output
    assert several.exit_code == 3 and "several reports" in several.output


@pytest.mark.parametrize("name,cut", [("made-huaian-city-2024.xls", 0.88),  # calamine panics (a Rust panic)
                                      ("official-template-2021-blank.docx", None)])  # a corrupt deflate stream
def test_damaged_documents_found_by_the_fuzz_profile_get_messages(tmp_path, name, cut):
    raw = bytearray((ROOT / "tests" / "documents" / name).read_bytes())
    if cut is None:
        raw[int(0.3125 * len(raw))] ^= 0x55
    else:
        del raw[int(cut * len(raw)):]
    path = tmp_path / name
    path.write_bytes(bytes(raw))
    for command in (["validate", path], ["extract", path]):
        result = run(*command)
        assert result.exit_code == 3 and "cannot" in result.output, result.output


@pytest.mark.parametrize("fmt", ["docx", "xlsx"])
def test_control_characters_in_report_fields_keep_word_and_excel_files_openable(tmp_path, fmt):
    import zipfile
    from xml.dom.minidom import parseString
    document = json.loads(HUAIAN.read_text(encoding="utf-8"))
    document["report"]["agency"] = "\x1f淮安\x00市\x0b"  # found by the fuzz profile: openpyxl refused the cell
    path, out = tmp_path / "x.json", tmp_path / f"x.{fmt}"
    path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    result = run("render", path, "--format", fmt, "-o", out)
    assert result.exit_code == 0, result.output
    with zipfile.ZipFile(out) as archive:
        for name in archive.namelist():
            if name.endswith(".xml"):
                parseString(archive.read(name))  # every part is well-formed XML
    text = b"".join(zipfile.ZipFile(out).read(n) for n in zipfile.ZipFile(out).namelist()).decode("utf-8", "replace")
    assert "淮安\\x00市" in text  # shown escaped (the title strips the ends, as for any agency)


def test_a_wps_spreadsheet_is_read_when_it_is_a_workbook_and_gets_the_conversion_command_otherwise(tmp_path):
    documents = ROOT / "tests" / "documents"
    workbook, other = tmp_path / "report.et", tmp_path / "other.et"
    shutil.copy(documents / "made-huaian-city-2024.xls", workbook)  # WPS saves .et as an Excel 97 workbook
    raw = (documents / "made-huaian-city-2024.doc").read_bytes()   # an OLE2 file that is not one, nor a Word document
    other.write_bytes(raw.replace("WordDocument".encode("utf-16-le"), "WordDocumenX".encode("utf-16-le")))
    assert run("validate", workbook).exit_code == 0
    refused = run("validate", other)
    assert refused.exit_code == 3 and "--convert-to xlsx" in refused.output


def test_a_table_opened_inside_a_cell_and_left_open_is_not_a_crash(tmp_path):
    """Found by the fuzz profile: ``<table><tr><td><table></td>`` closed the outer cell into the inner table."""
    from govspec.extract import extract_file
    path = tmp_path / "x.html"
    path.write_text("<table><tr><td><table></td>", encoding="utf-8")
    assert extract_file(path).values == {}  # nothing placed, and no AttributeError
    assert run("validate", path).exit_code == 3  # "no table of a known template": a message


def test_a_json_lines_line_is_never_held_longer_than_a_report_may_be(tmp_path, monkeypatch):
    """A line is one report: past the size of a JSON file it is counted, not held (a file of one endless line
    would otherwise fill the memory), and said unreadable with its number — whether the file is read whole or cut
    into byte ranges for worker processes, fast path or detailed."""
    import random

    from govspec.check import parallel
    from govspec.check.batch import Validator
    from govspec.io import lines  # the lines of a file, whole or a byte range
    from govspec.io.instance import Unreadable
    monkeypatch.setattr(lines, "MAX_INSTANCE_BYTES", 100)
    monkeypatch.setattr(lines, "RANGE_BLOCK", 7)
    rng = random.Random(5)
    for _ in range(500):  # the two readers of lines, against iterating the file, around the limit
        data = b"\n".join(b"x" * rng.choice([0, 1, 99, 100, 101, 102, rng.randint(0, 400)])
                          for _ in range(rng.randint(0, 8))) + rng.choice([b"", b"\n"])
        path = tmp_path / "lines.bin"
        path.write_bytes(data)
        with open(path, "rb") as handle:
            expected = [("long", len(line)) if len(line.rstrip(b"\n")) > 100 else line for line in handle]
        size = len(data)
        for read in (lines._file_lines, functools.partial(lines.range_lines, start=0, end=size)):
            with open(path, "rb") as handle:
                assert [("long", line.size) if isinstance(line, lines.LongLine) else line
                        for line in read(handle)] == expected
    monkeypatch.setattr(lines, "MAX_INSTANCE_BYTES", 8000)  # a report is some 4 KB: one line made too long
    monkeypatch.setattr("govspec.io.readers.MAX_INSTANCE_BYTES", 8000)  # as the message says it
    line = HUAIAN.read_text(encoding="utf-8").replace("\n", " ")
    long = line.replace('"tables"', '"x": "' + "长" * 4000 + '", "tables"', 1)
    path = tmp_path / "batch.jsonl"
    path.write_text("\n".join([line, long, line] * 8) + "\n", encoding="utf-8")
    monkeypatch.setattr(parallel, "SMALL_BATCH", 0)
    monkeypatch.setattr(parallel, "SPLIT_BYTES", 20000)
    outcomes = []
    for fast, jobs in ((True, 1), (False, 1), (True, 2)):
        results = list(Validator(fast=fast, jobs=jobs, across=False).run([path]))
        outcomes.append([(r.source, r.error.message) if isinstance(r, Unreadable) else (r.source, r.verdict)
                         for r in results])
    assert outcomes[0] == outcomes[1] == outcomes[2] and len(outcomes[0]) == 24
    unreadable = [o for o in outcomes[0] if "longer than a report may be" in o[1]]
    assert [source for source, _ in unreadable] == [f"{path}:{n}" for n in range(2, 25, 3)]
    assert sum(verdict == "passed" for _, verdict in outcomes[0]) == 16


def test_a_csv_line_is_never_held_longer_than_a_report_may_be(tmp_path, monkeypatch):
    """The csv module is given the file's lines none longer than a report may be: a longer one (a file without a
    line end) stops the file with its line number, whichever path reads it, the rows before it checked."""
    from govspec.check.batch import Validator
    from govspec.io import lines, writers
    from govspec.io.instance import Unreadable
    from govspec.spec import loader
    spec = loader.load("gov-info-disclosure", "2021").spec
    document = json.loads(HUAIAN.read_text(encoding="utf-8"))
    path = tmp_path / "w.csv"
    path.write_text(writers.to_csv_wide(spec, [document, document]) + "x" * 30000, encoding="utf-8")
    monkeypatch.setattr(lines, "MAX_INSTANCE_BYTES", 20000)  # the header rows of the 2021 template are some 10,000
    for fast in (True, False):
        results = list(Validator(fast=fast, across=False).run([path]))
        assert [r.verdict for r in results[:-1] if not isinstance(r, Unreadable)] == ["passed", "passed"]
        assert isinstance(results[-1], Unreadable) and results[-1].error.line == 5
        assert "longer than a report may be" in results[-1].error.message



# --- digits that int() does not read ----------------------------------------------------------------

ETHIOPIC = "፩፪፫፬"  # str.isdigit() holds for these four characters (U+1369–U+136C); int() refuses them


def test_digits_int_cannot_read_get_messages_never_a_crash(tmp_path):
    """Found by probing: a template version, a report year (CSV long), --jobs or a row number of a workbook made of
    such digits passed an ``isdigit()`` test and was a traceback."""
    assert ETHIOPIC.isdigit() and not ETHIOPIC.isdecimal()
    document = json.loads(HUAIAN.read_text(encoding="utf-8"))
    document["version"] = ETHIOPIC
    named = tmp_path / "version.json"
    named.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    for args in (["validate", named], ["validate", HUAIAN, "--version", ETHIOPIC]):
        result = run(*args)
        assert result.exit_code == 3 and ETHIOPIC in result.output, result.output
    jobs = run("validate", HUAIAN, "-j", "²")
    assert jobs.exit_code == 2 and "'²'" in jobs.output
    long = tmp_path / "long.csv"
    long.write_text(f"cell,value\nspec,gov-info-disclosure\nversion,2021\nreport.year,{ETHIOPIC}\n", encoding="utf-8")
    result = run("validate", long)
    assert result.exit_code == 3 and "report.year" in result.output and ETHIOPIC in result.output
    import zipfile
    workbook = tmp_path / "rows.xlsx"
    with zipfile.ZipFile(ROOT / "tests" / "documents" / "made-huaian-city-2024.xlsx") as source, \
            zipfile.ZipFile(workbook, "w") as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                assert b'<row r="3"' in data
                data = data.replace(b'<row r="3"', f'<row r="{ETHIOPIC}"'.encode(), 1)
            target.writestr(item, data)
    result = run("validate", workbook)
    assert result.exit_code == 3 and "cannot" in result.output, result.output


@pytest.mark.parametrize("fmt", ["docx", "xlsx", "html", "markdown"])
@pytest.mark.parametrize("published,date", [("2025-01-20", "2025年1月20日"), ("2025/1/20", "2025年1月20日"),
                                            ("2025.01.20", "2025年1月20日"), ("2025年1月20日", "2025年1月20日"),
                                            ("２０２５-０１-２０", "2025年1月20日"), ("2025-1-2-3", None),
                                            ("abcdefghij", None), (f"{ETHIOPIC}-01-20", None)])
def test_render_prints_the_publication_date_of_every_form_validate_reads(tmp_path, fmt, published, date):
    """Found by probing: Word and Excel split any ten-character date at '-' (``2025/1/20`` and ``2025年1月20日``,
    forms govspec reads, were a traceback), and HTML and Markdown left out every form but ``2025-01-20``."""
    import zipfile
    document = json.loads(HUAIAN.read_text(encoding="utf-8"))
    document["report"]["published"] = published
    path, out = tmp_path / "x.json", tmp_path / f"x.{fmt}"
    path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    result = run("render", path, "--format", fmt, "-o", out)
    assert result.exit_code == 0, result.output
    if fmt in ("docx", "xlsx"):
        with zipfile.ZipFile(out) as archive:
            text = "".join(archive.read(name).decode("utf-8") for name in archive.namelist() if name.endswith(".xml"))
    else:
        text = out.read_text(encoding="utf-8")
    assert ("年1月20日" in text) == (date is not None)
    assert date is None or date in text


@pytest.mark.parametrize("text", ["3001³", "12²", "¹2", "①", "⑤", "₁₂", "12⁰件", "½", "3㎡"])
def test_a_character_that_only_looks_like_a_digit_is_never_read_as_one(tmp_path, text):
    """Found by probing: NFKC makes a footnote mark a digit, so ``3001³`` (3001 and note 3) was read as 30013, and
    ``①`` as 1 — wrong values.  Such text is not a value (``wrong-type``, with the text); full-width digits are."""
    from govspec.io.values import read_text
    assert not read_text(text, "count").understood and not read_text(text, "money", "万元").understood
    assert read_text("３００１", "count").value == 3001 and read_text("１２.５万元", "money", "万元").value == 12.5
    document = json.loads(HUAIAN.read_text(encoding="utf-8"))
    lines = ["cell,value", "spec,gov-info-disclosure", "version,2021", "report.year,2024"]
    lines += [f"{t}.{r}.{c},{text if (t, r, c) == ('applications', 'received', 'natural_person') else v}"
              for t, rows in document["tables"].items() for r, cells in rows.items() for c, v in cells.items()
              if v is not None]
    path = tmp_path / "report.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = run("validate", path, "--format", "json")
    found = json.loads(result.output)["reports"][0]["findings"]
    wrong = [f for f in found if f["code"] == "wrong-type"]
    assert [f["cells"] for f in wrong] == [["applications.received.natural_person"]] and text in wrong[0]["message"]


def test_a_report_fact_holding_amounts_is_written_in_every_output(tmp_path):
    """Found by the fuzz of report facts: JSON numbers with a fraction are read as exact decimals, and an agency of
    ``1.5`` (the audit page) or a kind of ``[1.5]`` (``--format json``) was a traceback.  They are written as the
    JSON report writes amounts: decimal text."""
    document = json.loads(HUAIAN.read_text(encoding="utf-8"))
    document["report"].update({"agency": 1.5, "kind": [1.5, {"a": 2.50}]})
    path = tmp_path / "report.json"
    text = json.dumps(document, ensure_ascii=False)
    deep = tmp_path / "deep.json"  # a fact nested as deep as the parsers read (not a Python frame a level)
    deep.write_text(text.replace('"report": {', '"report": {"extra": ' + "[" * 900 + "1.5" + "]" * 900 + ", ", 1),
                    encoding="utf-8")
    assert run("validate", deep, "--format", "json").exit_code == 0
    path.write_text(text, encoding="utf-8")
    result = run("validate", path, "--format", "json")
    assert result.exit_code == 0, result.output
    facts = json.loads(result.output)["reports"][0]["report"]
    assert facts["agency"] == "1.5" and facts["kind"] == ["1.5", {"a": "2.5"}]
    page, data = tmp_path / "audit.html", tmp_path / "audit.json"
    assert run("audit", path, "--html", page, "--json", data).exit_code == 0
    assert json.loads(data.read_text(encoding="utf-8"))["reports"][0]["agency"] == "1.5"


def test_a_year_or_a_date_written_with_look_alike_digits_is_not_read_as_one(tmp_path):
    """The same for a report's year and dates: ``²⁰²⁴`` was the year 2024 and ``①`` the year 1 (said as 1)."""
    from govspec.io.values import read_date
    assert read_date("²⁰²⁵-⁰¹-²⁰") is None and read_date("２０２５年１月２０日") == read_date("2025-01-20")
    for year in ("²⁰²⁴", "①"):
        path = tmp_path / "report.csv"
        path.write_text(f"cell,value\nspec,gov-info-disclosure\nversion,2021\nreport.year,{year}\n", encoding="utf-8")
        result = run("validate", path)
        assert result.exit_code == 3 and f"'{year}'" in result.output, result.output
    document = json.loads(HUAIAN.read_text(encoding="utf-8"))
    document["report"]["published"] = "²⁰²⁵-⁰¹-²⁰"
    path = tmp_path / "report.json"
    path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    found = json.loads(run("validate", path, "--format", "json").output)["reports"][0]["findings"]
    assert any(f["code"] == "metadata-invalid" and f["location"] == "report.published" for f in found)


def test_render_prints_the_reports_own_date_when_its_publication_date_is_not_one(tmp_path):
    document = json.loads(HUAIAN.read_text(encoding="utf-8"))
    document["report"].update({"published": "见附件", "dated": "2025/1/20"})
    path = tmp_path / "x.json"
    path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    result = run("render", path, "--format", "markdown")
    assert result.exit_code == 0 and "2025年1月20日" in result.output


def _zip_named(path: Path, raw_name: bytes, data: bytes) -> None:
    """A zip of one member whose name is ``raw_name`` as it stands in the file, without the UTF-8 mark — as
    Windows' own zip writes a Chinese name (in GBK)."""
    import zipfile
    placeholder = b"X" * (len(raw_name) - 5) + b".json"
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(placeholder.decode("ascii"), data)
    packed = buffer.getvalue()
    assert packed.count(placeholder) == 2  # the local header and the central directory
    path.write_bytes(packed.replace(placeholder, raw_name))


@pytest.mark.parametrize("encoding", ["gbk", "utf-8"])
def test_a_chinese_name_in_a_zip_made_on_windows_is_shown_as_written(tmp_path, encoding):
    """Found by probing: Python reads a zip member's name without the UTF-8 mark as CP437, so a batch zipped on
    Chinese Windows named its reports ``batch.zip!╗┤░▓╩╨2024.json`` — unreadable for the auditor."""
    archive = tmp_path / "batch.zip"
    _zip_named(archive, "淮安市2024.json".encode(encoding), HUAIAN.read_bytes())
    result = run("validate", archive)
    assert result.exit_code == 0 and "batch.zip!淮安市2024.json" in result.output, result.output


def _workbook_with_merges(path: Path, merges: str) -> None:
    """The made 淮安 workbook with ``merges`` (``<mergeCell …/>`` elements) added to its sheet."""
    import re
    import zipfile
    with zipfile.ZipFile(ROOT / "tests" / "documents" / "made-huaian-city-2024.xlsx") as source, \
            zipfile.ZipFile(path, "w") as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                text = data.decode("utf-8")
                found = re.search(r'<mergeCells count="(\d+)">', text)
                assert found
                text = text.replace(found[0], f'<mergeCells count="{int(found[1]) + merges.count("<")}">{merges}', 1)
                data = text.encode("utf-8")
            target.writestr(item, data)


def test_merged_cells_past_a_sheets_data_cost_nothing_and_overlapping_ones_are_refused(tmp_path):
    """Found by probing: a sheet's merged ranges were walked cell by cell, so a workbook of a few KB merging
    P60:XFD1048576 (17 billion cells) took all the memory there was.  Only the cells of the data are walked now;
    ranges that cover the data over and over again are refused."""
    far, over = tmp_path / "far.xlsx", tmp_path / "over.xlsx"
    _workbook_with_merges(far, '<mergeCell ref="P60:XFD1048576"/>')
    _workbook_with_merges(over, '<mergeCell ref="A1:O55"/>' * 3000)
    assert run("validate", far).exit_code == 0
    refused = run("validate", over)
    assert refused.exit_code == 3 and "over.xlsx: the merged cells" in refused.output, refused.output


def test_html_spans_are_held_to_a_browsers(tmp_path):
    """Found by probing: ``colspan="30000000" rowspan="2"`` in a page of a hundred bytes took 1.4 GB and ended in a
    MemoryError.  Spans are held to a browser's limits, and a table to 16,384 columns."""
    huge = tmp_path / "huge.html"
    huge.write_text('<table><tr><td>规章</td><td colspan="30000000" rowspan="2">1</td></tr><tr><td>3</td></tr></table>',
                    encoding="utf-8")
    result = run("validate", huge)
    assert result.exit_code == 3 and "no table of a known template" in result.output, result.output
    wide = tmp_path / "wide.html"
    wide.write_text("<table><tr><td>规章</td>" + '<td colspan="1000" rowspan="3">1</td>' * 20 + "</tr></table>",
                    encoding="utf-8")
    result = run("validate", wide)
    assert result.exit_code == 3 and "wider than 16384 columns" in result.output, result.output


def test_a_page_whose_style_sheet_asks_for_millions_of_rules_to_be_weighed_is_refused_quickly(tmp_path):
    """A page's own style sheet is weighed as a browser weighs it (docs/extraction.md): 4,096 rules that each may
    match every one of 200,000 elements would be 800 million weighings.  Refused at a million, in a moment."""
    page = tmp_path / "styles.html"
    css = "".join(f".a.b{i}{{display:none}}" for i in range(4096))
    page.write_text(f"<style>{css}</style>" + "<i class=a>1</i>" * 200_000, encoding="utf-8")
    result = run("validate", page)
    assert result.exit_code == 3 and "ask for more than 1000000 rules to be weighed" in result.output, result.output


def test_an_xls_whose_mini_sectors_loop_is_not_followed_round_and_round(tmp_path):
    """Found by probing: the reader of what an .xls hides followed a chain of mini sectors that leads back to itself
    until the stream's stated size was reached — a 12 KB file stating 4 GB held `validate` for minutes, taking
    gigabytes.  A chain longer than the mini stream holds is a loop: what the file hides is then not read from it (as
    for any damaged container), and calamine reads the values."""
    import struct

    from govspec.extract.ole2 import Compound
    raw = bytearray((ROOT / "tests" / "documents" / "made-huaian-city-2024.xls").read_bytes())
    struct.pack_into("<I", raw, 0x38, 0xFFFFFFF0)  # every stream is "small": read through the mini stream
    first_directory, first_mini = struct.unpack_from("<I", raw, 0x30)[0], struct.unpack_from("<I", raw, 0x3C)[0]
    for at in range((first_directory + 1) * 512, (first_directory + 2) * 512, 128):
        if raw[at:at + 16].decode("utf-16-le") == "Workbook":
            start = struct.unpack_from("<I", raw, at + 116)[0]
            struct.pack_into("<I", raw, at + 120, 1 << 20)  # a stated size larger than the mini stream
            struct.pack_into("<I", raw, (first_mini + 1) * 512 + 4 * start, start)  # a sector that leads to itself
            break
    else:
        raise AssertionError("no Workbook stream")
    with pytest.raises(ValueError, match="does not end"):
        Compound(bytes(raw)).stream("Workbook")
    path = tmp_path / "loop.xls"
    path.write_bytes(bytes(raw))
    assert run("validate", path).exit_code in (0, 1, 3, 4)


def _pdf_of(content: bytes) -> bytes:
    """A one-page PDF drawing ``content`` (its content stream, packed with Flate) in Helvetica."""
    import zlib
    stream = zlib.compress(content, 9)
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
               b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 5 0 R >> >> "
               b"/Contents 4 0 R >>",
               b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(stream) + stream + b"\nendstream",
               b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"]
    out, offsets = b"%PDF-1.4\n", []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    table = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1) + b"".join(b"%010d 00000 n \n" % o for o in offsets)
    return out + b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, table)


def test_a_pdf_page_of_more_characters_than_a_report_prints_is_refused(tmp_path):
    """Found by probing: a 15 KB PDF whose content stream unpacks to 3,000,000 characters on one page took 39 s and
    1.7 GB, each character read in Python.  A page is held to 100,000 characters (a dense page of a report prints a
    few thousand)."""
    path = tmp_path / "many.pdf"
    path.write_bytes(_pdf_of(b"".join(b"BT /F1 1 Tf %d %d Td (" % (i % 500, i // 500) + b"1" * 1000 + b") Tj ET\n"
                                      for i in range(120))))
    result = run("validate", path)
    assert result.exit_code == 3 and "many.pdf: page 1 prints 120" in result.output and "(limit 100000)" in result.output, \
        result.output


def test_a_pdf_page_drawing_more_than_a_report_draws_is_refused_as_soon_as_seen(tmp_path):
    """Found by probing: a 56 KB PDF drawing 1,000,000 path segments took 12 s, each segment read in Python before the
    page's lines were counted.  A page is held to 100,000 segments, and refused as soon as it passes a limit."""
    segments = b"".join(b"%d 0 m " % i + b"".join(b"%d %d l " % (j, j) for j in range(200)) + b"S\n" for i in range(600))
    path = tmp_path / "drawn.pdf"
    path.write_bytes(_pdf_of(segments))
    result = run("validate", path)
    assert result.exit_code == 3 and "drawn.pdf: page 1 draws more than 100000 path segments" in result.output, \
        result.output


def test_tables_full_of_keys_no_template_knows_are_refused_not_explained_one_by_one(tmp_path):
    """Found by probing: each key of ``tables`` the spec does not know is a finding with a did-you-mean, so 1,500,000
    of them (a 23 MB file) took a minute and 3.9 GB.  More than 1,000 make the document no report of the template."""
    document = json.loads(HUAIAN.read_text(encoding="utf-8"))
    document["tables"]["applications"].update({f"row_{i}": {"x": 1} for i in range(1_001)})
    path = tmp_path / "keys.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    result = run("validate", path)
    assert result.exit_code == 3 and "keys.json [tables]: 'tables' holds more than 1000 keys" in result.output
    for extra in range(1_000):  # a thousand are each explained, as before
        del document["tables"]["applications"][f"row_{extra}"]
    path.write_text(json.dumps(document), encoding="utf-8")
    assert run("validate", path).exit_code == 1
    for where, many in (("report", {f"fact_{i}": i for i in range(1_001)}),
                        ("variants", {f"applications.v{i}": {"x": 1} for i in range(1_001)})):
        crowded = json.loads(HUAIAN.read_text(encoding="utf-8"))
        crowded.setdefault(where, {}).update(many)
        path.write_text(json.dumps(crowded), encoding="utf-8")
        for options in ((), ("--no-fast",)):
            result = run("validate", path, *options)
            assert result.exit_code == 3 and "1001" in result.output and "more than 1000" in result.output


def test_an_output_that_is_a_pipe_or_a_device_is_written_to_not_replaced(tmp_path):
    """Found by probing (as root): ``-o /dev/full`` renamed a file onto the device — /dev/full became a file, and the
    command said nothing — as any output was written to a temporary file and renamed.  A device, named pipe or
    socket is written to as it is (the shell's ``>``), so ``-o /dev/stdout`` and ``-o /dev/null`` do what they
    say; a folder is refused."""
    import stat
    import threading
    pipe = tmp_path / "pipe"
    os.mkfifo(pipe)
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(pipe.read_bytes()), daemon=True)
    reader.start()
    result = run("validate", HUAIAN, "--format", "json", "-o", pipe)
    reader.join(timeout=30)
    assert result.exit_code == 0 and stat.S_ISFIFO(os.stat(pipe).st_mode)
    assert received and json.loads(received[0])["summary"]["passed"] == 1
    folder = run("validate", HUAIAN, "-o", tmp_path)
    assert folder.exit_code == 3 and "is a folder" in folder.output


def test_a_duckdb_file_that_is_a_pipe_is_refused_before_the_export(tmp_path):
    """Found by probing (as root): ``export --duckdb /dev/null`` renamed the database onto the device, after the
    export.  A database is a file: a device or a pipe is refused (exit 3), before anything is exported."""
    pytest.importorskip("duckdb")
    pytest.importorskip("pyarrow")
    pipe = tmp_path / "pipe"
    os.mkfifo(pipe)
    result = run("export", HUAIAN, "--to", tmp_path / "dataset", "--duckdb", pipe)
    assert result.exit_code == 3 and "not to a device or a pipe" in result.output, result.output
    assert not (tmp_path / "dataset").exists()
    import stat
    assert stat.S_ISFIFO(os.stat(pipe).st_mode)


def test_a_text_report_longer_than_a_report_is_refused(tmp_path):
    """Found by probing: text is read line by line in Python, so 10 MB of numbers took 45 s and 1 GB.  A text or
    Markdown report is held to 2,000,000 characters (a report's text holds tens of thousands)."""
    path = tmp_path / "long.txt"
    path.write_text("自然人 " + "1 " * 1_000_001, encoding="utf-8")
    result = run("validate", path)
    assert result.exit_code == 3 and "long.txt: the text holds 2000006 characters (limit 2000000" in result.output, \
        result.output
    page = tmp_path / "long.html"  # a page (or a Word document, a PDF): its text as read, cells and lines
    page.write_text("<table><tr><td>规章</td><td>" + "1 " * 1_000_001 + "</td></tr></table>", encoding="utf-8")
    result = run("validate", page)
    assert result.exit_code == 3 and "long.html: the text holds" in result.output, result.output


def test_a_year_that_is_no_integer_is_said_as_written_not_as_python_shows_it(tmp_path):
    """Found by probing: ``"year": 2024.0`` was said as ``Decimal('2024.0')``, and ``2024e0`` as ``Decimal('2024')``."""
    document = json.loads(HUAIAN.read_text(encoding="utf-8"))
    path = tmp_path / "year.json"
    path.write_text(json.dumps(document, ensure_ascii=False).replace('"year": 2024', '"year": 2024e0'), encoding="utf-8")
    result = run("validate", path)
    assert result.exit_code == 3 and "not a decimal number 2024" in result.output and "Decimal" not in result.output


def test_a_byte_order_mark_on_any_json_lines_line_is_skipped(tmp_path):
    """Files saved by Notepad start with a byte-order mark, and joined (``copy /b a.jsonl+b.jsonl``) put one at the
    start of a line inside the file: it was unreadable there ("Unexpected UTF-8 BOM"), not on the first line."""
    line = json.dumps(json.loads(HUAIAN.read_text(encoding="utf-8")), ensure_ascii=False).encode()
    path = tmp_path / "joined.jsonl"
    path.write_bytes(b"\xef\xbb\xbf" + line + b"\n\xef\xbb\xbf" + line + b"\n")
    for options in ((), ("--no-fast",), ("--no-across",)):
        result = run("validate", path, "--format", "json", *options)
        assert [r["verdict"] for r in json.loads(result.output)["reports"]] == ["passed", "passed"], result.output
