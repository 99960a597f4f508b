"""Properties of every shipped spec (and a synthetic one): generated data, schema, round trips."""

import json
from pathlib import Path

import jsonschema
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import govspec
import govspec.rules as rulelang
from govspec.io.instance_schema import instance_schema
from govspec.testing import broken_instances, instances

# A synthetic spec defined only here: two levels of totals and a roll-forward identity.
LEDGER = """
govspec_spec: 1
id: ledger
version: "1"
title: {zh: 台账, en: Ledger}
report_years: {from: 2000}
tables:
  - id: cases
    label: 案件
    en: Cases
    columns:
      - {id: a, label: 甲, en: A}
      - {id: b, label: 乙, en: B}
      - {id: all, label: 合计, en: All}
    row_groups:
      - {id: closed, label: 办结, en: Closed}
    rows:
      - {id: opened, label: 新收, en: Opened}
      - {id: pending_start, label: 上年结转, en: Pending at start}
      - {id: won, label: 胜诉, en: Won, group: closed}
      - {id: lost, label: 败诉, en: Lost, group: closed}
      - {id: closed_total, label: 办结合计, en: Closed total}
      - {id: pending_end, label: 结转下年, en: Pending at end}
rules:
  - {id: cases.roll, title: {zh: 结转, en: Roll}, basis: stated, table: cases, for_each: {columns: "*"},
     check: "opened.$col + pending_start.$col == closed_total.$col + pending_end.$col", message: {zh: 甲, en: a}}
  - {id: cases.closed, title: {zh: 办结, en: Closed}, basis: implied, table: cases, for_each: {columns: "*"},
     on_blank: skip, check: "closed_total.$col == sum(@closed.$col)", message: {zh: 乙, en: b}}
  - {id: cases.row, title: {zh: 合计, en: Row}, basis: implied, table: cases, for_each: {rows: "*"},
     on_blank: skip, check: "$row.all == $row.a + $row.b", message: {zh: 丙, en: c}}
"""


def _ledger():
    import tempfile
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "ledger.yaml"
        path.write_text(LEDGER, encoding="utf-8")
        return govspec.load_spec_file(path)


SYNTHETIC = govspec.load_spec_file(Path(__file__).parent / "specs" / "synthetic.yaml")
SPECS = list(govspec.list_specs()) + [_ledger(), SYNTHETIC]
EQUALITY_SPECS = SPECS[:-1]
IDS = [s.spec.ref for s in SPECS]
SETTINGS = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                             HealthCheck.filter_too_much])


@pytest.mark.parametrize("spec", SPECS, ids=IDS)
def test_generated_instances_are_valid(spec):
    @SETTINGS
    @given(instances(spec))
    def check(document):
        report = govspec.validate(document, spec=spec)
        assert report.valid, [f.check for f in report.findings if f.is_error]
    check()


def test_a_spec_without_equalities_cannot_be_broken_exactly():
    with pytest.raises(ValueError, match="no integer equality rule"):
        broken_instances(SYNTHETIC)


@pytest.mark.parametrize("spec", EQUALITY_SPECS, ids=IDS[:-1])
def test_broken_instances_break_exactly_their_checks(spec):
    @SETTINGS
    @given(broken_instances(spec))
    def check(broken):
        report = govspec.validate(broken.document, spec=spec)
        failed = {f.check for f in report.findings if f.code == "rule-violated"}
        assert failed == broken.expected
    check()


@pytest.mark.parametrize("spec", SPECS[:2], ids=IDS[:2])
def test_exported_schema_accepts_every_generated_instance(spec):
    schema = instance_schema(spec)
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(schema)

    @SETTINGS
    @given(instances(spec))
    def check(document):
        as_json = json.loads(json.dumps(document, default=str))
        assert list(validator.iter_errors(as_json)) == []
    check()


def test_exported_schema_rejects_what_govspec_rejects(huaian):
    validator = jsonschema.Draft202012Validator(instance_schema(govspec.load_spec("gov-info-disclosure", "2021")))
    assert list(validator.iter_errors(huaian)) == []
    for path, value in [(("applications", "received", "total"), -1), (("applications", "received", "total"), "3"),
                        (("applications", "received", "totl"), 1), (("applications", "recieved"), {})]:
        document = json.loads(json.dumps(huaian))
        node = document["tables"]
        for key in path[:-1]:
            node = node[key]
        node[path[-1]] = value
        assert list(validator.iter_errors(document)), path
        assert not govspec.validate(document).valid


@pytest.mark.parametrize("spec", SPECS, ids=IDS)
def test_rule_text_round_trips(spec):
    for rule in spec.rules:
        assert rulelang.parse(rulelang.to_text(rule.ast)) == rule.ast


@settings(max_examples=60, deadline=None)
@given(st.sampled_from(SPECS[:2]), st.data())
def test_root_causes_point_at_the_changed_total(spec, data):
    broken = data.draw(broken_instances(spec))
    report = govspec.validate(broken.document, spec=spec)
    for finding in report.findings:
        for cause in finding.caused_by:  # a cause is itself a failing check
            assert cause in {f.check for f in report.findings}


def _read_back(spec, text: str, name: str, tmp_path):
    from govspec.io.readers import read_all
    path = tmp_path / name
    path.write_text(text, encoding="utf-8-sig")
    [item] = list(read_all([path]))
    return item.document


def _values(spec, document) -> dict:
    """Cell values as the validator reads them (text cells read with their type)."""
    from govspec.check.cells import read_cells
    cells = read_cells(spec, document["tables"])
    assert cells.findings == () and not cells.invalid
    return dict(cells.values)


@pytest.mark.parametrize("spec", SPECS[:3], ids=IDS[:3])
def test_json_csv_long_csv_wide_round_trips_are_lossless(spec, tmp_path_factory):
    from govspec.io import writers

    @SETTINGS
    @given(instances(spec))
    def check(document):
        folder = tmp_path_factory.mktemp("roundtrip")
        original = _values(spec, json.loads(writers.to_json(document), parse_float=__import__("decimal").Decimal))
        long = _read_back(spec, writers.to_csv_long(spec, document), "l.csv", folder)
        wide = _read_back(spec, writers.to_csv_wide(spec, [document]), "w.csv", folder)
        assert _values(spec, long) == original == _values(spec, wide)
        for copy in (long, wide):
            assert copy["spec"] == spec.id and copy["version"] == spec.version
            assert copy["report"]["year"] == document["report"]["year"]
            assert copy["report"]["agency"] == document["report"]["agency"]
    check()


@pytest.mark.parametrize("spec", SPECS, ids=IDS)
def test_diff_of_every_spec_with_itself_is_empty(spec):
    from govspec.tools.diff import diff
    assert diff(spec, spec) == []


@settings(max_examples=80, deadline=None)
@given(st.data())
def test_checks_summed_at_once_where_their_cells_are_usable_give_every_outcome_of_evaluating_each(data):
    """``evaluate.run_all`` sums a comparison at once when every cell it reads is usable — in a report with blanks or
    unusable cells too — and evaluates the rest in full: its outcomes are those of evaluating every check in full,
    also where an unusable or unseen cell is given a value as well."""
    from govspec.rules import evaluate
    from govspec.rules.linear import exact
    spec = data.draw(st.sampled_from([govspec.load_spec("gov-info-disclosure", v) for v in ("2019", "2021")] +
                                     [govspec.load_spec_file(Path(__file__).parent / "specs" / "synthetic.yaml")]))
    cells = [c.id for c in spec.cells]
    value = st.one_of(st.integers(0, 30), st.decimals(places=2, min_value=0, max_value=99, allow_nan=False))
    if data.draw(st.booleans()):
        values = {c: data.draw(value) for c in cells if data.draw(st.integers(0, 9))}  # about one cell in ten blank
    else:  # a report whose checks hold: a check that reads an unusable cell would pass if that cell were read
        from govspec.io.writers import cell_values
        values = {c: v for c, v in cell_values(spec, data.draw(instances(spec))).items() if v is not None}
    invalid = frozenset(data.draw(st.lists(st.sampled_from(cells), max_size=3)))
    if data.draw(st.booleans()):  # else a cell the source did not show is given a value too (by hand): still not read
        values = {c: v for c, v in values.items() if c not in invalid}
    with exact():
        summed = evaluate.run_all(spec.checks, values, invalid, len(spec.cells))
        each = [o for o in (evaluate.run(c, values, invalid) for c in spec.checks) if o.status != "pass"]
    assert summed == each


@pytest.mark.parametrize("spec", SPECS, ids=IDS)
@settings(max_examples=40, deadline=None)
@given(data=st.data())
def test_failing_checks_explained_from_their_linear_forms_give_the_findings_of_evaluating_them(spec, data):
    """The fast path explains a complete report's failing linear checks from their sums and linear forms
    (``report.failing_findings``): the same findings — equations, numbers, root causes — as evaluating them in full,
    for every shipped spec and the synthetic one (factors, numbers, signed counts), several cells off at once."""
    from govspec.check.cells import CellData
    from govspec.check.fastpath import FastChecker
    from govspec.check.report import failing_findings, rule_findings
    from govspec.rules import evaluate
    linear = {c.key for c in FastChecker(spec).linear}
    if not linear:
        return
    checks = [c for c in spec.checks if c.key in linear]
    cells = sorted({cell for check in checks for cell in check.cells})
    values = {c: data.draw(st.integers(-3, 40) if spec.cell(c).type == "signed_count" else st.integers(0, 40))
              for c in cells}
    if data.draw(st.booleans()):  # most of a report holding: a few cells off from a solved report
        solved = _values(spec, data.draw(instances(spec, blanks=False)))
        values = {c: solved[c] for c in cells}
        for cell in data.draw(st.lists(st.sampled_from(cells), min_size=1, max_size=4)):
            values[cell] += data.draw(st.integers(1, 5))
    failing = tuple(c for c in checks if evaluate.run(c, values).status == "fail")
    detailed = rule_findings(spec, CellData(values, frozenset(), frozenset(values), ()), failing)
    assert failing_findings(failing, values) == detailed
    assert [f.params for f in failing_findings(failing, values)] == [f.params for f in detailed]


@settings(max_examples=200, deadline=None)
@given(st.one_of(st.from_regex(r"\A[0-9]{1,30}\Z"), st.integers(995, 1003).map(lambda n: "9" * n)),
       st.sampled_from(["count", "signed_count", "money"]), st.sampled_from([None, {"0": "zero"}, {"00": "blank"}]))
def test_plain_digits_are_read_as_the_general_steps_read_them(text, cell_type, placeholders):
    """A cell of plain ASCII digits — most cells of a CSV file — is read at once (``read_text``, and
    ``read_cells`` for text from a file): the same value, and the same refusal past the digit limit or on a
    placeholder, as the general steps give the same digits with a space before them."""
    from govspec.check.cells import read_cells
    from govspec.io.values import CellText, read_text
    at_once, general = (read_text(written, cell_type, None, placeholders) for written in (text, " " + text))
    assert (at_once.understood, at_once.note) == (general.understood, general.note)
    assert at_once.value == (general.value if general.understood else general.value.strip())  # refused: as written
    spec = govspec.load_spec("gov-info-disclosure", "2021")
    cell = next(c for c in spec.cells if c.type == cell_type) if cell_type != "signed_count" else spec.cells[0]
    read = [read_cells(spec, {cell.table.id: {cell.row.id: {cell.column.id: CellText(written, "x")}}})
            for written in (text, " " + text)]
    assert read[0].values == read[1].values and read[0].present == read[1].present
    assert [f.code for f in read[0].findings] == [f.code for f in read[1].findings]


_FACT_VALUES = st.one_of(st.none(), st.booleans(), st.integers(1990, 2030), st.decimals(2019, 2022, places=1),
                         st.sampled_from(["2022-01-20", "2022-06-01", "2022/2/15", "20.1.2022", "", " ", "department",
                                          "government", "其他", "2021"]), st.text(max_size=4))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_two_documents_with_the_same_facts_read_are_judged_the_same(data):
    """The other way round: a document and another made from it — each value kept, or swapped for one equal to it in
    Python but not to the checks (2021 and 2021.0, 1 and True), or for any other — that
    :func:`~govspec.check.metadata.facts_read` cannot tell apart get the same outcome and findings."""
    from govspec.check.metadata import facts_read

    equal = [[2021, 2021.0], [1, True, 1.0], [0, False, 0.0], ["2021"], [None], [""], [" "], ["某局"], ["2022-01-20"],
             ["department"]]
    values = [value for group in equal for value in group]
    report = data.draw(st.dictionaries(st.sampled_from(["agency", "year", "published", "kind"]),
                                       st.sampled_from(values), max_size=4))
    document = {"spec": "gov-info-disclosure", "tables": {}, "report": report}
    if data.draw(st.booleans()):
        document["version"] = data.draw(st.sampled_from(["2021", "2019", 2021, 2021.0, None]))
    other = {**document, "report": {}}
    for key, value in report.items():
        how = data.draw(st.sampled_from(["kept", "equal", "any"]))
        alike = next(group for group in equal if any(type(v) is type(value) and v == value for v in group))
        other["report"][key] = value if how == "kept" else data.draw(st.sampled_from(alike if how == "equal" else values))
    if "version" in document and data.draw(st.booleans()):
        other["version"] = data.draw(st.sampled_from([2021, 2021.0, "2021"]))
    if facts_read(document) == facts_read(other):
        assert _judged(document) == _judged(other)


def _judged(document):
    from govspec.check.batch import Validator
    from govspec.check.metadata import metadata_findings
    checker, how = Validator()._checker(document, "x.json")
    if checker is None:
        return None
    return checker.spec.spec.ref, how, [(f.code, f.location, f.params) for f in metadata_findings(document, checker.spec,
                                                                                               how)]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_documents_alike_in_the_facts_their_checks_read_are_judged_alike(data):
    """What :data:`govspec.check.metadata.FACTS_READ` declares is all the checks of a report's facts read — the checks
    of its shape, the choice of its spec, :func:`metadata_findings` — so a batch may judge rows alike in those once
    (govspec.check.wide): documents that differ only in what is not read (the agency's name but whether it is given,
    its code, its source, notes) get the same outcome and the same findings."""
    from govspec.check.batch import Validator
    from govspec.check.metadata import agency_given, facts_read, metadata_findings
    from govspec.io.instance import REPORT_KEYS

    report = data.draw(st.dictionaries(st.sampled_from([*REPORT_KEYS, "extra"]), _FACT_VALUES, max_size=6))
    document = {"spec": "gov-info-disclosure", "tables": {}, "report": report}
    version = data.draw(st.sampled_from(["2021", "2019", None, 2021, "missing"]))
    if version != "missing":
        document["version"] = version
    other = {**document, "report": dict(report)}
    for key in ("agency_code", "source_url", "notes"):
        if key in report:
            other["report"][key] = data.draw(_FACT_VALUES)
    if "agency" in report:  # another name, given or not as the first is
        names = _FACT_VALUES.filter(lambda name: agency_given(name) == agency_given(report["agency"]))
        other["report"]["agency"] = data.draw(names)
    assert facts_read(document) == facts_read(other)

    def judged(document):
        checker, how = Validator()._checker(document, "x.json")
        if checker is None:
            return None
        return checker.spec.spec.ref, how, [(f.code, f.location, f.params) for f in metadata_findings(document,
                                                                                                   checker.spec, how)]
    assert judged(document) == judged(other)


def _finding(code, severity, rule, cells, accepted):
    from govspec.findings import Finding
    return Finding(code, severity, cells, rule, accepted={"reason": "已核实"} if accepted else None)


_FINDINGS = st.builds(
    _finding, st.sampled_from(["rule-violated", "rule-not-checkable", "duplicate-report", "published-late"]),
    st.sampled_from(["error", "warning", "info"]), st.sampled_from(["total", "balance", None]),
    st.lists(st.sampled_from(["t1.r1.c1", "t1.r2.c1", "previous:t1.r1.c1"]), max_size=3).map(tuple), st.booleans())


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.lists(_FINDINGS, max_size=5), st.dictionaries(
    st.sampled_from(["blank", "unseen"]), st.integers(1, 3), max_size=2), st.sampled_from(["failed", "passed"])),
    max_size=6), st.integers(1, 4))
def test_the_summary_counts_each_report_once_per_broken_rule_severity_and_reason(reports, stretch):
    """Every count of the summary is of reports, not of findings (docs/cli.md): what each report's findings say, counted
    here plainly, by :meth:`Summary.add`, and by the tallies a worker process sends of them (``Summary.add_entries``,
    a few reports at a time), must agree."""
    from collections import Counter
    from types import SimpleNamespace

    from govspec.check.written import Entries
    from govspec.present.summary import Summary, tally
    summary, sent = Summary(), Summary()
    rules: Counter = Counter()
    by_severity: dict = {"error": Counter(), "warning": Counter()}
    across: Counter = Counter()
    reasons: Counter = Counter()
    results = [SimpleNamespace(verdict=verdict, findings=tuple(findings), not_evaluated=not_evaluated)
               for findings, not_evaluated, verdict in reports]
    for start in range(0, len(results), stretch):
        sent.add_entries(Entries([""] * len(results[start:start + stretch]),
                                 list(map(tally, results[start:start + stretch]))))
    for (findings, not_evaluated, _), result in zip(reports, results):
        summary.add(result)
        counted = [f for f in findings if f.code == "rule-violated" and f.accepted is None]
        rules.update({f.rule for f in counted if f.severity in by_severity})
        for severity in by_severity:
            by_severity[severity].update({f.rule for f in counted if f.severity == severity})
        across.update({f.severity for f in counted if any(c.startswith("previous:") for c in f.cells)})
        reasons.update(not_evaluated.keys())  # a report with checks not evaluated for a reason, however many
    assert summary.failed + summary.passed == summary.reports == len(reports)
    assert summary.passed == sum(verdict == "passed" for _, _, verdict in reports)
    assert summary.accepted == sum(f.accepted is not None for findings, _, _ in reports for f in findings)
    assert (summary.rules, summary.by_severity, summary.across, summary.not_evaluated) == (
        rules, by_severity, across, reasons)
    assert sent == summary


@settings(max_examples=500, deadline=None)
@given(st.one_of(st.text(), st.text(alphabet="0123456789０１２３¹²³١٢٣۴๕", max_size=40),
                 st.lists(st.text(alphabet="0123456789", max_size=20), max_size=200).map("".join)))
def test_ascii_digits_are_told_from_bytes_as_python_tells_them_from_characters(text):
    """A CSV-wide row's counts are taken at once when their texts are ASCII digits alone: told from the text's bytes,
    exactly what ``str.isdigit`` and ``str.isascii`` say together (full-width, superscript and other scripts' digits
    are not)."""
    from govspec.io.values import ascii_digits
    assert ascii_digits(text) == (text.isdigit() and text.isascii())


def _zhconv_pieces() -> list[str]:
    """Words of zhconv's table to simplified characters (of one character and longer), and characters of names."""
    from govspec.io.chinese import _without_pkg_resources
    table = _without_pkg_resources().getdict("zh-cn")
    words = sorted(table)
    return words[::97] + [w for w in words if len(w) > 1][::41] + list("测试机关省市区县人民政府办公室臺灣鄉鎮 １2a")


@settings(max_examples=400, deadline=None)
@given(st.data())
def test_traditional_characters_are_simplified_as_zhconv_simplifies_them(data):
    """``simplified`` takes a short way where no two characters of a text start a longer word of zhconv's table
    (character by character, ``str.translate``): the same text as zhconv gives, for texts made of its table's words,
    their beginnings and the characters of names."""
    from govspec.io.chinese import _without_pkg_resources, simplified
    pieces = _zhconv_pieces()
    parts = data.draw(st.lists(st.sampled_from(pieces).flatmap(
        lambda word: st.sampled_from([word, word[:1], word[:2], word[1:]])), max_size=8))
    text = "".join(parts)
    assert simplified(text) == _without_pkg_resources().convert(text, "zh-cn")
