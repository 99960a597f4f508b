"""The command line: output, JSON shape, exit codes, and the installed console script."""

import hashlib
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from govspec.cli.main import main

ROOT = Path(__file__).resolve().parent.parent
HEGANG = str(ROOT / "examples" / "hegang-justice-2020.json")
CORRECTED = str(ROOT / "examples" / "hegang-justice-2020-corrected.json")
HUAIAN = str(ROOT / "examples" / "huaian-city-2024.json")


def run(*args):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def test_hegang_example_fails_the_stated_identity_with_its_numbers():
    result = run("validate", HEGANG)
    assert result.exit_code == 1
    out = result.output
    expected = ("一、本年新收政府信息公开申请数量 (0) + 二、上年结转政府信息公开申请数量 (0) ≠ "
                "（七）总计 (3) + 四、结转下年度继续办理 (1)  [自然人]")
    assert expected in out
    assert expected.replace("[自然人]", "[总计]") in out
    assert out.count("✗") == 2
    assert "三、收到和处理政府信息公开申请情况" in out


def test_corrected_and_huaian_pass():
    result = run("validate", CORRECTED, HUAIAN)
    assert result.exit_code == 0, result.output
    assert "通过 2" in result.output


def test_english_output():
    result = run("validate", HEGANG, "--lang", "en")
    assert result.exit_code == 1
    assert "1. New applications received this year (0) + 2. Carried over from last year (0) ≠ (7) Total (3)" in result.output
    assert "[Natural persons]" in result.output


def test_json_output_follows_the_documented_shape():
    result = run("validate", HEGANG, CORRECTED, "--format", "json")
    assert result.exit_code == 1
    doc = json.loads(result.output)
    assert doc["govspec_report"] == 2
    assert doc["summary"] == {"reports": 2, "passed": 1, "failed": 1, "incomplete": 0, "unreadable": 0, "valid": 1,
                              "rules": {"applications.balance": 1},
                              "rules_by_severity": {"error": {"applications.balance": 1}, "warning": {}},
                              "not_evaluated": {},
                              "across": {"error": 0, "warning": 0, "without_previous_year": 2},
                              "accepted": 0, "stale_exceptions": 0}
    first = doc["reports"][0]
    assert {"source", "spec", "version", "verdict", "valid", "not_evaluated", "findings"} <= set(first)
    assert (first["spec"], first["version"], first["verdict"], first["valid"]) == (
        "gov-info-disclosure", "2019", "failed", False)
    assert [f["check"] or f["code"] for f in first["findings"]] == [
        "applications.balance[natural_person]", "applications.balance[total]",
        "duplicate-report"]  # the original and its corrected copy: one body and year, two differing reports
    finding = first["findings"][0]
    assert {"code", "severity", "rule", "cells", "message", "reported", "computed"} <= set(finding)
    assert finding["cells"] == ["applications.received.natural_person", "applications.carried_over.natural_person",
                                "applications.total.natural_person", "applications.carried_forward.natural_person"]
    assert (finding["reported"], finding["computed"], finding["difference"]) == (0, 4, -4)
    assert finding["labels"][2]["row"] == "（七）总计" and finding["labels"][2]["row_groups"] == ["三、本年度办理结果"]


def test_json_keeps_amounts_exact(tmp_path):
    doc = json.loads(Path(HUAIAN).read_text(encoding="utf-8"))
    doc["tables"]["proactive_disclosure"]["fees"]["fee_amount"] = -0.1
    path = tmp_path / "x.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    out = json.loads(run("validate", str(path), "--format", "json").output)
    finding = out["reports"][0]["findings"][0]
    assert finding["code"] == "negative-value" and "-0.1" in finding["message"]
    assert out["reports"][0]["report"]["year"] == 2024


def test_unreadable_input_is_reported_and_exits_3(tmp_path):
    result = run("validate", HEGANG, str(tmp_path / "missing.json"), "--format", "json")
    assert result.exit_code == 3
    doc = json.loads(result.output)
    assert doc["summary"]["unreadable"] == 1
    assert doc["reports"][1]["error"]["message"] == "文件不存在"  # in --lang, like the findings


def test_spec_and_version_options_override_the_instance(tmp_path):
    doc = json.loads(Path(HUAIAN).read_text(encoding="utf-8"))
    del doc["spec"], doc["version"]
    path = tmp_path / "bare.json"
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    assert run("validate", str(path)).exit_code == 3
    assert run("validate", str(path), "--spec", "gov-info-disclosure").exit_code == 0
    result = run("validate", str(path), "--spec", "gov-info-disclosure", "--template-version", "2019", "--format", "json")
    codes = {f["code"] for f in json.loads(result.output)["reports"][0]["findings"]}
    assert "unknown-row" in codes and "template-year-mismatch" in codes
    spec_file = str(ROOT / "specs" / "gov-info-disclosure-2021.yaml")
    assert run("validate", str(path), "--spec", spec_file).exit_code == 0


def test_usage_errors_exit_2():
    assert run("validate").exit_code == 2
    assert run("validate", HEGANG, "--format", "xml").exit_code == 2
    assert run("frobnicate").exit_code == 2


def test_spec_list():
    result = run("spec", "list", "--format", "json")
    assert result.exit_code == 0
    specs = json.loads(result.output)["specs"]
    assert [(s["id"], s["version"], s["cells"]) for s in specs] == [
        ("gov-info-disclosure", "2019", 198), ("gov-info-disclosure", "2021", 200),
        ("hubei-gov-info-disclosure", "2020", 201)]
    assert "国办公开办函〔2021〕30号" in run("spec", "list").output


@pytest.mark.parametrize("version,count", [("2019", 198), ("2021", 200)])
def test_spec_show_lists_exactly_the_value_cells(version, count):
    result = run("spec", "show", f"gov-info-disclosure@{version}", "--format", "json")
    assert result.exit_code == 0
    doc = json.loads(result.output)
    cells = doc["cells"]
    assert len(cells) == count == len({c["id"] for c in cells})
    cell = next(c for c in cells if c["id"] == "applications.withheld_state_secret.business")
    assert cell["type"] == "count"
    assert cell["labels"]["zh"] == {
        "table": "收到和处理政府信息公开申请情况", "block": None, "row_groups": ["三、本年度办理结果", "（三）不予公开"],
        "row": "1.属于国家秘密", "column_groups": ["申请人情况", "法人或其他组织"], "column": "商业企业"}
    assert {r["id"] for r in doc["rules"]} >= {"applications.balance", "applications.row_total",
                                               "applications.outcome_total", "review_litigation.review_total"}


def test_spec_show_text_and_errors():
    text = run("spec", "show", "gov-info-disclosure@2021").output
    assert "applications.balance" in text and "proactive_disclosure.fees.fee_amount" in text
    newest = run("spec", "show", "gov-info-disclosure").output
    assert newest.startswith("gov-info-disclosure@2021")
    result = run("spec", "show", "gov-info-disclosur@2021")
    assert result.exit_code == 3 and "是否指 'gov-info-disclosure'" in result.output
    result = run("spec", "show", "--lang", "en", "gov-info-disclosure@2020")
    assert result.exit_code == 3 and "versions: 2019, 2021" in result.output


def test_validation_never_changes_the_input(tmp_path):
    path = tmp_path / "report.json"
    path.write_bytes(Path(HEGANG).read_bytes())
    before = hashlib.sha256(path.read_bytes()).hexdigest(), path.stat().st_mtime_ns
    run("validate", str(path), "--format", "json")
    assert (hashlib.sha256(path.read_bytes()).hexdigest(), path.stat().st_mtime_ns) == before


def test_installed_console_script_finds_its_specs(tmp_path):
    """The README's install step must have run: the console script works from another directory."""
    beside = Path(sys.executable).parent / "govspec"
    exe = str(beside) if beside.exists() else shutil.which("govspec") or str(beside)
    assert Path(exe).exists(), "govspec is not installed: run the README's install command"
    result = subprocess.run([exe, "validate", HEGANG, "--format", "json"], cwd=tmp_path,
                            capture_output=True, text=True, encoding="utf-8")
    assert result.returncode == 1, result.stderr
    assert json.loads(result.stdout)["reports"][0]["valid"] is False
    listing = subprocess.run([exe, "spec", "list", "--format", "json"], cwd=tmp_path, capture_output=True,
                             text=True, encoding="utf-8")
    assert [s["cells"] for s in json.loads(listing.stdout)["specs"]] == [198, 200, 201]


def test_template_version_is_the_option_and_the_old_spelling_still_works_with_a_note():
    new = CliRunner().invoke(main, ["template", "--template-version", "2019"])
    old = CliRunner().invoke(main, ["template", "--version", "2019"])
    assert new.exit_code == old.exit_code == 0 and new.stdout == old.stdout
    assert '"version": "2019"' in new.stdout and new.stderr == ""
    assert "--version V is now --template-version V" in old.stderr
    assert "--template-version" in CliRunner().invoke(main, ["validate", "--help"]).output


def test_only_problems_and_quiet_leave_out_what_passed_but_count_it(tmp_path):
    examples = Path(__file__).resolve().parent.parent / "examples"
    full = CliRunner().invoke(main, ["validate", str(examples)])
    problems = CliRunner().invoke(main, ["validate", str(examples), "--only-problems"])
    quiet = CliRunner().invoke(main, ["validate", str(examples), "-q"])
    assert full.exit_code == problems.exit_code == quiet.exit_code == 1
    summary = full.stdout.strip().splitlines()[-3:]
    assert problems.stdout.strip().splitlines()[-3:] == summary and quiet.stdout.strip().splitlines() == summary
    assert "huaian" in full.stdout and "huaian" not in problems.stdout and "hegang-justice-2020.json" in problems.stdout
    rows = CliRunner().invoke(main, ["validate", str(examples), "--format", "csv", "--only-problems"]).stdout
    assert "huaian" not in rows and "rule-violated" in rows
    refused = CliRunner().invoke(main, ["validate", str(examples), "--format", "json", "-q"])
    assert refused.exit_code == 2 and "always complete" in refused.output


@pytest.mark.parametrize("name,command", [("examples/hegang-justice-2020.json", ["validate", "-"]),
                                          ("tests/documents/made-huaian-city-2024.xlsx", ["validate", "-"]),
                                          ("tests/documents/made-huaian-city-2024.xls", ["validate", "-"]),
                                          ("tests/documents/made-huaian-city-2024.doc", ["validate", "-"]),
                                          ("tests/corpus/001.txt", ["extract", "-"]),
                                          ("tests/documents/made-huaian-city-2024.docx", ["render", "-"])])
def test_a_dash_reads_standard_input_in_any_format(name, command):
    root = Path(__file__).resolve().parent.parent
    raw = (root / name).read_bytes()
    piped = CliRunner().invoke(main, command, input=raw)
    named = CliRunner().invoke(main, [command[0], str(root / name)])
    assert piped.exit_code == named.exit_code and piped.exit_code in (0, 1)
    if command[0] == "render":
        assert piped.stdout == named.stdout  # the page names the report by its title, not by its file
    else:  # the same report, named by the temporary file that holds standard input
        assert "govspec-stdin-" in piped.stdout
        assert piped.stdout.count("\n") == named.stdout.count("\n")


def test_standard_input_kinds_are_told_by_content():
    from govspec.cli.stdin import suffix_of
    assert [suffix_of(b) for b in (b'{"a": 1}', b'{"a": 1}\n{"a": 2}\n', b"\xef\xbb\xbfcell,value,source\n",
                                   b"spec,version\n", b"<table><tr><td>1</td></tr></table>", b"text", b"%PDF-1.7",
                                   b"{\\rtf1\\ansi \\par}")] \
        == [".json", ".jsonl", ".csv", ".csv", ".html", ".txt", ".pdf", ".rtf"]


def test_the_audit_page_says_what_made_it_and_can_leave_the_folders_out(tmp_path):
    import govspec
    examples = Path(__file__).resolve().parent.parent / "examples"
    for shared in (False, True):
        page, data = tmp_path / f"{shared}.html", tmp_path / f"{shared}.json"
        args = ["audit", str(examples), "--html", str(page), "--json", str(data)] + (["--no-paths"] if shared else [])
        assert CliRunner().invoke(main, args).exit_code == 1
        run = json.loads(data.read_text(encoding="utf-8"))["run"]
        assert run["govspec"] == govspec.__version__ and run["specs"] == ["gov-info-disclosure@2019",
                                                                          "gov-info-disclosure@2021"]
        assert run["time"].endswith("Z") and f"govspec {govspec.__version__}" in page.read_text(encoding="utf-8")
        text = page.read_text(encoding="utf-8") + data.read_text(encoding="utf-8")
        assert "✗ 申请办理勾稽关系</text>" in text  # the chart names the rule by its title (its id on hover)
        assert (str(examples.parent) in text) is not shared
        assert "examples/hegang-justice-2020.json" in text


def test_validate_writes_its_report_to_a_file_atomically_never_over_an_input(tmp_path):
    example = Path(__file__).resolve().parent.parent / "examples" / "hegang-justice-2020.json"
    before = example.read_bytes()
    for fmt in ("text", "json", "csv"):
        out = tmp_path / f"report.{fmt}"
        written = CliRunner().invoke(main, ["validate", str(example), "--format", fmt, "-o", str(out)])
        printed = CliRunner().invoke(main, ["validate", str(example), "--format", fmt])
        assert written.exit_code == printed.exit_code == 1 and written.stdout == ""
        assert out.read_text(encoding="utf-8") == printed.stdout
    refused = CliRunner().invoke(main, ["validate", str(example), "-o", str(example)])
    assert refused.exit_code == 3 and "不会覆盖输入文件" in refused.output
    assert example.read_bytes() == before and not list(tmp_path.glob(".*.tmp"))


@pytest.mark.parametrize("command", [
    ["extract", "tests/corpus/001.txt"],
    ["schema"], ["template"], ["template", "--format", "csv-wide"], ["spec", "list"],
    ["spec", "show", "gov-info-disclosure"], ["spec", "schema"],
    ["spec", "diff", "gov-info-disclosure@2019", "gov-info-disclosure@2021"],
    ["spec", "lint", "specs/gov-info-disclosure-2021.yaml"],
    ["migrate", "examples/hegang-justice-2020.json", "--to", "2021"],
    ["render", "examples/hegang-justice-2020.json"],
])
def test_every_command_that_writes_one_file_takes_o_file(tmp_path, command):
    root = Path(__file__).resolve().parent.parent
    command = [str(root / a) if a.startswith(("examples/", "specs/", "tests/")) else a for a in command]
    out = tmp_path / "out.txt"
    printed = CliRunner().invoke(main, command)
    written = CliRunner().invoke(main, [*command, "-o", str(out)])
    assert written.exit_code == printed.exit_code and written.stdout == ""
    assert out.read_text(encoding="utf-8") == printed.stdout
    inputs = [a for a in command if Path(a).is_file()]
    if inputs:  # never over an input
        before = Path(inputs[0]).read_bytes()
        refused = CliRunner().invoke(main, [*command, "-o", inputs[0]])
        assert refused.exit_code == 3 and Path(inputs[0]).read_bytes() == before


def test_a_batch_into_a_pipe_is_written_a_buffer_at_a_time_and_all_of_it_when_done(monkeypatch):
    """Not one system call per report (click's stream flushes every line): the output of ``validate`` into a pipe or
    a file is handed over a buffer at a time, and flushed where a full disk is still told (exit 3), not at exit."""
    import io
    from contextlib import ExitStack

    import click

    from govspec.cli.common import output_stream, stdout
    read, write = os.pipe()
    os.set_blocking(read, False)
    with open(write, "wb") as binary:  # buffered, as standard output into a pipe
        pipe = io.TextIOWrapper(binary, encoding="utf-8", line_buffering=True)
        monkeypatch.setattr(click, "get_text_stream", lambda name: pipe)
        with ExitStack() as stack:
            out = output_stream(stack, None)
            out.write("报告\n" * 10)
            with pytest.raises(BlockingIOError):
                os.read(read, 1 << 16)  # kept until the buffer fills or the output is done
        assert os.read(read, 1 << 16) == "报告\n".encode() * 10
        lines = stdout()  # a command's few lines: each as it is written
        lines.write("完\n")
        assert os.read(read, 1 << 16) == "完\n".encode()
        pipe.detach()
    os.close(read)


def test_a_batch_is_handed_to_its_output_a_group_of_entries_at_a_time_even_when_python_runs_unbuffered(monkeypatch):
    """``PYTHONUNBUFFERED`` (container images often set it) leaves standard output without a buffer: each report's entry
    was a write of its own, and a system call.  The entries are gathered and handed over together, all of them, in
    order, by the time the output is done."""
    import io
    from contextlib import ExitStack

    import click

    from govspec.cli.common import output_stream

    class Unbuffered(io.RawIOBase):
        def __init__(self) -> None:
            self.writes: list[bytes] = []

        def writable(self) -> bool:
            return True

        def write(self, data) -> int:
            self.writes.append(bytes(data))
            return len(data)

    raw = Unbuffered()
    stream = io.TextIOWrapper(raw, encoding="utf-8", write_through=True)  # as Python makes it, unbuffered
    monkeypatch.setattr(click, "get_text_stream", lambda name: stream)
    entries = [f"{number} 报告 passed\n" for number in range(20_000)]
    with ExitStack() as stack:
        out = output_stream(stack, None)
        for entry in entries:
            out.write(entry)
    assert b"".join(raw.writes).decode("utf-8") == "".join(entries)
    assert len(raw.writes) < 20  # not 20,000
    stream.detach()


def test_entries_workers_wrote_in_utf8_reach_the_output_as_they_are_in_order_with_what_is_written_as_text(monkeypatch):
    """The texts worker processes send in UTF-8 go to standard output or a file as they are, not decoded and encoded
    again, in order with what is written as text — which is encoded as the output's stream would (its errors: an
    escape, where it says so) —; a stretch holding a text UTF-8 cannot encode is written as text.  An output in another
    encoding, or one that writes line ends as the system's, takes every text as text."""
    import io
    from contextlib import ExitStack

    import click

    from govspec.check.written import write_texts
    from govspec.cli.common import Gathered, output_stream, raw_utf8

    def written(encoding: str) -> tuple[bytes, object]:
        binary = io.BytesIO()
        stream = io.TextIOWrapper(binary, encoding=encoding, errors="backslashreplace")
        monkeypatch.setattr(click, "get_text_stream", lambda name: stream)
        with ExitStack() as stack:
            out = output_stream(stack, None)
            out.write("[\n")
            write_texts(out, ["报告".encode(), "二".encode()], ",\n", " ")
            write_texts(out, ["三".encode(), "孤\ud800"], ",")  # one UTF-8 cannot encode: the stretch as text
            out.write("\ud800]")
            given = out.binary  # type: ignore[attr-defined]
        return binary.getvalue(), given

    data, given = written("utf-8")
    assert given is not None and data == "[\n 报告,\n二三,孤\\ud800\\ud800]".encode()
    monkeypatch.setenv("PYTHONIOENCODING", "gbk")  # standard output in GBK (into a pipe, UTF-8 unless it is asked for)
    data, given = written("gbk")
    assert given is None and data == "[\n 报告,\n二三,孤\\ud800\\ud800]".encode("gbk")
    file = io.TextIOWrapper(io.BytesIO(), encoding="utf-8", newline="")
    monkeypatch.setattr(os, "linesep", "\r\n")  # Windows: a stream opened without newline="" writes \r\n
    assert raw_utf8(file, translates=True) is None and raw_utf8(file, translates=False) is file.buffer
    text = io.StringIO()  # no byte stream under it: the texts decoded
    gathered = Gathered(text)
    write_texts(gathered, ["甲".encode(), "乙".encode()], "|")
    gathered.flush()
    write_texts(text, ["丙".encode()], before="|")
    assert text.getvalue() == "甲|乙|丙"


def test_output_honours_pythonioencoding_and_escapes_what_it_cannot_show():
    root = Path(__file__).resolve().parent.parent
    env = dict(os.environ, PYTHONIOENCODING="gbk", PYTHONPATH=str(root))
    done = subprocess.run([sys.executable, "-m", "govspec", "validate", str(root / "examples" / "hegang-justice-2020.json")],
                          capture_output=True, env=env, cwd=root, timeout=120)
    assert done.returncode == 1
    text = done.stdout.decode("gbk")  # a Chinese Windows console (code page 936) shows it as written
    assert "鹤岗市司法局" in text and "\\u2717" in text  # ✗ is not in GBK: escaped, not a crash


@pytest.mark.parametrize("command", [["validate", "examples/huaian-city-2024.json"], ["--help"],
                                     ["spec", "show", "gov-info-disclosure"]])
def test_start_up_does_not_import_what_the_command_does_not_use(command):
    """`govspec validate one.json` is run one file at a time by auditors: it must not pay for numpy, zhconv,
    jsonschema, the readers of documents, the audit page, the structure gate of JSON Lines, the fast path of a
    batch, the ledger of a batch, reviewed findings it was not given, OpenSSL, PyYAML, importlib's abstract
    classes, temporary files, pickling, zip archives, the readers of CSV or the suggestions for a mistyped name
    (docs/performance.md, start-up)."""
    import subprocess
    import sys
    root = Path(__file__).resolve().parent.parent
    probe = ("import sys\nfrom govspec.cli.main import main\nsys.argv = ['govspec'] + sys.argv[1:]\ntry:\n    main()\n"
             "except SystemExit:\n    pass\nprint(' '.join(sorted(sys.modules)), file=sys.stderr)\n")
    # -S: without the site module's .pth files, which may import modules of their own (this sandbox's do: importlib.abc)
    packages = os.pathsep.join([str(root)] + [p for p in sys.path if p.endswith(("site-packages", "dist-packages"))])
    done = subprocess.run([sys.executable, "-S", "-c", probe, *command], cwd=root, capture_output=True, text=True,
                          env=dict(os.environ, PYTHONPATH=packages))
    loaded = set(done.stderr.split())
    heavy = {"numpy", "zhconv", "jsonschema", "openpyxl", "pypdfium2", "python_calamine", "govspec.extract",
             "govspec.present.audit", "govspec.present.workbook", "pkg_resources",
             "msgspec", "sqlite3", "_hashlib",  # the gate of JSON Lines, the ledger of a batch, OpenSSL
             "govspec.check.fastpath", "govspec.check.pending", "govspec.check.wide",  # batches of JSON Lines, CSV
             "importlib.abc", "importlib.resources",  # the finder of the paths of 0.1 needs importlib's protocols only
             "tempfile", "pickle", "zipfile"}  # files written, results spooled or sent to workers, archives
    if command[0] == "validate":
        heavy.add("govspec.check.accept")  # reviewed findings, read when --accept is given (--help lists audit too)
        heavy.update({"csv", "govspec.io.arrow_csv", "difflib"})  # the readers of CSV; suggestions for unknown names
    if command[0] != "--help":
        heavy.add("yaml")  # the shipped specs are read from their parsed copies (govspec.spec.parsed)
    assert "govspec.cli.main" in loaded and loaded & heavy == set()


def test_names_are_simplified_without_importing_pkg_resources():
    """zhconv finds its table through pkg_resources (0.13 s to import, in every worker process): govspec loads it
    without, and gives the same conversions."""
    import subprocess
    import sys
    code = ("import sys; from govspec.io.chinese import simplified; "
            "assert simplified('淮安市人民政府辦公室') == '淮安市人民政府办公室'; "
            "print('pkg_resources' in sys.modules)")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "False"
