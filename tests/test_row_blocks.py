"""CSV wide read by the csv module (the default install) goes through the fast path a block of rows at a time, with
the results of reading it row by row through the detailed path."""

import random
import struct

import pytest
from conftest import damaged_wide_lines
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_batch import outcome

import govspec
from govspec.check import fastpath, wide
from govspec.check.batch import Validator
from govspec.io import arrow_csv, row_blocks, writers
from govspec.io.row_blocks import RowBlock
from govspec.rules.solver import random_instance

SPEC21 = govspec.load_spec("gov-info-disclosure", "2021")
SPEC19 = govspec.load_spec("gov-info-disclosure", "2019")

TEXTS = ["", " 7", "7 ", "３", "+5", "-1", "1.0", "0007", "9" * 18, "1" + "0" * 18, "9" * 19, "9" * 25, "1e3", "七",
         "0", "١٢", "²", "1,2"]
AMOUNTS = ["1.50", " 2.5 ", "-2", "1e3", "", "١٢", "3."]
ROWS = ["#注释", "", ",,,", " , ", "too,short", '"a\nb",1', "a,b,c,d,e,f,g,h,i,j,k,l"]


@pytest.fixture(autouse=True)
def rows_read_by_the_csv_module(monkeypatch):
    monkeypatch.setattr(arrow_csv, "_arrow", None)  # as without the fast extra, whatever is installed


def _results(path, fast: bool):
    return [outcome(r) for r in Validator(fast=fast).run([str(path)])]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_blocks_of_rows_give_the_results_of_the_detailed_path_row_for_row(tmp_path_factory, data):
    """Texts that are not plain integers (19 digits and more among them), comment, empty, short, long and quoted
    rows, a field over two lines, in blocks of a few rows — numpy converting their counts from 2 rows a block."""
    folder = tmp_path_factory.mktemp("rows")
    spec = data.draw(st.sampled_from([SPEC19, SPEC21]))
    rng = random.Random(data.draw(st.integers(0, 1000)))
    documents = [random_instance(spec, rng) for _ in range(data.draw(st.integers(1, 12)))]
    lines = damaged_wide_lines(spec, documents, data, TEXTS, AMOUNTS, ROWS)
    ending = data.draw(st.sampled_from(["\n", "\r\n"]))
    encoding = data.draw(st.sampled_from(["utf-8", "utf-8-sig", "gb18030"]))
    path = folder / "w.csv"
    path.write_bytes((ending.join(lines) + ending).encode(encoding))
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(row_blocks, "ROWS", data.draw(st.sampled_from([1, 3, 512])))
        patch.setattr(wide, "NUMPY_FROM", data.draw(st.sampled_from([1, 2, 32])))
        fast = _results(path, fast=True)
    assert fast == _results(path, fast=False)


def test_a_clean_batch_read_by_the_csv_module_is_packed_from_its_blocks(tmp_path, monkeypatch):
    """Clean rows never reach the detailed path, and their integers come from the block (not row by row)."""
    rng = random.Random(4)
    path = tmp_path / "w.csv"
    path.write_text(writers.to_csv_wide(SPEC21, [random_instance(SPEC21, rng) for _ in range(40)]), encoding="utf-8")
    monkeypatch.setattr(fastpath.FastChecker, "pack_texts", lambda *a: pytest.fail("packed from texts"))
    monkeypatch.setattr(Validator, "_detailed", lambda *a: pytest.fail("read by the detailed path"))
    results = list(Validator().run([str(path)]))
    assert len(results) == 40 and all(r.valid for r in results)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.lists(st.one_of(st.sampled_from(TEXTS), st.integers(0, 10 ** 20).map(str)), min_size=3, max_size=3),
                min_size=1, max_size=40))
def test_a_blocks_counts_are_the_integers_of_its_plain_rows_and_no_others(rows):
    """A row is converted when each of its texts is a plain unsigned integer of at most 18 ASCII digits, to exactly
    those integers; any other row is left to be packed from its texts."""
    block = RowBlock(list(range(2, len(rows) + 2)), [["x", *row] for row in rows])
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(wide, "NUMPY_FROM", 1)
        words = wide._text_words(block, [1, 2, 3])
    for row, word in zip(rows, words):
        plain = all(t.isascii() and t.isdigit() and len(t) <= wide.LONGEST for t in row)
        assert word == (struct.pack("3q", *map(int, row)) if plain else None)


def test_rows_read_before_the_reading_fails_are_judged_and_then_it_says_why(tmp_path):
    """A byte that is not UTF-8 past what tells the encoding (64 KB), in the second block of rows."""
    rng = random.Random(7)
    lines = writers.to_csv_wide(SPEC21, [random_instance(SPEC21, rng) for _ in range(160)]).splitlines()
    lines[150] += "\udcff"
    path = tmp_path / "w.csv"
    path.write_bytes("\n".join(lines).encode("utf-8", "surrogateescape") + b"\n")
    assert path.stat().st_size > 1 << 16
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(row_blocks, "ROWS", 100)
        fast = _results(path, fast=True)
    assert fast == _results(path, fast=False)
    assert fast[-1][0] == "unreadable" and "encoding" in fast[-1][2]
    # every row decoded before it (the text is decoded some kilobytes ahead of the rows), the gathered ones too
    assert 101 < len(fast) <= 150 and all(o[1] is True for o in fast[:-1])


def test_rows_are_gathered_in_order_with_any_other_row_in_its_place():
    items = [(2, ["a", "b"], False), (3, ["c", "d"], False), (4, ["e"], False), (5, ["f", "g"], True),
             (6, ["h", "i"], False), (7, ["j", "k"], False), (8, ["l", "m"], False)]
    found = [item if type(item) is tuple else (item.lines, item.rows)
             for item in row_blocks.row_blocks(items, 2, size=2)]
    assert found == [([2, 3], [["a", "b"], ["c", "d"]]), (4, ["e"]), (5, ["f", "g"]),
                     ([6, 7], [["h", "i"], ["j", "k"]]), ([8], [["l", "m"]])]


@given(st.lists(st.text(alphabet=" \t\u3000#xa,", max_size=3), max_size=4))
def test_a_row_is_skipped_when_it_is_empty_or_blank_or_a_comment(row):
    from govspec.io.csv_blocks import skipped_row
    blank = all(not cell.strip() for cell in row)
    assert skipped_row(row) == (blank or row[0].lstrip().startswith("#"))
