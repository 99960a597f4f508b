"""A large CSV-wide file cut into byte ranges for the worker processes of ``--jobs`` gives the results of reading it
whole: the same rows, texts, lines and findings, the rules across reports judged over the whole batch."""

import random

import pytest
from click.testing import CliRunner
from conftest import damaged_wide_lines
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_batch import outcome

import govspec
from govspec.check import parallel
from govspec.check.batch import Validator
from govspec.cli.main import main
from govspec.io import arrow_csv, csv_ranges, writers
from govspec.rules.solver import random_instance

SPEC21 = govspec.load_spec("gov-info-disclosure", "2021")
SPEC19 = govspec.load_spec("gov-info-disclosure", "2019")

TEXTS = ["", " 7", "３", "-1", "1.0", "0007", "9" * 19, "七", "0"]
ROWS = ["#注释", "", ",,,", " , ", "too,short", "a,b,c,d,e,f,g,h,i,j,k,l"]
# what keeps a file whole: a quote, a \r alone, a byte that is not text, a column twice, no report row near its start
POISONS = ["quote", "carriage return", "bad byte", "column twice", "no report near the start"]


@pytest.fixture(autouse=True)
def small_ranges(monkeypatch):
    monkeypatch.setattr(parallel, "SPLIT_BYTES", 8_000)  # CSV ranges of about 2,000 bytes (parallel.CSV_SHARE)
    monkeypatch.setattr(parallel, "SMALL_BATCH", 0)


def _results(path, jobs: int, fast: bool = True, arrow: bool = False, split: int = 8_000):
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(parallel, "SPLIT_BYTES", split)
        if arrow:
            patch.setattr(arrow_csv, "ARROW_FROM", 0)  # the ranges are small: Arrow reads them all the same
        else:
            patch.setattr(arrow_csv, "_arrow", None)
        executor = parallel.InProcess() if jobs > 1 else None
        validator = Validator(fast=fast, jobs=jobs, executor=executor)
        return [outcome(r) for r in validator.run([str(path)])] + [validator.without_previous]


def _file(folder, data, poison: str | None, count: int | None = None) -> str:
    spec = data.draw(st.sampled_from([SPEC19, SPEC21]))
    rng = random.Random(data.draw(st.integers(0, 1000)))
    documents = []
    if count is None:  # past the 64 KB that tell the encoding, for a byte that is not text
        count = 70 if poison == "bad byte" else data.draw(st.integers(8, 24))
    for number in range(count):
        document = random_instance(spec, rng)
        document["report"]["agency"] = f"机关{number % 5}"  # copies, and bodies met again
        documents.append(document)
    lines = damaged_wide_lines(spec, documents, data, TEXTS, rows=ROWS)
    ending = data.draw(st.sampled_from(["\n", "\r\n"]))
    encoding = data.draw(st.sampled_from(["utf-8", "utf-8-sig", "gb18030"]))
    at = data.draw(st.integers(len(lines) // 2, len(lines) - 1))  # past the first range
    if poison == "quote":
        lines[at] += ',"x"'  # a field more: that row is the detailed path's
    elif poison == "carriage return":
        lines[at] += "\r" + lines[at]
    elif poison == "column twice":
        lines[0] += "," + lines[0].split(",")[7]  # a cell's id (the header holds no quote)
        lines[2:] = [line + ",0" for line in lines[2:]]
    elif poison == "no report near the start":
        lines[1:1] = ["#"] * (csv_ranges.LOOK + 1)
    text = (ending.join(lines) + ending).encode(encoding)
    if poison == "bad byte":
        cut = text.index(b"\n", len(text) - 2_000) + 1
        assert cut > 1 << 16
        text = text[:cut] + b"\xff" + text[cut:]
    path = folder / "w.csv"
    path.write_bytes(text)
    return str(path)


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_a_file_cut_into_ranges_gives_the_results_of_reading_it_whole(tmp_path_factory, data):
    """Odd texts in counts, comment, empty, short and long rows, copies and bodies met again across the ranges, three
    encodings, both line ends: the ranges read by the ``csv`` module or by Arrow, on the fast path or not."""
    split = data.draw(st.sampled_from([8_000, 160_000]))  # ranges of some 2 KB, or of 40 KB: the first holds reports
    # 100 reports or more for the larger ranges: at least two of them in any encoding (70 in GB18030, whose labels
    # take two bytes a character, made a file under 40 KB: one range)
    path = _file(tmp_path_factory.mktemp("ranges"), data, None, data.draw(st.integers(100, 120)) if split > 8_000 else None)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(parallel, "SPLIT_BYTES", split)
        units = parallel.units([path])
    assert len(units) >= 2 and all(unit.end is not None for unit in units)
    arrow, fast = data.draw(st.booleans()), data.draw(st.booleans())
    assert _results(path, 2, fast=fast, arrow=arrow, split=split) == _results(path, 1)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data(), st.sampled_from(POISONS))
def test_a_file_that_cannot_be_read_a_range_at_a_time_is_read_whole(tmp_path_factory, data, poison):
    """A quoted field (it may run over lines), a ``\\r`` alone (a line end to the ``csv`` module), a byte that is not
    text (the file's results end there), a column twice (the file is unreadable), no report row near the start (the
    file may have none): one unit, as before — and the same results whatever ``--jobs``."""
    path = _file(tmp_path_factory.mktemp("whole"), data, poison)
    assert [(unit.start, unit.end) for unit in parallel.units([path])] == [(0, None)]
    assert _results(path, 1) == _results(path, 2)


def test_the_cli_writes_the_same_bytes_whatever_jobs(tmp_path, monkeypatch):
    """Worker processes reading ranges (Arrow, where installed, for ranges of 2 MB and more: not these)."""
    rng = random.Random(3)
    documents = [random_instance(SPEC21, rng) for _ in range(60)]
    for number, document in enumerate(documents):
        document["report"]["agency"] = f"机关{number % 25}"
    documents[7]["tables"]["applications"]["received"]["total"] += 1
    path = tmp_path / "w.csv"
    path.write_text(writers.to_csv_wide(SPEC21, documents), encoding="utf-8")
    assert len(parallel.units([str(path)])) > 5
    outputs = [CliRunner().invoke(main, ["validate", str(path), "--format", "json", "-j", jobs]) for jobs in "12"]
    assert outputs[0].exit_code == outputs[1].exit_code == 1  # a report failed
    assert outputs[0].stdout == outputs[1].stdout and '"duplicate-report"' in outputs[0].stdout


def test_an_export_reads_a_csv_file_whole(tmp_path):
    rng = random.Random(4)
    path = tmp_path / "w.csv"
    path.write_text(writers.to_csv_wide(SPEC21, [random_instance(SPEC21, rng) for _ in range(30)]), encoding="utf-8")
    assert len(parallel.units([str(path)])) > 1
    assert len(parallel.units([str(path)], csv=False)) == 1


def test_arrow_reads_each_range_as_it_reads_a_whole_file(tmp_path, monkeypatch):
    """Where pyarrow is installed, a range of 2 MB and more is read by Arrow (here: any), its rows on the lines
    reading the whole file gives them — the first range's after the header and the labels."""
    pytest.importorskip("pyarrow")
    rng = random.Random(5)
    documents = [random_instance(SPEC21, rng) for _ in range(80)]
    documents[3]["tables"]["applications"]["received"]["total"] += 1
    path = tmp_path / "w.csv"
    path.write_text(writers.to_csv_wide(SPEC21, documents), encoding="utf-8")
    ranges = []
    blocks = arrow_csv.blocks

    def counted(*args):
        for block in blocks(*args):
            ranges.append((args[3], block.first_line))
            yield block
    monkeypatch.setattr(arrow_csv, "blocks", counted)
    split = 160_000
    assert len(parallel.units([str(path)], split)) >= 2
    assert _results(path, 2, arrow=True, split=split) == _results(path, 1)
    assert ranges and ranges[0] == (0, 2)  # the header's line left out, the labels' row read (and skipped)
