"""A batch on several processes gives the reports, findings and order of one process (issue 12)."""

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import in_english, mixed_batch
from hypothesis import given, settings
from hypothesis import strategies as st

import govspec
import govspec.check.parallel as parallel
from govspec.check.batch import Validator
from govspec.cli.main import main
from govspec.present.json_report import report_json, unreadable_json

ROOT = Path(__file__).resolve().parent.parent
HUAIAN = json.loads((ROOT / "examples" / "huaian-city-2024.json").read_text(encoding="utf-8"))


@pytest.fixture()
def batch(tmp_path):
    return mixed_batch(tmp_path)


def _outcomes(validator: Validator, paths) -> list[str]:
    return [json.dumps(report_json(r, "en") if hasattr(r, "spec") else unreadable_json(r, "en"), sort_keys=True)
            for r in validator.run(paths)] + [str(validator.without_previous)]


def test_several_processes_give_the_results_of_one(batch, monkeypatch):
    monkeypatch.setattr(parallel, "SPLIT_BYTES", 20_000)  # a.jsonl is cut into ranges at line ends
    monkeypatch.setattr(parallel, "SMALL_BATCH", 0)
    assert any(u.end is not None and u.first > 1 for u in parallel.units(batch))
    one = _outcomes(Validator(jobs=1), batch)
    here = _outcomes(Validator(jobs=2, executor=parallel.InProcess()), batch)
    workers = _outcomes(Validator(jobs=2), batch)
    assert one == here == workers
    assert any('"duplicate-copy"' in o for o in one) and any('"previous_source": "' in o for o in one)
    assert any('"verdict": "unreadable"' in o for o in one)


def test_without_the_rules_across_reports_too(batch, monkeypatch):
    monkeypatch.setattr(parallel, "SMALL_BATCH", 0)
    assert _outcomes(Validator(jobs=1, across=False), batch) == _outcomes(Validator(jobs=2, across=False), batch)


def test_the_cli_gives_the_same_bytes_whatever_jobs(batch, monkeypatch):
    monkeypatch.setattr(parallel, "SMALL_BATCH", 0)
    monkeypatch.setattr(parallel, "SPLIT_BYTES", 20_000)
    for view in (["--format", "json"], ["--format", "text"], ["--format", "csv"], ["--only-problems"], ["-q"],
                 ["--format", "csv", "--only-problems"], ["--format", "json", "--no-across"], ["--no-across"]):
        outputs = {jobs: CliRunner().invoke(main, in_english(["validate", *batch, *view, "-j", jobs]))
                   for jobs in ("1", "2")}
        assert outputs["1"].exit_code == outputs["2"].exit_code == 3
        assert outputs["1"].stdout == outputs["2"].stdout


def _texts(results: list, form: tuple) -> list:
    """Each report's text as the writer of ``form`` writes it, in order: of entries a worker wrote, as it wrote them."""
    from govspec.check.written import Entries
    from govspec.present.entries import render
    texts: list = []
    for result in results:  # a worker's texts come in UTF-8
        texts.extend([text.decode("utf-8") for text in result.texts] if type(result) is Entries else
                     [render(result, *form) if hasattr(result, "spec") else result.source])
    return texts


def test_the_cli_gives_the_same_bytes_whatever_jobs_with_reviewed_findings_accepted(batch, monkeypatch, tmp_path):
    """With ``--accept`` every result is read back from the workers' blocks (an acceptance may change any report): a
    broken report explained again from what it waited as, with the text its worker wrote kept unless it changed."""
    monkeypatch.setattr(parallel, "SMALL_BATCH", 0)
    accepted = tmp_path / "accepted.yaml"
    accepted.write_text("accepted:\n  - report: {agency: 机关3, year: 2024}\n    rule: applications.balance\n"
                        "    reason: 已核实\n    reviewer: 张三\n    date: 2026-11-20\n", encoding="utf-8")
    for view in (["--format", "json"], ["--format", "text"]):
        outputs = {jobs: CliRunner().invoke(main, ["validate", *batch, *view, "--accept", str(accepted), "-j", jobs])
                   for jobs in ("1", "2")}
        assert outputs["1"].stdout == outputs["2"].stdout and "已核实" in outputs["2"].stdout


def test_the_reports_a_worker_wrote_are_written_as_they_came_unless_more_judged_them(batch, monkeypatch):
    """``Validator.results``: a stretch of reports that nothing else judged is given to the writer as their worker
    wrote them (their texts and tallies, not a ``Report`` read back or made again); their texts and share of the
    summary are those of the reports they stand for; the reports judged by the rules across reports, or whose copies
    are named, are read back and given with those findings."""
    from govspec.check.light import Judged
    from govspec.check.written import Entries
    from govspec.present.summary import Summary
    monkeypatch.setattr(parallel, "SMALL_BATCH", 0)
    monkeypatch.setattr(parallel, "SPLIT_BYTES", 20_000)
    for form, here in ((("json", "en"), False), (("text", "zh"), False), (("json", "zh"), True)):
        # local workers render the judged reports again (their pool kept); an executor given, here
        given = list(Validator(jobs=2, render=form, executor=parallel.InProcess() if here else None).results(batch))
        made = list(Validator(jobs=2, render=form).run(batch))
        entries = [result for result in given if type(result) is Entries]
        assert sum(map(len, (e.texts for e in entries))) > (10 if here else len(made) - 5)  # but the unreadable
        assert any(type(r) is Judged for r in given) == here  # a clean report the rules across reports judged
        assert _texts(given, form) == _texts(made, form)
        summaries = Summary(), Summary()
        for result in given:
            summaries[0].add_entries(result) if type(result) is Entries else summaries[0].add(result)
        for result in made:
            summaries[1].add(result)
        assert summaries[0] == summaries[1] and summaries[0].failed and summaries[0].unreadable
    assert not any(type(r) is Entries for r in Validator(jobs=2).results(batch))  # nothing rendered: nothing written
    assert not any(type(r) is Entries for r in Validator(jobs=2, render=("text", "en")).run(batch))


def test_local_workers_stay_to_render_the_judged_reports_again_and_stop_when_the_run_ends(batch, monkeypatch):
    """One pool of worker processes a run: it validates the units, then renders again the reports that the rules
    across reports judged (``Processes.keeps_workers``), and is shut down when the run ends — or is left."""
    import concurrent.futures

    pools: list = []

    class Counted(concurrent.futures.ProcessPoolExecutor):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            pools.append(self)
    made: list = []

    class Kept(parallel.Processes):
        def __init__(self, jobs):
            super().__init__(jobs)
            made.append(self)
    monkeypatch.setattr(concurrent.futures, "ProcessPoolExecutor", Counted)
    monkeypatch.setattr(parallel, "Processes", Kept)
    monkeypatch.setattr(parallel, "SMALL_BATCH", 0)
    list(Validator(jobs=2, render=("json", "en")).results(batch))
    assert len(pools) == 1 and len(made) == 1 and made[0]._pool is None  # both maps on one pool, shut down
    results = Validator(jobs=2, render=("json", "en")).results(batch)
    next(results)
    results.close()  # a run left before its end
    assert len(made) == 2 and made[1]._pool is None


def test_without_the_rules_across_reports_the_reports_come_from_their_worker_as_they_were_written(batch, monkeypatch):
    """Without the rules across reports, too, a worker's reports come as it wrote them: the writer is given them as
    they came, and ``run`` the reports they stand for."""
    from govspec.check.written import Entries
    monkeypatch.setattr(parallel, "SMALL_BATCH", 0)
    counted: list = []
    given = list(Validator(jobs=2, across=False, render=("json", "en"), progress=counted.append).results(batch))
    made = list(Validator(jobs=2, across=False).run(batch))
    assert sum(len(r.texts) for r in given if type(r) is Entries) > 40
    assert counted == sorted(counted) and counted[-1] == len(made)  # progress counts reports, not what carries them
    assert not any(type(r) is Entries for r in made)
    assert _texts(given, ("json", "en")) == _texts(made, ("json", "en"))


def test_jobs_is_a_number_or_auto():
    result = CliRunner().invoke(main, in_english(["validate", "examples", "-j", "0"]))
    assert result.exit_code == 2 and "auto" in result.output
    assert parallel.default_jobs() >= 1


def test_a_small_batch_stays_in_one_process(tmp_path):
    shutil.copy(ROOT / "examples" / "huaian-city-2024.json", tmp_path / "a.json")
    shutil.copy(ROOT / "examples" / "huaian-city-2024.json", tmp_path / "b.json")
    assert not parallel.worth_it(parallel.units([str(tmp_path)]), 2)


def test_a_large_json_lines_file_is_cut_into_ranges_of_the_size_asked_for(tmp_path):
    """``units(paths, split)``: ranges of about ``split`` bytes, cut at line ends, numbered from their first line (an
    export asks for smaller ranges than validating: its results carry every cell)."""
    path = tmp_path / "z.jsonl"
    line = json.dumps(HUAIAN, ensure_ascii=False).encode() + b"\n"
    path.write_bytes(line * 40)
    for split in (len(line) * 3, len(line) * 10):
        ranges = parallel.units([str(path)], split)
        assert ranges[0].start == 0 and ranges[-1].end == len(line) * 40
        assert all(a.end == b.start for a, b in zip(ranges, ranges[1:]))
        assert all(u.start % len(line) == 0 and u.first == u.start // len(line) + 1 for u in ranges)
        assert len(ranges) == -(-40 * len(line) // (split + len(line)))  # each range: ``split`` and the line it ends in
    assert parallel.units([str(path)]) == [parallel.Unit(str(path))]  # under SPLIT_BYTES: one unit


def test_small_data_files_one_after_another_are_one_unit_and_published_documents_are_not(tmp_path, monkeypatch):
    """A unit costs a worker some milliseconds, a small JSON file less than one: consecutive small data files are
    read as one unit (a folder of 2,000 reports took twice as long with two workers as with one), in order; a
    published document stays a unit of its own, a large JSON Lines file is still cut into ranges."""
    monkeypatch.setattr(parallel, "GROUP_FILES", 4)
    monkeypatch.setattr(parallel, "SPLIT_BYTES", 20_000)
    monkeypatch.setattr(parallel, "SMALL_BATCH", 0)
    folder = tmp_path / "reports"
    folder.mkdir()
    for index in range(9):
        document = dict(HUAIAN, report=dict(HUAIAN["report"], agency=f"机关{index}"))
        (folder / f"r{index}.json").write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    shutil.copy(ROOT / "tests" / "reference" / "hegang-justice-2020.md", folder / "r4b.md")
    (folder / "z.jsonl").write_text((json.dumps(HUAIAN, ensure_ascii=False) + "\n") * 12, encoding="utf-8")
    units = parallel.units([str(folder)])
    assert [len(u.files()) for u in units if u.end is None] == [4, 1, 1, 4]  # r0–r3, r4, r4b.md, r5–r8
    assert units[2].path.endswith("r4b.md") and sum(u.end is not None for u in units) > 1  # z.jsonl in ranges
    assert [f for u in units if u.end is None for f in u.files()] == sorted(str(p) for p in folder.glob("*.*")
                                                                        if p.suffix != ".jsonl")
    assert _outcomes(Validator(jobs=1), [folder]) == _outcomes(Validator(jobs=2), [folder])
    for unit in units:  # a dataset keeps its pieces by file: a group is read a file at a time
        assert [single.files() for single in unit.singles()] == ([(f,) for f in unit.files()] if unit.more else
                                                                 [unit.files()])


def test_a_compiled_spec_given_to_the_api_reaches_the_workers_by_its_file(batch, monkeypatch):
    monkeypatch.setattr(parallel, "SMALL_BATCH", 0)
    spec = govspec.load_spec("gov-info-disclosure", "2021")
    one = _outcomes(Validator(spec, jobs=1), batch)
    assert one == _outcomes(Validator(spec, jobs=2), batch)


def test_the_audit_page_data_is_the_same_whatever_jobs(batch, tmp_path, monkeypatch):
    monkeypatch.setattr(parallel, "SMALL_BATCH", 0)
    monkeypatch.setattr(parallel, "SPLIT_BYTES", 20_000)
    data = {}
    for jobs in ("1", "2"):
        out = tmp_path / f"audit{jobs}.json"
        result = CliRunner().invoke(main, ["audit", *batch, "--json", str(out), "-j", jobs])
        assert result.exit_code == 3, result.output
        data[jobs] = {k: v for k, v in json.loads(out.read_text(encoding="utf-8")).items() if k != "run"}
    assert data["1"] == data["2"]


@settings(max_examples=200, deadline=None)
@given(content=st.lists(st.sampled_from([b"a", b"bc", b"\n", b"\n\n", b"{}", b" "]), max_size=40).map(b"".join),
       cut=st.tuples(st.integers(0, 80), st.integers(0, 80)), block=st.integers(1, 7))
def test_a_byte_range_is_read_a_block_at_a_time_into_the_lines_the_whole_range_holds(content, cut, block):
    import io as streams

    from govspec.io import lines
    start, end = min(cut[0], len(content)), min(max(cut), len(content))
    parts = content[start:end].split(b"\n")  # the range read whole, split as iterating a file splits
    expected = [part + b"\n" for part in parts[:-1]] + ([parts[-1]] if parts[-1] else [])
    old, lines.RANGE_BLOCK = lines.RANGE_BLOCK, block
    try:
        assert list(lines.range_lines(streams.BytesIO(content), start, end)) == expected
        tail = content[start:].split(b"\n")
        assert list(lines.range_lines(streams.BytesIO(content), start, None)) == \
            [part + b"\n" for part in tail[:-1]] + ([tail[-1]] if tail[-1] else [])
    finally:
        lines.RANGE_BLOCK = old


def test_a_report_rendered_by_a_worker_is_rendered_again_once_it_has_more_findings():
    """Workers render each report for the writer (the main process only writes): a report the rules across
    reports add findings to is a new report, rendered again — never written with the worker's stale text."""
    import pickle
    from types import MappingProxyType

    from govspec.findings import Finding
    from govspec.present.entries import render
    report = govspec.validate(HUAIAN)
    text = render(report, "json", "en")
    assert render(report, "json", "en") is text  # kept
    back = pickle.loads(pickle.dumps(report))  # as a worker's block carries it
    assert render(back, "json", "en") == text and back == report  # a cache, not a field
    more = back.with_findings((Finding("duplicate-copy", "info", location="report", params=MappingProxyType(
        {"year": 2024, "count": 1, "sources": "b.json"})),))
    assert '"duplicate-copy"' in render(more, "json", "en") and '"duplicate-copy"' not in text
    assert render(report, "text", "zh") != render(report, "text", "en")


def test_a_worker_sends_its_texts_apart_from_the_results_which_get_them_back_when_read(batch, monkeypatch):
    """A report pickles without its texts (``Report.__getstate__``): a worker sends them once, apart, with what a
    summary counts of each, and a broken report as it waited (``Failing``: its Report was made to be rendered); a
    result read back from the block (one the rules across reports judged, or every one when an acceptance reads
    them) has its text again, and is not rendered once more."""
    import pickle

    from govspec.check.batch import validate_unit
    from govspec.check.light import Failing, Light
    from govspec.check.spool import Kept
    from govspec.present.entries import render
    report = govspec.validate(HUAIAN)
    render(report, "json", "en")
    assert "_rendered" in report.__dict__ and "_rendered" not in pickle.loads(pickle.dumps(report)).__dict__
    form = ("json", "en")
    block = validate_unit((parallel.Unit(str(Path(batch[0]) / "a.jsonl")), parallel.Options(render=form), True))
    kept = Kept(block.data, block.written, block.count)
    (written_form, encoded, tallies) = pickle.loads(block.written)
    assert written_form == form and len(encoded) == len(tallies) == block.count
    assert encoded[0] is not None and all(type(text) is bytes for text in encoded if text is not None)  # in UTF-8,
    texts = [text if text is None else text.decode("utf-8") for text in encoded]  # written as they are
    assert b'"source"' not in block.data  # the texts are not in the results
    results = list(kept.results())
    kinds = {type(result) for result in results}
    assert Light in kinds and Failing in kinds  # a broken report explained to be rendered: sent as it waited
    for result, text in zip(results, texts):
        if type(result) is Light:
            assert result.texts == ((form, text),) and render(result, *form) == text
        elif type(result) is Failing:  # explained again only when read back
            assert result.texts == ((form, text),)
            assert result.report(False).rendered(form, lambda _: "made again") == text


def test_no_fast_reads_each_range_of_a_json_lines_file_by_the_detailed_path(batch, monkeypatch):
    from govspec.check import jsonl
    monkeypatch.setattr(parallel, "SPLIT_BYTES", 20_000)
    monkeypatch.setattr(parallel, "SMALL_BATCH", 0)
    assert any(u.end is not None for u in parallel.units(batch))
    expected = _outcomes(Validator(jobs=1, fast=False), batch)
    monkeypatch.setattr(jsonl, "read_fast", lambda *a: pytest.fail("read by the fast path"))
    assert _outcomes(Validator(jobs=2, fast=False, executor=parallel.InProcess()), batch) == expected


def test_a_worker_runs_the_collector_of_cycles_as_seldom_as_one_process_does(tmp_path, monkeypatch):
    """A worker started anew — spawned, as on Windows and macOS, or a Dask worker — has Python's thresholds (700
    allocations), not those of the batch that forked it: its unit is validated under the batch's, set back after."""
    import gc

    from govspec.check import batch as batch_module
    from govspec.check.spool import COLLECT_EVERY
    seen = []

    def run_unit(self, unit, light=False):
        seen.append(gc.get_threshold()[0])
        return iter(())
    monkeypatch.setattr(Validator, "run_unit", run_unit)
    before = gc.get_threshold()
    gc.set_threshold(700, *before[1:])
    try:
        block = batch_module.validate_unit((parallel.Unit(str(tmp_path / "x.jsonl")), parallel.Options(), True))
        assert seen == [max(700, COLLECT_EVERY)] and block.count == 0
        assert gc.get_threshold()[0] == 700
    finally:
        gc.set_threshold(*before)
