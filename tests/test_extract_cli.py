"""``govspec extract``: its JSON and CSV-long outputs, on stdout and in a folder, read back by ``validate``."""

import csv
import io
import json
from decimal import Decimal
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import in_english

from govspec.cli.main import main

HEGANG_MD = Path(__file__).parent / "reference" / "hegang-justice-2020.md"
EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "hegang-justice-2020.json"


def run(*args):
    return CliRunner().invoke(main, in_english(args), catch_exceptions=False)


def test_json_output_is_the_versioned_record_with_provenance():
    result = run("extract", HEGANG_MD)
    assert result.exit_code == 0
    doc = json.loads(result.output)
    assert doc["govspec_extract"] == 1 and len(doc["reports"]) == 1
    record = doc["reports"][0]
    assert record["source"] == str(HEGANG_MD)
    assert record["template"] == "gov-info-disclosure@2019" and record["template_basis"] == "headers"
    example = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    def exact(tables):  # amounts are written as decimal strings, so that no digit is lost
        return {t: {r: {c: Decimal(str(v)) for c, v in cols.items()} for r, cols in rows.items()}
                for t, rows in tables.items()}
    assert exact(record["instance"]["tables"]) == exact(example["tables"])
    assert record["instance"]["tables"]["proactive_disclosure"]["procurement"]["procurement_amount"] == "180.16"
    assert record["instance"]["unseen"] == [] and record["left_out"] == [] and record["incomplete"] == []
    where = record["provenance"]["applications.total.natural_person"]
    assert where["where"].startswith("line ") and where["text"] == "3"


def test_csv_long_output_is_a_report_validate_reads_back(tmp_path):
    result = run("extract", HEGANG_MD, "--format", "csv-long")
    assert result.exit_code == 0
    assert result.output.startswith("\ufeff")  # for Excel and WPS, as the CSV templates
    rows = list(csv.reader(io.StringIO(result.output[1:])))
    assert rows[0] == ["cell", "value", "source"]
    by_cell = {row[0]: row for row in rows[1:]}
    assert by_cell["spec"][1] == "gov-info-disclosure" and by_cell["version"][1] == "2019"
    assert by_cell["applications.total.natural_person"][1] == "3"
    assert by_cell["applications.total.natural_person"][2].startswith("line ")
    path = tmp_path / "hegang.csv"
    path.write_text(result.output, encoding="utf-8")
    validated = run("validate", path, "--format", "json")
    report = json.loads(validated.output)["reports"][0]
    assert validated.exit_code == 1  # the same two broken identities as the published text
    assert sorted(f["check"] for f in report["findings"] if f["severity"] == "error") == [
        "applications.balance[natural_person]", "applications.balance[total]"]


DOCS = Path(__file__).parent / "documents"


def _verdict(result) -> tuple:
    [report] = json.loads(result.output)["reports"]
    return report["verdict"], report["not_evaluated"], sorted(f["check"] or "" for f in report["findings"]
                                                              if f["code"] in ("rule-violated", "rule-not-checkable"))


def test_csv_long_keeps_what_the_source_did_not_show_so_it_validates_as_the_source_does(tmp_path):
    """The CSV long of a report read from a PDF left out the cells the PDF did not show (a clipped row), so
    `extract --format csv-long | validate` read them as blank: the report passed where the PDF itself is incomplete.
    The cells not seen, and a known variant's printed values, are lines of the CSV (``unseen``, ``variants.…``)."""
    pdf = DOCS / "made-huaian-city-2024.pdf"
    result = run("extract", pdf, "--format", "csv-long")
    rows = {row[0]: row for row in csv.reader(io.StringIO(result.output[1:]))}
    assert rows["unseen"][1].split() == [f"applications.other_unpaid_fee.{c}" for c in (
        "natural_person", "business", "research", "public_interest", "legal_services", "other", "total")]
    path = tmp_path / "made.csv"
    path.write_text(result.output, encoding="utf-8")
    through_csv, direct = run("validate", path, "--format", "json"), run("validate", pdf, "--format", "json")
    assert through_csv.exit_code == direct.exit_code == 4
    assert _verdict(through_csv) == _verdict(direct) and _verdict(direct)[0] == "incomplete"


def _findings(result) -> list:
    return [(r["verdict"], r["not_evaluated"], sorted((f["code"], f["check"] or "", f["position"] or "")
                                                      for f in r["findings"])) for r in json.loads(result.output)["reports"]]


def test_extracts_own_json_validates_as_the_published_file_does(tmp_path):
    """docs said the record's instance is "ready for govspec validate", but validate refused the record ("the instance
    has no 'tables'"): an auditor had to cut the instance out by hand, and lost what extraction said."""
    pdf = DOCS / "made-huaian-city-2024.pdf"
    out = tmp_path / "out"
    assert run("extract", pdf, "--out", out).exit_code == 0
    [record] = out.iterdir()
    direct, through = run("validate", pdf, "--format", "json"), run("validate", record, "--format", "json")
    assert through.exit_code == direct.exit_code == 4 and _findings(through) == _findings(direct)
    assert json.loads(through.output)["reports"][0]["source"] == str(record)
    both = tmp_path / "both.json"
    assert run("extract", pdf, HEGANG_MD, tmp_path / "missing.pdf", "-o", both).exit_code == 3
    result = run("validate", both, "--format", "json")
    reports = json.loads(result.output)["reports"]
    assert [r["source"] for r in reports] == [f"{both}:1", f"{both}:2", f"{both}:3"] and result.exit_code == 3
    assert reports[0]["verdict"] == "incomplete" and reports[1]["verdict"] == "failed"
    assert reports[2]["verdict"] == "unreadable" and "missing.pdf" in reports[2]["error"]["message"]
    folder = tmp_path / "many"  # enough files for the batch's structure gate, which such a record is not for
    folder.mkdir()
    last = json.loads(both.read_text(encoding="utf-8"))
    last["govspec_extract"] = last.pop("govspec_extract")  # its key last, as a hand edit may leave it: it was a traceback
    for n in range(40):
        (folder / f"r{n:02d}.json").write_bytes(json.dumps(last).encode() if n == 7 else record.read_bytes())
    many = json.loads(run("validate", folder, "--format", "json", "--no-across").output)["reports"]
    assert len(many) == 42 and [r["source"] for r in many[7:10]] == [f"{folder / 'r07.json'}:{n}" for n in (1, 2, 3)]
    assert {r["verdict"] for r in many[:7]} == {"incomplete"}


@pytest.mark.parametrize("text,said", [
    ('{"govspec_extract": 2, "reports": []}', "not a record of govspec extract"),
    ('{"govspec_extract": 1, "reports": "x"}', "not a record of govspec extract"),
    ('{"govspec_extract": 1, "reports": [7]}', "a record of govspec extract is a JSON object"),
    ('{"govspec_extract": 1, "reports": [{"source": "a.pdf", "error": "gone"}]}', "could not read a.pdf: gone"),
    ('{"govspec_extract": 1, "instance": {"tables": []}}', "'tables' must be an object"),
    ('{"govspec_extract": 1, "template": 5, "provenance": [1], "instance": {"spec": "gov-info-disclosure", '
     '"version": "2021", "tables": {}}}', None),
])
def test_a_damaged_record_of_extract_is_said_never_a_traceback(tmp_path, text, said):
    path = tmp_path / "r.json"
    path.write_text(text, encoding="utf-8")
    result = run("validate", path, "--format", "json")
    [report] = json.loads(result.output)["reports"]
    if said:
        assert result.exit_code == 3 and said in report["error"]["message"]
    else:  # a record edited past its shape: its instance is still validated as written
        assert report["verdict"] != "unreadable"


def test_csv_keys_of_what_was_not_seen_and_of_a_variant_are_read_in_long_and_wide(tmp_path):
    example = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    long = ["cell,value", "spec,gov-info-disclosure", "version,2021", "report.agency,某局", "report.year,2021",
            "proactive_disclosure.rules.issued,1", "unseen,applications.received.natural_person\u3000"
            "applications.received.total", "variants.applications.other_handling.total,4"]
    path = tmp_path / "long.csv"
    path.write_text("\n".join(long) + "\n", encoding="utf-8")
    from govspec.io.readers import read_path
    [item] = read_path(str(path))
    assert item.document["unseen"] == ["applications.received.natural_person", "applications.received.total"]
    assert item.document["variants"]["applications.other_handling"]["total"].text == "4"
    assert not item.findings  # no unknown key
    wide = tmp_path / "wide.csv"
    wide.write_text("spec,version,report.agency,report.year,unseen,applications.received.total\n"
                    f"gov-info-disclosure,2019,{example['report']['agency']},2020,applications.received.total,5\n",
                    encoding="utf-8")
    validated = run("validate", wide, "--format", "json")
    [report] = json.loads(validated.output)["reports"]
    assert not [f for f in report["findings"] if f["code"] == "unknown-key"]
    assert report["verdict"] == "incomplete" and report["not_evaluated"].get("unseen")


def test_out_folder_gets_one_file_per_report_and_never_overwrites(tmp_path):
    out = tmp_path / "out"
    for fmt, suffix in (("json", ".extract.json"), ("csv-long", ".extract.csv")):
        result = run("extract", HEGANG_MD, "--format", fmt, "--out", out)
        assert result.exit_code == 0
        target = out / (HEGANG_MD.stem + suffix)
        assert target.exists()
        before = target.read_bytes()
        again = run("extract", HEGANG_MD, "--format", fmt, "--out", out)
        assert again.exit_code == 3 and "will not overwrite" in again.output
        assert target.read_bytes() == before


def test_a_file_without_a_known_table_is_unreadable(tmp_path):
    path = tmp_path / "notes.txt"
    path.write_text("这是一段没有表格的文字。\n", encoding="utf-8")
    result = run("extract", path)
    assert result.exit_code == 3
    record = json.loads(result.output)["reports"][0]
    assert record["instance"] is None and "no table of a known template" in record["error"]


def test_extract_reports_its_progress_report_by_report(tmp_path):
    from govspec.cli.extract import run_extract
    seen: list[int] = []
    run_extract([HEGANG_MD, HEGANG_MD], "json", None, io.StringIO(), seen.append)
    assert seen == [1, 2]  # what Progress shows on a terminal's standard error


def test_a_folder_is_extracted_file_by_file_into_the_same_sub_folders(tmp_path):
    given = tmp_path / "reports"
    for year in ("2023", "2024"):  # the same name in two sub-folders: two records, neither over the other
        (given / year).mkdir(parents=True)
        (given / year / "index.md").write_text(HEGANG_MD.read_text(encoding="utf-8"), encoding="utf-8")
    (given / "data.json").write_text("{}", encoding="utf-8")  # a data file: not a published report, not read
    out = tmp_path / "out"
    result = run("extract", given, "--out", out)
    assert result.exit_code == 0, result.output
    assert sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file()) == [
        "2023/index.extract.json", "2024/index.extract.json"]
    records = json.loads(run("extract", given).output)["reports"]
    assert [Path(r["source"]).relative_to(given).as_posix() for r in records] == ["2023/index.md", "2024/index.md"]


def test_with_an_out_folder_what_could_not_be_read_is_said_not_only_counted(tmp_path):
    empty = tmp_path / "empty"
    empty.mkdir()
    notes = tmp_path / "notes.txt"
    notes.write_text("这是一段没有表格的文字。\n", encoding="utf-8")
    result = run("extract", empty, tmp_path / "missing.pdf", notes, "--out", tmp_path / "out")
    assert result.exit_code == 3
    assert f"{empty}: no published report file" in result.output
    assert f"{tmp_path / 'missing.pdf'}: file not found" in result.output
    assert f"{notes}: no table of a known template" in result.output
