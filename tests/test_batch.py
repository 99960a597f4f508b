"""Batches: CSV long/wide, JSON Lines, folders, encodings; fast and detailed paths agree."""

import csv
import dataclasses
import io
import json
from dataclasses import replace
from pathlib import Path

import jsonschema
import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import govspec
from govspec.check.across_values import across_list
from govspec.check.batch import Validator
from govspec.check.packed import PackedValues
from govspec.check.report import Report
from govspec.cli.main import main
from govspec.io import writers
from govspec.io.readers import Instance, Unreadable, read_all
from govspec.testing import broken_instances, instances

ROOT = Path(__file__).resolve().parent.parent
SPEC21 = govspec.load_spec("gov-info-disclosure", "2021")
SPEC19 = govspec.load_spec("gov-info-disclosure", "2019")


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)


def outcome(result):
    if isinstance(result, Unreadable):
        return ("unreadable", result.source, result.error.message)
    return (result.source, result.valid, tuple((f.code, f.check, f.location, f.severity, f.reported, f.computed,
                                               f.caused_by, f.blank_cells) for f in result.findings))


@pytest.fixture
def mixed_folder(tmp_path, huaian, hegang):
    """A folder with every input shape and encoding, some valid, some not, one unreadable."""
    folder = tmp_path / "batch"
    (folder / "sub").mkdir(parents=True)
    (folder / "a.json").write_text(json.dumps(huaian, ensure_ascii=False), encoding="utf-8")
    (folder / "b.jsonl").write_text(json.dumps(hegang, ensure_ascii=False) + "\n\n" +
                                    json.dumps(huaian, ensure_ascii=False) + "\n", encoding="utf-8")
    (folder / "sub" / "c-long.csv").write_text(writers.to_csv_long(SPEC21, huaian), encoding="utf-8-sig")
    broken = json.loads(json.dumps(huaian))
    broken["tables"]["applications"]["received"]["total"] = 3120
    (folder / "sub" / "d-wide-gb.csv").write_bytes(
        writers.to_csv_wide(SPEC21, [huaian, broken]).encode("gb18030"))
    (folder / "e-long-bom.csv").write_text(writers.to_csv_long(SPEC19, hegang), encoding="utf-8-sig")
    (folder / "f.json").write_text("{not json", encoding="utf-8")
    (folder / "notes.log").write_text("ignored", encoding="utf-8")
    return folder


def test_a_mixed_folder_validates_in_one_command(mixed_folder):
    result = run("validate", mixed_folder, "--format", "json")
    assert result.exit_code == 3  # one unreadable file wins over invalid reports
    doc = json.loads(result.output)
    by_source = {Path(r["source"].split(":")[0]).name + (":" + r["source"].split(":")[1] if ":" in r["source"]
                                                         else ""): r for r in doc["reports"]}
    assert sorted(by_source) == ["a.json", "b.jsonl:1", "b.jsonl:3", "c-long.csv", "d-wide-gb.csv:3",
                                 "d-wide-gb.csv:4", "e-long-bom.csv", "f.json"]
    assert [by_source[k]["valid"] for k in sorted(by_source)] == [True, False, True, True, True, False, False, None]
    assert [by_source[k]["verdict"] for k in sorted(by_source)] == [
        "passed", "failed", "passed", "passed", "passed", "failed", "failed", "unreadable"]
    assert doc["summary"] == {"reports": 8, "passed": 4, "failed": 3, "incomplete": 0, "unreadable": 1, "valid": 4,
                              "rules": {"applications.balance": 3, "applications.row_total": 1},
                              "rules_by_severity": {"error": {"applications.balance": 3, "applications.row_total": 1},
                                                    "warning": {}},
                              "not_evaluated": {},
                              "across": {"error": 0, "warning": 0, "without_previous_year": 7},
                              "accepted": 0, "stale_exceptions": 0}
    assert by_source["d-wide-gb.csv:3"]["report"]["agency"] == "淮安市人民政府"  # GB18030 read right


def test_folder_order_is_sorted_and_recursive(mixed_folder):
    sources = [r.source for r in Validator().run([mixed_folder])]
    files = [s.split(":")[0] for s in sources]
    assert files == sorted(files, key=lambda f: (f.count("/sub/"), f)) or files == sorted(files)


def test_csv_positions_and_unknown_columns(tmp_path, huaian):
    text = writers.to_csv_wide(SPEC21, [huaian], labels=False)
    rows = list(csv.reader(io.StringIO(text)))
    header, row = rows
    column = header.index("applications.received.business")
    row[column] = "五十三"
    header.append("report.agencyy")
    row.append("x")
    path = tmp_path / "w.csv"
    path.write_text("\n".join(",".join(r) for r in (header, row)) + "\n", encoding="utf-8")
    result = run("validate", path, "--format", "json")
    findings = json.loads(result.output)["reports"][0]["findings"]
    wrong = next(f for f in findings if f["code"] == "wrong-type")
    assert wrong["position"] == f"{path}:2:{column + 1}"
    unknown = next(f for f in findings if f["code"] == "unknown-key")
    assert "did you mean 'report.agency'" in unknown["message"]


def test_csv_long_unknown_cell_id_has_did_you_mean(tmp_path, huaian):
    text = writers.to_csv_long(SPEC21, huaian).replace("applications.received.total,", "applications.recieved.total,")
    path = tmp_path / "l.csv"
    path.write_text(text, encoding="utf-8")
    findings = json.loads(run("validate", path, "--format", "json").output)["reports"][0]["findings"]
    assert any(f["code"] == "unknown-row" and "did you mean 'received'" in f["message"] for f in findings)


@pytest.mark.parametrize("raw,message", [
    ("cell,value\nspec,gov-info-disclosure\nreport.agency,臺北市政府資訊處\n".encode("big5"), "cannot tell the encoding"),
    (b"cell,value\n\x80\x81\x82\xff\xfe\n", "cannot tell the encoding"),
    (b"", "the CSV file is empty"),
    (b"cell,value\nversion,2021\nversion,2019\n", "'version' appears twice"),
])
def test_unreadable_csv(tmp_path, raw, message):
    path = tmp_path / "x.csv"
    path.write_bytes(raw)
    result = run("validate", path, "--lang", "en")
    assert result.exit_code == 3 and message in result.output


def test_jsonl_bad_line_is_located_and_others_still_checked(tmp_path, huaian):
    path = tmp_path / "x.jsonl"
    path.write_text(json.dumps(huaian) + '\n{"tables": \n' + json.dumps(huaian) + "\n", encoding="utf-8")
    doc = json.loads(run("validate", path, "--format", "json").output)
    assert [r["valid"] for r in doc["reports"]] == [True, None, True]
    assert doc["reports"][1]["error"]["line"] == 2


def test_csv_findings_output(mixed_folder):
    result = run("validate", mixed_folder, "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(result.output.removeprefix("\ufeff"))))
    assert {r["code"] for r in rows} == {"rule-violated", "unreadable", "deadline-not-checked", "duplicate-copy",
                                         "duplicate-report"}
    balance = [r for r in rows if r["rule"] == "applications.balance"]
    assert len(balance) == 5 and all(r["valid"] == "false" and r["verdict"] == "failed" for r in balance)
    passed = [r for r in rows if r["verdict"] == "passed"]  # a line per finding: notes and the copies
    assert len({r["source"] for r in passed}) == 4
    assert {r["code"] for r in passed} == {"deadline-not-checked", "duplicate-copy", "duplicate-report"}


def test_csv_gives_a_report_without_findings_one_line_with_its_verdict(tmp_path, huaian):
    huaian["report"]["published"] = "2025-01-20"
    path = tmp_path / "x.json"
    path.write_text(json.dumps(huaian, ensure_ascii=False), encoding="utf-8")
    rows = list(csv.DictReader(io.StringIO(run("validate", path, "--format", "csv").output.lstrip("\ufeff"))))
    assert [(r["verdict"], r["code"]) for r in rows] == [("passed", "")]


def test_text_summary_counts_rules(mixed_folder):
    out = run("validate", mixed_folder).output
    assert "合计: 8 份报告，通过 4，不通过 3，未完成检查 0，无法读取 1" in out
    assert "  applications.balance: 3" in out


def test_template_round_trips(tmp_path):
    for fmt, name in [("json", "t.json"), ("csv-long", "t.csv"), ("csv-wide", "w.csv")]:
        result = run("template", "--template-version", "2021", "--format", fmt)
        assert result.exit_code == 0
        path = tmp_path / name
        path.write_bytes(result.output.encode("utf-8"))
        items = list(read_all([path]))
        assert len(items) == 1 and isinstance(items[0], Instance), items
        report = govspec.validate(items[0].document, source=name) if fmt == "json" else None
        report = report or Validator().run([path]).__next__()
        assert len(report.not_reported) == 200  # every cell listed, all blank
    assert "一、本年新收政府信息公开申请数量" in run("template", "--format", "csv-long").output
    assert run("template", "--template-version", "2020").exit_code == 3


def test_schema_command():
    result = run("schema", "--template-version", "2019")
    schema = json.loads(result.output)
    jsonschema.Draft202012Validator.check_schema(schema)
    assert "cannot express the identities" in schema["description"]
    hegang = json.loads((ROOT / "examples" / "hegang-justice-2020.json").read_text(encoding="utf-8"))
    assert list(jsonschema.Draft202012Validator(schema).iter_errors(hegang)) == []


# --- the fast path and the detailed path agree ----------------------------------------------------

def _mutations():
    return st.sampled_from([
        None, ("blank", None), ("string", "7"), ("float", 1.5), ("negative", -1), ("bool", True),
        ("huge", 10 ** 20), ("bigger", 10 ** 30), ("drop", "DROP"), ("agency", ""), ("extra", "x"),
        ("year", 2017), ("agency", "某机关\n（续）"), ("dup", "DUP"), ("version_int", None), ("year_float", None),
        ("spec_int", None),
        ("unseen", None), ("late", None), ("kind", None), ("dup_cell", None), ("money", "1.50"),
        ("money", 1.5), ("money", "1e3"), ("money", -2), ("money", 10 ** 25), ("money_exact", "1234567.123456789012"),
        ("money_exact", "100000000000000000000000000000000000000000.5"), ("money", True), ("money", [1]),
        ("dup_spaced", None), ("agency", "某机关:办公室"), ("agency", '某机关":办公室'),
    ])


def _apply(document, mutation, cell_id):
    if mutation is None:
        return json.dumps(document, ensure_ascii=False, default=str)
    kind, value = mutation
    table, row, column = cell_id.split(".")
    if kind == "agency":
        document["report"]["agency"] = value
    elif kind == "extra":
        document["extra"] = value
    elif kind == "year":
        document["report"]["year"] = value
    elif kind == "version_int":
        document["version"] = int(document["version"])
    elif kind == "year_float":
        document["report"]["year"] = float(document["report"]["year"])
    elif kind == "spec_int":
        document["spec"] = 7
    elif kind == "unseen":
        document["unseen"] = [cell_id]
    elif kind == "late":
        document["report"]["published"] = f"{document['report']['year'] + 1}-06-01"
    elif kind == "kind":
        document["report"]["kind"] = "department"
        document["report"]["published"] = f"{document['report']['year'] + 1}-02-15"
    elif kind == "drop":
        del document["tables"][table][row][column]
    elif kind == "dup":
        text = json.dumps(document, ensure_ascii=False, default=str)
        return text.replace('"tables": {', '"tables": {"x": 1, "x": 2, ', 1)
    elif kind == "dup_cell":  # a key twice inside a row (issue 12: reported valid on the fast path)
        text = json.dumps(document, ensure_ascii=False, default=str)
        key = f'"{column}": '
        at = text.find(key, text.find(f'"{row}": {{', text.find(f'"{table}": {{')))
        return text[:at] + key + "0, " + text[at:] if at >= 0 else text
    elif kind == "dup_spaced":  # a key twice, once with white space before its colon (counted by '":', it was not)
        text = json.dumps(document, ensure_ascii=False, default=str)
        key = f'"{column}": '
        at = text.find(key, text.find(f'"{row}": {{', text.find(f'"{table}": {{')))
        return text[:at] + f'"{column}" : 0, ' + text[at:] if at >= 0 else text
    elif kind in ("money", "money_exact"):
        money = next((c for c in (SPEC21.cells if document.get("version") == "2021" else SPEC19.cells)
                      if c.type == "money"), None)
        if money is not None:
            t, r, c = money.id.split(".")
            document["tables"].setdefault(t, {}).setdefault(r, {})[c] = value
        text = json.dumps(document, ensure_ascii=False, default=str)
        if kind == "money_exact" and money is not None:  # the amount as a JSON number with all its digits
            text = text.replace(f'"{value}"', value)
        return text
    else:
        document["tables"][table][row][column] = value
    return json.dumps(document, ensure_ascii=False, default=str)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(st.data())
def test_fast_and_detailed_paths_agree(tmp_path_factory, monkeypatch, data):
    """Generated, broken and damaged reports, as lines of JSON Lines, JSON files (compact and indented, through the
    structure gate however few: FILES_FOR_THE_GATE set to 1) and CSV wide: the same outcomes on both paths."""
    from govspec.check import jsonl
    monkeypatch.setattr(jsonl, "FILES_FOR_THE_GATE", 1)
    folder = tmp_path_factory.mktemp("agree")
    lines, documents = [], []
    for _ in range(data.draw(st.integers(1, 6))):
        spec = data.draw(st.sampled_from([SPEC19, SPEC21]))
        if data.draw(st.booleans()):
            document = data.draw(instances(spec, blanks=data.draw(st.booleans())))
        else:
            document = data.draw(broken_instances(spec)).document
        cell_id = data.draw(st.sampled_from([c.id for c in spec.cells]))
        lines.append(_apply(document, data.draw(_mutations()), cell_id))
        documents.append((spec, json.loads(lines[-1]) if "DUP" not in lines[-1] else document))
    (folder / "a.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    for number, line in enumerate(lines):  # each a JSON file too (copies of the lines: their copies' findings agree)
        (folder / f"j{number}.json").write_text(line, encoding="utf-8")
        if "DUP" not in line:
            (folder / f"k{number}.json").write_text(json.dumps(json.loads(line), ensure_ascii=False, indent=1),
                                                    encoding="utf-8")
    for version, spec in (("19", SPEC19), ("21", SPEC21)):
        docs = [d for s, d in documents if s is spec]
        if docs:
            (folder / f"w{version}.csv").write_text(writers.to_csv_wide(spec, docs), encoding="utf-8")
    fast = [outcome(r) for r in Validator(fast=True).run([folder])]
    detailed = [outcome(r) for r in Validator(fast=False).run([folder])]
    assert fast == detailed


@pytest.mark.parametrize("field,line_break", [("agency", "\n"), ("published", "\r\n"), ("kind", "\r"),
                                              ("agency", "\r")])
def test_a_csv_wide_field_over_two_lines_is_refused_on_the_fast_path_as_on_the_detailed_one(tmp_path, huaian, field,
                                                                                            line_break):
    """A quoted field that runs over lines (an unclosed quote swallows the rows after it) is unreadable, whichever
    path reads the row: the fast path read the report's facts as text and passed it."""
    huaian["report"].update({"published": "2025-01-20", "kind": "government"})
    huaian["report"][field] += line_break
    path = tmp_path / "w.csv"
    path.write_text(writers.to_csv_wide(SPEC21, [huaian]), encoding="utf-8")
    fast, detailed = ([outcome(r) for r in Validator(fast=fast, across=False).run([path])] for fast in (True, False))
    assert fast == detailed and fast[0][0] == "unreadable" and "lines" in fast[0][2]


@pytest.mark.parametrize("as_files", [False, True])
def test_the_fast_path_is_taken_for_clean_reports(tmp_path, huaian, monkeypatch, as_files):
    """Clean reports never reach the detailed path (so the speed claim is about real work): the lines of a JSON
    Lines file, and a folder of JSON files of one report each."""
    text = json.dumps(huaian, ensure_ascii=False)
    if as_files:
        path = tmp_path / "folder"
        path.mkdir()
        for number in range(50):
            (path / f"r{number:02d}.json").write_text(text, encoding="utf-8")
    else:
        path = tmp_path / "x.jsonl"
        path.write_text((text + "\n") * 50, encoding="utf-8")
    calls = []
    import govspec.check.batch as batch
    original = batch.validate_document
    monkeypatch.setattr(batch, "validate_document", lambda *a, **k: calls.append(1) or original(*a, **k))
    results = list(Validator().run([path]))
    assert all(r.valid for r in results) and len(results) == 50
    assert calls == []


def test_fast_path_without_numpy_gives_the_same_verdicts(tmp_path, monkeypatch):
    """The pure-Python fallback of the fast path (no numpy installed) agrees with the numpy one."""
    import random

    import govspec.check.fastpath as fastpath
    from govspec.rules.solver import random_instance
    rng = random.Random(5)
    documents = [random_instance(SPEC21, rng) for _ in range(30)]
    for document in documents[::3]:
        document["tables"]["applications"]["received"]["total"] += 1
    documents[1]["tables"]["applications"]["received"]["total"] = 10 ** 17  # beyond float64's exact range
    path = tmp_path / "x.jsonl"
    path.write_text("".join(json.dumps(d, ensure_ascii=False) + "\n" for d in documents), encoding="utf-8")
    with_numpy = [outcome(r) for r in Validator().run([path])]
    monkeypatch.setattr(fastpath, "numpy", None)
    without = [outcome(r) for r in Validator().run([path])]
    detailed = [outcome(r) for r in Validator(fast=False).run([path])]
    assert with_numpy == without == detailed
    assert [r[1] for r in detailed].count(False) == 11


def test_the_spool_gives_back_every_result_in_order_past_its_memory(monkeypatch):
    """Results wait for the rules across reports in a spool that spills to disk; they come back the same."""
    import govspec.check.spool as spool_module
    monkeypatch.setattr(spool_module, "IN_MEMORY", 3)
    monkeypatch.setattr(spool_module, "GROUP", 4)  # 3 in memory, groups of 4 on disk, the last 3 waiting
    report = govspec.validate(ROOT / "examples" / "hegang-justice-2020.json")
    spool = spool_module.Spool()
    for i in range(14):
        spool.add(replace(report, source=f"r{i}"))
    back = list(spool.replay())
    assert [seq for seq, _ in back] == list(range(14))
    assert [r.source for _, r in back] == [f"r{i}" for i in range(14)]
    assert all(r.spec is report.spec and r.findings == report.findings and r.verdict == "failed" for _, r in back)


def test_an_unreadable_line_keeps_nothing_of_what_raised_its_error(tmp_path):
    """An error kept as a value drops its traceback and the error it was raised from: a batch does not keep the
    frames (and their reference cycles, collected seldom while a batch runs) of every line it could not read — a
    file of 200,000 broken lines peaked at 200 MB before, some 25 MB now."""
    path = tmp_path / "bad.jsonl"
    path.write_text("x\n{}\n[1]\n" * 5, encoding="utf-8")
    for jobs in (1, 2):
        results = list(Validator(jobs=jobs).run([path]))
        assert len(results) == 15 and all(isinstance(r, Unreadable) for r in results)
        assert all(r.error.__traceback__ is None and r.error.__context__ is None and r.error.__cause__ is None
                   for r in results)
        assert "JSON" in results[0].error.message  # what it says is kept


def test_progress_counts_reports_as_they_are_read(tmp_path, huaian):
    """Reports are written once the batch is read (the rules across reports may need a later report), so
    progress is told as each report is read — a folder of slow PDFs shows it moving."""
    path = tmp_path / "x.jsonl"
    path.write_text((json.dumps(huaian, ensure_ascii=False) + "\n") * 3, encoding="utf-8")
    seen = []
    validator = govspec.check.batch.Validator(progress=seen.append)
    first = next(iter(validator.run([path])))
    assert seen == [1, 2, 3] and first.verdict == "passed"  # all read before the first report is given


@pytest.mark.parametrize("fast", [True, False])
def test_a_csv_wide_file_whose_id_row_was_deleted_is_read_by_its_official_labels(tmp_path, fast):
    spec = govspec.load_spec("gov-info-disclosure", "2019")
    document = json.loads((ROOT / "examples" / "hegang-justice-2020.json").read_text(encoding="utf-8"))
    lines = writers.to_csv_wide(spec, [document]).splitlines(keepends=True)
    assert lines[1].startswith("#规范")
    path = tmp_path / "labels.csv"
    path.write_text("".join(lines[1:]), encoding="utf-8")  # the row of ids deleted in Excel
    [report] = list(Validator(fast=fast).run([path]))
    assert report.verdict == "failed" and not [f for f in report.findings if f.code == "unknown-key"]
    assert {f.check for f in report.findings if f.severity == "error"} == {
        f.check for f in govspec.validate(document).findings if f.severity == "error"}
    path.write_text("".join(lines[1:]).replace("›", "»", 1), encoding="utf-8")  # a label no spec has
    [report] = list(Validator(fast=fast).run([path]))
    assert [f.code for f in report.findings if f.code == "unknown-key"] == ["unknown-key"]


def test_templates_carry_the_report_fields_the_deadline_check_needs():
    for fmt in ("json", "csv-long", "csv-wide"):
        text = run("template", "--template-version", "2021", "--format", fmt).stdout
        assert "kind" in text and "agency_code" in text
    document = json.loads(run("template", "--format", "json").stdout)
    assert set(document["report"]) == {"agency", "year", "published", "kind", "agency_code"}


@settings(max_examples=60, deadline=None)
@given(st.data())
def test_the_digest_of_a_report_that_cannot_be_packed_is_that_of_the_text_of_its_values(data):
    """A report's digest is a public value (a dataset's ``content_hash``): for one the fast path could not pack (a
    blank, an integer beyond 64 bits), the BLAKE2b of ``repr([(cell id, value), …])`` in the spec's order, however
    govspec writes that text."""
    from hashlib import blake2b

    from govspec.check.content import content_digest
    spec = data.draw(st.sampled_from([SPEC19, SPEC21]))
    value = st.one_of(st.none(), st.integers(-5, 10 ** 30), st.decimals(allow_nan=False, places=2, max_value=10 ** 9,
                                                                          min_value=-(10 ** 9)))
    values = {c.id: data.draw(value) for c in spec.cells if data.draw(st.booleans())}
    values[spec.cells[0].id] = None  # never packed
    expected = blake2b(repr([(c.id, values.get(c.id)) for c in spec.cells]).encode(), digest_size=16).hexdigest()
    assert content_digest(spec, values) == "text:" + expected


def test_copies_of_one_report_are_told_from_differing_reports_whatever_the_order(mixed_folder):
    def name(source):
        return Path(source).name

    def duplicates(paths):
        found = {}
        for report in Validator().run(paths):
            if isinstance(report, Report):
                found[name(report.source)] = sorted(
                    (f.code, tuple(sorted(name(s) for s in f.params["sources"].split(", "))))
                    for f in report.findings if f.code.startswith("duplicate"))
        return found

    files = sorted(p for p in mixed_folder.rglob("*") if p.is_file() and p.suffix != ".log")
    forward, backward = duplicates(files), duplicates(files[::-1])
    assert forward == backward  # never an answer that depends on the order of the inputs
    # 淮安 four times (JSON on the fast path, JSON Lines, CSV long read as text, CSV wide): copies of one report
    huaian = ["a.json", "b.jsonl:3", "c-long.csv", "d-wide-gb.csv:3"]
    for one in huaian:
        assert forward[one] == [("duplicate-copy", tuple(sorted(set(huaian) - {one}))),
                                ("duplicate-report", ("d-wide-gb.csv:4",))]
    assert forward["d-wide-gb.csv:4"] == [("duplicate-report", tuple(sorted(huaian)))]  # the broken one differs
    assert forward["e-long-bom.csv"] == [("duplicate-copy", ("b.jsonl:1",))]  # 鹤岗 as JSON Lines and CSV long


def test_a_duplicate_key_inside_the_tables_of_a_json_lines_line_is_never_valid(tmp_path, huaian):
    """Found in issue 12: a line that did not match the canonical skeleton was packed without counting its keys,
    so a duplicate key (orjson keeps the last) was reported valid on the fast path."""
    line = json.dumps(huaian, ensure_ascii=False)
    row = '"natural_person": 3001'
    assert row in line.replace('"natural_person":3001', row)
    twice = line.replace(row, row + ", " + row, 1)  # the same key twice in one row
    path = tmp_path / "x.jsonl"
    path.write_text(twice + "\n", encoding="utf-8")
    for options in ([], ["--no-fast"]):
        result = run("validate", path, "--format", "json", "--lang", "en", *options)
        [report] = json.loads(result.stdout)["reports"]
        assert report["verdict"] == "unreadable" and "duplicate key" in report["error"]["message"], options


@pytest.mark.parametrize("where", ["report", "tables"])
def test_a_duplicate_key_written_with_white_space_before_its_colon_is_never_valid(tmp_path, huaian, where):
    """The keys of a line were counted by their closing quote and colon, so a key spelt ``"year" :`` was not counted:
    written once more so, a duplicate made the count right, and the fast path judged a report the detailed path
    cannot read (a duplicate key)."""
    line = json.dumps(huaian, ensure_ascii=False, separators=(",", ":"))
    key = '"year":' if where == "report" else '"natural_person":'
    assert key in line
    twice = line.replace(key, key.replace(":", " :") + "0," + key, 1)
    path = tmp_path / "x.jsonl"
    path.write_text(twice + "\n", encoding="utf-8")
    for fast in (True, False):
        [report] = Validator(fast=fast).run([path])
        assert isinstance(report, Unreadable) and "duplicate key" in str(report.error), fast


@pytest.mark.parametrize("agency", ["淮安市人民政府:办公室", "淮安市:人民政府:办公室"])
def test_a_line_with_colons_inside_its_strings_stays_on_the_fast_path(tmp_path, huaian, monkeypatch, agency):
    """Counting the keys of a line by its colons: a colon inside a string (a time, an address) does not send the line
    to the detailed path when its keys can be counted by their closing quotes (a string that begins with a colon, or
    holds a quote and a colon, is read by the detailed path: the property test below has both)."""
    huaian["report"]["agency"] = agency
    path = tmp_path / "x.jsonl"
    path.write_text(json.dumps(huaian, ensure_ascii=False, separators=(",", ":")) + "\n", encoding="utf-8")
    import govspec.check.batch as batch
    calls = []
    original = batch.validate_document
    monkeypatch.setattr(batch, "validate_document", lambda *a, **k: calls.append(1) or original(*a, **k))
    [report] = Validator().run([path])
    assert report.valid and report.metadata["agency"] == agency and calls == []


def test_a_chunk_checked_at_once_explains_each_report_as_the_detailed_path_does(tmp_path, monkeypatch):
    """A chunk large enough for numpy: reports failing several checks get the same findings, in the same order
    and with the same equations, from the chunk's failing checks as from the detailed path (and without numpy)."""
    import random

    import govspec.check.fastpath as fastpath
    from govspec.rules.solver import random_instance
    rng = random.Random(12)
    documents = [random_instance(SPEC21, rng) for _ in range(4 * fastpath.NUMPY_FROM)]
    counts = [c.id for c in SPEC21.cells if c.type == "count"]
    for document in documents[::2]:
        for cell_id in rng.sample(counts, rng.randint(1, 4)):  # several cells off: several checks fail, some caused
            table, row, column = cell_id.split(".")
            document["tables"][table][row][column] += rng.randint(1, 3)
    path = tmp_path / "x.jsonl"
    path.write_text("".join(json.dumps(d, ensure_ascii=False) + "\n" for d in documents), encoding="utf-8")

    def explained(validator):
        return [(outcome(r), tuple(f.equation for f in r.findings)) for r in validator.run([path])]
    chunk = explained(Validator())
    detailed = explained(Validator(fast=False))
    monkeypatch.setattr(fastpath, "numpy", None)
    assert chunk == detailed == explained(Validator())
    assert max(sum(f[0] == "rule-violated" for f in o[2]) for o, _ in detailed) >= 3
    assert any(f[6] for o, _ in detailed for f in o[2])  # some explained by a root cause among them


@pytest.mark.parametrize("across", [True, False])
@pytest.mark.parametrize("form", ["json", "text"])
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_clean_report_is_written_as_it_waited_and_reads_as_the_report_it_stands_for(tmp_path, form, lang, across):
    """``Validator.results`` gives the writer a clean report of the fast path as the few values it waited as (no
    ``Report`` made only to be written) — or, without the rules across reports, as it was checked: its text in each
    output and language, and its share of the summary, are those of the report it stands for — with notes on its
    metadata, or none."""
    import random

    from govspec.check.light import Light
    from govspec.present.entries import render
    from govspec.present.summary import Summary
    from govspec.rules.solver import random_instance
    rng = random.Random(5)
    documents = [random_instance(SPEC21, rng) for _ in range(40)]
    for number, document in enumerate(documents):
        document["report"]["agency"] = f"机关{number}"
        if number % 3 == 0:
            document["report"].pop("published", None)  # a note on its metadata
        if number % 7 == 0:
            document["tables"]["applications"]["received"]["other"] = None  # a blank: the detailed path's
    documents[4]["tables"]["applications"]["received"]["total"] += 1  # broken
    path = tmp_path / "x.jsonl"
    path.write_text("".join(json.dumps(d, ensure_ascii=False) + "\n" for d in documents), encoding="utf-8")
    given = list(Validator(render=(form, lang), across=across).results([path]))
    made = list(Validator(across=across).run([path]))
    assert not any(type(result) is Light for result in made)
    light = [result for result in given if type(result) is Light]
    assert len(light) >= 25 and any(result.findings for result in light) and any(not r.findings for r in light)
    assert [render(r, form, lang) for r in given] == [render(r, form, lang) for r in made]  # type: ignore[arg-type]
    summaries = Summary(), Summary()
    for summary, results in zip(summaries, (given, made)):
        for result in results:
            summary.add(result)
    assert summaries[0] == summaries[1] and summaries[0].failed >= 1


@pytest.mark.parametrize("strict_blanks", [False, True])
@pytest.mark.parametrize("form", ["json", "text"])
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_clean_report_judged_across_reports_is_written_as_the_report_it_becomes(tmp_path, form, lang, strict_blanks):
    """A clean report that its copies or the rules across reports judge reaches the writer without its ``Report``
    made (``Judged``): its text, verdict and share of the summary are those of that report — copies the same or
    different, a chain broken, a year before with a blank, the verdict kept or failed."""
    from govspec.check.light import Judged
    from govspec.present.entries import render
    from govspec.present.summary import Summary
    first = json.loads((ROOT / "examples" / "huaian-city-2024.json").read_text(encoding="utf-8"))
    first["report"].pop("published", None)  # a note of its own, besides what judges it

    def of(agency: str, year: int, shift: int = 0, blank: bool = False, unseen: bool = False) -> dict:
        document = json.loads(json.dumps(first))
        document["report"].update(agency=agency, year=year)
        apps, before = document["tables"]["applications"], first["tables"]["applications"]
        if year == 2025:  # carried over: the year before's carried forward, the year kept balanced
            for column, value in before["carried_forward"].items():
                apps["received"][column] += apps["carried_over"][column] - value
                apps["carried_over"][column] = value
            for row, last in first["tables"]["proactive_disclosure"].items():  # documents in force: the same chain
                this = document["tables"]["proactive_disclosure"][row]
                if "in_force" in this:
                    this["in_force"] = last["in_force"] + this["issued"] - this["repealed"]
        if shift:  # the chain broken in one column (and its total), the year still balanced
            column = max((c for c in apps["received"] if c != "total"), key=lambda c: apps["received"][c])
            for cell in (column, "total"):
                apps["carried_over"][cell] += shift
                apps["received"][cell] -= shift
        if blank:
            apps["carried_forward"]["total"] = None
        if unseen:
            apps["carried_forward"]["total"] = None
            document["unseen"] = ["applications.carried_forward.total"]
        return document
    documents = [of("甲", 2024), of("甲", 2025), of("甲", 2025),            # a copy, the chain kept
                 of("乙", 2024), of("乙", 2025, shift=1),                  # the chain broken
                 of("丙", 2024, blank=True), of("丙", 2025),                # the year before with a blank
                 of("丁", 2024, unseen=True), of("丁", 2025),               # and with a cell not read
                 of("戊", 2025), of("戊", 2025, shift=2), of("己", 2025)]   # reports that differ; a lone one
    path = tmp_path / "x.jsonl"
    path.write_text("".join(json.dumps(d, ensure_ascii=False) + "\n" for d in documents), encoding="utf-8")
    given = list(Validator(render=(form, lang), strict_blanks=strict_blanks).results([path]))
    made = list(Validator(strict_blanks=strict_blanks).run([path]))
    judged = [result for result in given if type(result) is Judged]
    assert len(judged) >= 7 and {r.verdict for r in judged} == {"passed", "failed", "incomplete"}
    assert [render(r, form, lang) for r in given] == [render(r, form, lang) for r in made]  # type: ignore[arg-type]
    for result, report in zip(given, made):
        assert (result.verdict, result.valid, result.not_evaluated, result.findings) == \
            (report.verdict, report.valid, report.not_evaluated, report.findings)  # type: ignore[union-attr]
    summaries = Summary(), Summary()
    for summary, results in zip(summaries, (given, made)):
        for result in results:
            summary.add(result)
    assert summaries[0] == summaries[1] and summaries[0].failed >= 1


def test_a_clean_report_kept_light_while_the_batch_waits_is_given_out_whole(tmp_path, monkeypatch):
    """Clean reports wait for the rules across reports as a few plain values (govspec.check.light), spilled to
    disk past the spool's memory: each comes back, in its place among reports and unreadable lines, as the very
    report — every field — the fast path makes when nothing waits, and as the detailed path makes it."""
    import random

    import govspec.check.fastpath as fastpath
    import govspec.check.spool as spool_module
    from govspec.rules.solver import random_instance
    monkeypatch.setattr(spool_module, "IN_MEMORY", 5)
    monkeypatch.setattr(spool_module, "GROUP", 7)
    rng = random.Random(21)
    documents = [random_instance(SPEC21, rng) for _ in range(80)]
    for number, document in enumerate(documents):
        document["report"]["agency"] = f"机关{number}"  # one report a body: the rules across reports add nothing
        if number % 9 == 0:
            document["report"].pop("published", None)  # a note on its metadata: a finding of a clean report
    for broken in (3, 60):  # broken: waiting as what explaining them reads (the second spilled to disk)
        documents[broken]["tables"]["applications"]["received"]["total"] += 1
    path = tmp_path / "x.jsonl"
    lines = [json.dumps(d, ensure_ascii=False) for d in documents]
    lines.insert(40, '{"tables": ')  # an unreadable line among them
    path.write_text("".join(line + "\n" for line in lines), encoding="utf-8")

    def results(validator):
        return [(r.source, r.error.message) if isinstance(r, Unreadable) else r for r in validator.run([path])]
    waited = results(Validator())
    at_once = results(Validator(across=False))
    detailed = results(Validator(fast=False))
    fields = [f.name for f in dataclasses.fields(Report)]
    assert [type(r) for r in waited] == [Report] * 40 + [tuple] + [Report] * 40
    assert waited[40] == at_once[40] == detailed[40] and waited[40][0].endswith(":41")
    for got, expected, slow in zip(waited[:40] + waited[41:], at_once[:40] + at_once[41:], detailed[:40] + detailed[41:]):
        # the values the rules across reports read: a mapping over their words, its dict made when first read (a broken
        # report's by the ledger, which encodes them)
        assert type(got.values) is PackedValues and (got.values._values is None or not got.valid)
        assert across_list(got) == across_list(slow)  # read back from the words, as from the detailed path's dict
        assert list(got.values.items()) == list(slow.values.items()) and got.values._values is not None
        assert {f: getattr(got, f) for f in fields} == {f: getattr(expected, f) for f in fields}
        assert (got.values, got.digest, got.metadata, got.findings) == (slow.values, slow.digest, slow.metadata,
                                                                       slow.findings)
        assert (got.verdict, got.not_evaluated) == (slow.verdict, slow.not_evaluated)  # known, or worked out
    assert [n for n, r in enumerate(waited) if isinstance(r, Report) and not r.valid] == [3, 61]
    assert all(r.findings[0].code == "rule-violated" and r.values for r in (waited[3], waited[61]))
    kinds = [type(r).__name__ for r in Validator()._run([path], light=True)]
    assert kinds[3] == kinds[61] == "Failing" and kinds.count("Light") == 78
    monkeypatch.setattr(fastpath, "numpy", None)  # the chunk's values taken out without numpy: the same
    assert results(Validator()) == waited
    # a spec whose rules across reports read an amount: its clean reports wait as Reports, with the same values
    monkeypatch.setattr(fastpath.FastChecker, "across_words", lambda self, batch: None)
    assert results(Validator()) == waited


def test_a_clean_report_judged_across_reports_is_made_once_with_every_finding_in_order(tmp_path):
    """A clean report that waited light and that its copies and the rules across reports judge becomes one ``Report``
    with all their findings, ordered as adding them one after the other orders them — and not with the text a worker
    rendered for it without them."""
    import random

    from govspec.check.light import Light
    from govspec.findings import Finding
    from govspec.rules.solver import random_instance
    document = random_instance(SPEC21, random.Random(8))
    document["report"].pop("published", None)  # a note of its own (info)
    path = tmp_path / "x.jsonl"
    path.write_text(json.dumps(document, ensure_ascii=False) + "\n", encoding="utf-8")
    [light] = [r for r in Validator()._run([str(path)], light=True) if type(r) is Light]
    light = light._replace(texts=((("json", "en"), "a worker's text"),))
    copies = (Finding("duplicate-copy", "info", location="report"), Finding("duplicate-report", "warning"))
    across = (Finding("rule-violated", "error", rule="x"), Finding("rule-violated", "warning", rule="y"))
    once = light.report(False, copies + across)
    assert once == light.report(False).with_findings(copies).with_findings(across)
    assert [f.severity for f in once.findings] == ["error", "warning", "warning", "info", "info"]
    assert once.rendered(("json", "en"), lambda r: "made again") == "made again"
    assert light.report(False).rendered(("json", "en"), lambda r: "made again") == "a worker's text"


ONE_ROW_SPEC = """govspec_spec: 1
id: one-row
version: "1"
title: {zh: 一行, en: One row}
report_years: {from: 2000}
defaults: {severity: error, on_blank: zero}
tables:
  - id: cases
    label: 案件
    en: Cases
    columns:
      - {id: received, label: 收到, en: Received}
      - {id: handled, label: 办结, en: Handled}
    rows:
      - {id: all, label: 全部, en: All}
rules:
  - id: cases.handled
    title: {zh: 办结不多于收到, en: Handled at most received}
    basis: implied
    check: cases.all.handled <= cases.all.received
    message: {zh: 办结数不应多于收到数, en: No more handled than received}
"""


def test_a_spec_of_one_row_goes_through_the_fast_path_as_any_other(tmp_path):
    """The structure gate takes a line's rows by their paths, as many as the spec has — one among them."""
    spec = tmp_path / "one-row.yaml"
    spec.write_text(ONE_ROW_SPEC, encoding="utf-8")
    path = tmp_path / "cases.jsonl"
    path.write_text("".join(json.dumps({"tables": {"cases": {"all": {"received": received, "handled": handled}}},
                                        "report": {"agency": f"单位{n}", "year": 2023}}) + "\n"
                            for n, (received, handled) in enumerate([(3, 2), (1, 5)] * 20)), encoding="utf-8")

    def outcomes(fast):
        return [(r.valid, [f.code for f in r.findings]) for r in Validator(str(spec), fast=fast).run([str(path)])]
    assert outcomes(True) == outcomes(False)
    assert [valid for valid, _ in outcomes(True)] == [True, False] * 20


def test_a_compiled_spec_finds_each_of_its_checks_by_key():
    """``CompiledSpec.check(key)``: the one index of checks by key (the fast path's failing checks, a waiting broken
    report explained)."""
    for spec in (SPEC19, SPEC21):
        assert [spec.check(check.key) for check in spec.checks] == list(spec.checks)
        assert all(spec.check(check.key) is check for check in spec.checks)
    with pytest.raises(KeyError):
        SPEC21.check("no-such-check")
