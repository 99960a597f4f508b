"""CSV wide read as columns by Arrow (the ``fast`` extra) gives what the csv module gives, row for row."""


import pytest
from conftest import damaged_wide_lines
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_batch import outcome

import govspec
from govspec.check import wide
from govspec.check.batch import Validator
from govspec.io import arrow_csv, writers
from govspec.io.readers import csv_rows, read_all, wide_rows
from govspec.rules.solver import random_instance
from govspec.testing import instances

pytest.importorskip("pyarrow")


@pytest.fixture(autouse=True)
def arrow_for_small_files(monkeypatch):
    """The files here are small: Arrow reads them all the same (it is not loaded for files under ARROW_FROM)."""
    monkeypatch.setattr(arrow_csv, "ARROW_FROM", 0)

SPEC21 = govspec.load_spec("gov-info-disclosure", "2021")
SPEC19 = govspec.load_spec("gov-info-disclosure", "2019")

TEXTS = ["", " 7", "7 ", "３", "+5", "-1", "1.0", "0007", "9" * 18, "9" * 19, "9" * 25, "1e3", "七", "0"]
AMOUNTS = ["1.50", " 2.5 ", "-2", "1e3", "", "١٢", "3."]
ROWS = ["#注释", "", ",,,", " , ", "too,short"]


def _results(path, fast: bool, arrow: bool):
    with pytest.MonkeyPatch.context() as patch:
        if not arrow:
            patch.setattr(arrow_csv, "_arrow", None)
        return [outcome(r) for r in Validator(fast=fast).run([str(path)])]


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_arrow_and_the_csv_module_give_the_same_results_row_for_row(tmp_path_factory, data):
    """Texts that are not plain integers, comment and empty lines, short rows, quotes and blocks of a few rows:
    the fast path reading columns, the fast path reading rows and the detailed path agree."""
    folder = tmp_path_factory.mktemp("wide")
    spec = data.draw(st.sampled_from([SPEC19, SPEC21]))
    documents = [data.draw(instances(spec, blanks=data.draw(st.booleans()))) for _ in range(data.draw(st.integers(1, 8)))]
    lines = damaged_wide_lines(spec, documents, data, TEXTS, AMOUNTS, ROWS)
    if data.draw(st.booleans()):  # a quote somewhere: the file is not plain, the csv module reads it
        at = data.draw(st.integers(2, len(lines) - 1))
        lines[at] = lines[at].replace(",", ',"x",', 1) if data.draw(st.booleans()) else '"' + lines[at] + '"'
    ending = data.draw(st.sampled_from(["\n", "\r\n"]))
    encoding = data.draw(st.sampled_from(["utf-8", "utf-8-sig", "gb18030"]))
    path = folder / "w.csv"
    path.write_bytes((ending.join(lines) + ending).encode(encoding))
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(arrow_csv, "BLOCK_SIZE", data.draw(st.sampled_from([1 << 15, 1 << 20])))
        by_arrow = _results(path, fast=True, arrow=True)
        detailed_by_arrow = _results(path, fast=False, arrow=True)
    assert by_arrow == _results(path, fast=True, arrow=False) == detailed_by_arrow \
        == _results(path, fast=False, arrow=False)


@pytest.mark.parametrize("text", TEXTS)
def test_each_kind_of_text_in_a_count_gives_the_same_result_read_by_arrow_or_by_rows(tmp_path, text):
    rng = __import__("random").Random(len(text))
    documents = [random_instance(SPEC21, rng) for _ in range(3)]
    lines = writers.to_csv_wide(SPEC21, documents).splitlines()
    fields = lines[3].split(",")
    fields[lines[0].split(",").index("applications.received.total")] = text
    lines[3] = ",".join(fields)
    path = tmp_path / "w.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert _results(path, fast=True, arrow=True) == _results(path, fast=True, arrow=False) \
        == _results(path, fast=False, arrow=False)


def test_the_rows_of_a_plain_file_come_from_arrow_the_same_with_their_lines(tmp_path):
    path = tmp_path / "w.csv"
    path.write_text("a,b,c\n1,2,3\n\n#labels,x,y\n4,5,6\r\n,,\n7,8,9", encoding="utf-8")

    def rows():
        with csv_rows(str(path)) as (header, found):
            return list(wide_rows(str(path), header, found))
    by_arrow = rows()
    arrow_csv._arrow = None
    try:
        by_csv = rows()
    finally:
        arrow_csv._arrow = arrow_csv._UNLOADED
    assert by_arrow == by_csv == [(2, ["1", "2", "3"]), (5, ["4", "5", "6"]), (7, ["7", "8", "9"])]


def test_where_arrow_stops_the_csv_module_reads_on_and_says_what_is_wrong(tmp_path, monkeypatch):
    """A short row after some blocks: the rows before are Arrow's, the row itself the csv module's (its error
    with its line), and the rows after too — the same results as without Arrow."""
    rng = __import__("random").Random(3)
    documents = [random_instance(SPEC21, rng) for _ in range(150)]
    lines = writers.to_csv_wide(SPEC21, documents).splitlines()
    lines[120] = "gov-info-disclosure,2021,cut short"
    lines[140] += "\udcff"  # a byte that is not UTF-8, further on (past what tells the encoding)
    path = tmp_path / "w.csv"
    path.write_bytes("\n".join(lines).encode("utf-8", "surrogateescape") + b"\n")
    monkeypatch.setattr(arrow_csv, "BLOCK_SIZE", 1 << 15)
    blocks = []
    original = wide._block_pendings
    monkeypatch.setattr(wide, "_block_pendings",
                        lambda *a: isinstance(a[-1], arrow_csv.Block) and blocks.append(a[-1].size) or original(*a))
    by_arrow = [outcome(r) for r in Validator().run([str(path)])]
    assert sum(blocks) < 119 and blocks  # Arrow read the first blocks, then stopped (the csv module the rest)
    monkeypatch.setattr(arrow_csv, "_arrow", None)
    assert by_arrow == [outcome(r) for r in Validator().run([str(path)])]
    assert by_arrow[-1][0] == "unreadable" and "encoding" in by_arrow[-1][2]
    assert any(o[:2] == ("unreadable", f"{path}:121") and "cut short" in o[2] for o in by_arrow)  # the short row


def test_a_clean_csv_wide_batch_is_packed_from_columns(tmp_path, monkeypatch):
    """Clean rows never reach the detailed path, and their integers come from the block (not row by row)."""
    rng = __import__("random").Random(4)
    documents = [random_instance(SPEC21, rng) for _ in range(40)]
    path = tmp_path / "w.csv"
    path.write_text(writers.to_csv_wide(SPEC21, documents), encoding="utf-8")
    from govspec.check import fastpath
    monkeypatch.setattr(fastpath.FastChecker, "pack_texts", lambda *a: pytest.fail("packed from texts"))
    results = list(Validator().run([str(path)]))
    assert len(results) == 40 and all(r.valid for r in results)


def test_rows_alike_in_the_facts_their_checks_read_are_judged_once_and_as_the_detailed_path_judges_them(tmp_path,
                                                                                                        monkeypatch):
    """A block's rows are judged once for each distinct set of the facts the checks of metadata read (the agency's name
    only as given or not, its code not at all): the same outcomes as the detailed path, row for row, whatever the facts
    — a blank or spaced name, a late or malformed date, a kind, a year of the other template, another version."""
    import itertools

    from govspec.check import fastpath
    rng = __import__("random").Random(9)
    facts = list(itertools.product(["某机关", "", "  "], [2021, 2019], ["2022-01-20", "2022-06-01", "20.1.2022", ""],
                                   ["department", "government", "其他", ""]))
    documents = []
    for number in range(3 * len(facts)):
        agency, year, published, kind = facts[number % len(facts)]
        document = random_instance(SPEC21, rng)
        document["report"] = {"agency": agency + (str(number) if agency == "某机关" else ""), "year": year,
                              "published": published, "kind": kind, "agency_code": f"11{number:016d}"}
        documents.append(document)
    path = tmp_path / "w.csv"
    path.write_text(writers.to_csv_wide(SPEC21, documents), encoding="utf-8")
    judged = []
    original = fastpath.FastChecker.metadata_clean
    monkeypatch.setattr(fastpath.FastChecker, "metadata_clean", lambda *a: judged.append(1) or original(*a))
    fast = _results(path, fast=True, arrow=True)
    assert 0 < len(judged) <= len(facts) < len(documents)  # once for each distinct set of facts (with a checker)
    assert fast == _results(path, fast=False, arrow=True) == _results(path, fast=True, arrow=False)
    codes = {f[0] for o in fast for f in o[2]}
    assert {"metadata-invalid", "published-late", "template-year-mismatch", "deadline-not-checked"} <= codes
    assert any(not o[2] for o in fast)  # and rows with nothing to say


def test_read_all_gives_the_same_documents_with_and_without_arrow(tmp_path, huaian):
    path = tmp_path / "w.csv"
    path.write_text(writers.to_csv_wide(SPEC21, [huaian, huaian]), encoding="utf-8")
    with_arrow = [(i.source, i.document) for i in read_all([str(path)])]
    arrow_csv._arrow = None
    try:
        without = [(i.source, i.document) for i in read_all([str(path)])]
    finally:
        arrow_csv._arrow = arrow_csv._UNLOADED
    assert with_arrow == without and len(with_arrow) == 2


def test_a_field_longer_than_the_csv_module_takes_stops_arrow_there(tmp_path, monkeypatch):
    """The csv module refuses a field over its limit (the file is unreadable from that line on): Arrow, which has
    no such limit, stops at that block and lets the csv module say it."""
    from govspec.io import readers
    rng = __import__("random").Random(6)
    documents = [random_instance(SPEC21, rng) for _ in range(3)]
    documents[2]["report"]["agency"] = "很长的机关名称" * 40
    path = tmp_path / "w.csv"
    path.write_text(writers.to_csv_wide(SPEC21, documents), encoding="utf-8")
    monkeypatch.setattr(readers, "MAX_CSV_FIELD", 200)
    by_arrow = _results(path, fast=True, arrow=True)
    assert by_arrow == _results(path, fast=True, arrow=False)
    assert [o[0] for o in by_arrow] == [f"{path}:3", f"{path}:4", "unreadable"] and "field" in by_arrow[-1][2]


def test_a_small_csv_file_is_read_without_loading_pyarrow(tmp_path, huaian):
    """Checking one CSV file does not pay for loading pyarrow (and pandas, where it is installed)."""
    import subprocess
    import sys
    path = tmp_path / "w.csv"
    path.write_text(writers.to_csv_wide(SPEC21, [huaian] * 3), encoding="utf-8")
    code = ("import sys; from govspec.check.batch import Validator; "
            f"assert len(list(Validator().run([{str(path)!r}]))) == 3; print('pyarrow' in sys.modules)")
    assert subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip() \
        == "False"


@settings(max_examples=60, deadline=None)
@given(st.lists(st.lists(st.one_of(st.sampled_from(TEXTS + ["３", "١٢", "²", "9" * 18]),
                                   st.integers(0, 10 ** 20).map(str)), min_size=3, max_size=3), min_size=1, max_size=40))
def test_a_blocks_counts_read_by_arrow_are_the_integers_of_its_plain_rows_and_no_others(rows):
    """A row of an Arrow block is converted when each of its texts is a plain unsigned integer of at most 18 ASCII
    digits, to exactly those integers; any other row is left to be packed from its texts.  A block whose texts are all
    plain is cast as it is, in one kernel; only a block with another text has its texts cut and replaced first."""
    import struct

    import pyarrow as pa
    import pyarrow.compute as pc
    block = arrow_csv.Block(2, [pa.array(["x"] * len(rows)), *(pa.array(list(column)) for column in zip(*rows))])
    replaced: list = []
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(pc, "if_else", lambda *a, _real=pc.if_else: replaced.append(1) or _real(*a))
        words = wide._words(block, [1, 2, 3])
    plain = [all(t.isascii() and t.isdigit() and len(t) <= wide.LONGEST for t in row) for row in rows]
    for row, word, whole in zip(rows, words, plain):
        assert word == (struct.pack("3q", *map(int, row)) if whole else None)
    assert bool(replaced) == (not all(plain))
