"""Fuzzing: any bytes, any rule text, any command line — a report or a documented error, never a traceback.

The number of examples comes from the hypothesis profile: "ci" by default, "deep" for long runs
(HYPOTHESIS_PROFILE=deep; see docs/testing.md for the last deep run).
"""

import json
import string

from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st

import govspec
import govspec.rules as rulelang
from govspec.check.batch import Validator
from govspec.cli.main import main
from govspec.errors import GovspecError, SpecError
from govspec.io.readers import Unreadable

EXITS = {0, 1, 3, 4}  # 4: incomplete


def _cli(args):
    result = CliRunner().invoke(main, args)
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception  # a traceback: the fuzz fails and hypothesis shrinks it
    assert "Traceback" not in result.output
    return result


json_like = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=8),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4),
    max_leaves=20)


def _document(tables):
    return {"spec": "gov-info-disclosure", "version": "2021", "report": {"agency": "x", "year": 2021},
            "tables": tables}


@given(st.binary(max_size=2000), st.sampled_from(["x.json", "x.jsonl", "x.csv", "x.txt", "x.md", "x.html"]))
def test_any_bytes_as_an_instance_file(tmp_path_factory, data, name):
    path = tmp_path_factory.mktemp("fuzz") / name
    path.write_bytes(data)
    result = _cli(["validate", str(path), "--format", "json"])
    assert result.exit_code in EXITS
    json.loads(result.output)
    assert path.read_bytes() == data  # never changed


@given(st.binary(max_size=3000))
def test_any_bytes_as_a_spec_file(tmp_path_factory, data):
    path = tmp_path_factory.mktemp("fuzz") / "spec.yaml"
    path.write_bytes(data)
    try:
        govspec.load_spec_file(path)
    except SpecError as error:
        assert error.source == str(path)


@given(st.text(alphabet=string.printable + "：（）总计$@.", max_size=300))
def test_any_text_as_a_spec_file(tmp_path_factory, text):
    path = tmp_path_factory.mktemp("fuzz") / "spec.yaml"
    path.write_text(text, encoding="utf-8")
    try:
        govspec.load_spec_file(path)
    except SpecError:
        pass


@given(json_like)
def test_any_json_value_in_the_tables(tables):
    try:
        report = govspec.validate(_document(tables))
    except GovspecError as error:
        assert error.exit_code == 3
        return
    assert isinstance(report.valid, bool)


@given(st.dictionaries(st.sampled_from(["applications", "review_litigation", "proactive_disclosure", "x"]),
                       st.dictionaries(st.sampled_from(["received", "total", "cases", "fees", "y"]),
                                       st.dictionaries(st.sampled_from(["total", "natural_person", "review_total",
                                                                        "fee_amount", "z"]), json_like, max_size=3),
                                       max_size=3), max_size=3))
def test_any_values_in_known_cells(tables):
    report = govspec.validate(_document(tables))
    assert isinstance(report.valid, bool)


@given(st.lists(st.one_of(json_like.map(json.dumps), st.text(max_size=40)), max_size=6))
def test_any_lines_in_a_jsonl_batch(tmp_path_factory, lines):
    path = tmp_path_factory.mktemp("fuzz") / "x.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    for result in Validator().run([path]):
        assert isinstance(result, Unreadable) or isinstance(result.valid, bool)


@given(st.text(max_size=200))
def test_any_rule_text(text):
    try:
        tree = rulelang.parse(text)
    except rulelang.RuleSyntaxError:
        return
    assert rulelang.parse(rulelang.to_text(tree)) == tree


@given(st.lists(st.sampled_from(["validate", "spec", "show", "list", "template", "schema", "--format", "json",
                                 "text", "csv", "csv-long", "--spec", "--template-version", "2019", "2021", "x",
                                 "gov-info-disclosure", "gov-info-disclosure@2019", "--lang", "en", "-h",
                                 "examples/hegang-justice-2020.json", "examples", "--no-fast", ""]), max_size=6))
def test_any_command_line(args):
    result = _cli(args)
    assert result.exit_code in {0, 1, 2, 3}


@given(st.lists(st.text(alphabet="0123456789,-/无 ，．.万元\"\n", max_size=8), min_size=1, max_size=30))
def test_any_csv_values(tmp_path_factory, values):
    spec = govspec.load_spec("gov-info-disclosure", "2021")
    ids = [c.id for c in spec.cells][: len(values)]
    lines = ["cell,value", "spec,gov-info-disclosure", "version,2021"]
    lines += [f'{cell},"{value.replace(chr(34), chr(34) * 2)}"' for cell, value in zip(ids, values)]
    path = tmp_path_factory.mktemp("fuzz") / "x.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    for result in Validator().run([path]):
        assert isinstance(result, (Unreadable,)) or isinstance(result.valid, bool)


@given(st.lists(st.sampled_from(["二、主动公开政府信息情况", "第二十条第(一)项", "信息内容", "本年制发件数", "规章",
                                 "行政规范性文件", "三、收到和处理政府信息公开申请情况", "一、本年新收政府信息公开申请数量",
                                 "（七）总计", "四、政府信息公开行政复议、行政诉讼情况", "0", "12", "/", "|", "||", "",
                                 "<td>", "</td>", "<tr>", "<table>", '<td colspan="3">', "减4", "1,285", "x"]),
                max_size=60), st.sampled_from(["x.txt", "x.html"]))
def test_any_published_report_text(tmp_path_factory, parts, name):
    path = tmp_path_factory.mktemp("fuzz") / name
    path.write_text("\n".join(parts), encoding="utf-8")
    result = _cli(["validate", str(path), "--format", "json"])
    assert result.exit_code in EXITS
    json.loads(result.output)
