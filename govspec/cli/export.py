"""``govspec export``: reports in, a dataset out (Parquet tables; a DuckDB file and CSV on request)."""

from __future__ import annotations

import os
from contextlib import ExitStack

import click

from govspec.check.accept import Acceptances
from govspec.check.accept import load as load_accepted
from govspec.cli.common import (
    STRICT_BLANKS_HELP,
    Progress,
    chosen_lang,
    executor_for,
    fail,
    jobs_option,
    lang_option,
    scheduler_option,
    stdout,
    template_version_option,
)
from govspec.errors import GovspecError
from govspec.io.writers import check_outputs

WORDS = {
    "zh": {"files": "输入文件：新增 {added}，更新 {replaced}，删除 {dropped}，未变 {kept}",
           "rejudged": "（govspec、规范或选项已变，全部重新检查）",
           "reports": "报告 {reports} 份：通过 {passed}，不通过 {failed}，未完成检查 {incomplete}，无法读取 {unreadable}",
           "written": "已写入", "lone": "另有 {n} 份报告没有同一机关上一年度的报告，跨年度规则无法检查"},
    "en": {"files": "input files: {added} new, {replaced} changed, {dropped} deleted, {kept} unchanged",
           "rejudged": " (govspec, a spec or an option changed: everything judged again)",
           "reports": "{reports} reports: {passed} passed, {failed} failed, {incomplete} incomplete, {unreadable} unreadable",
           "written": "written",
           "lone": "{n} reports have no report of the same body for the year before: rules across reports not checkable"},
}


@click.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=str, readable=False), metavar="FILE|DIR...")
@click.option("--to", "dataset", required=True, type=click.Path(file_okay=False, path_type=str), metavar="DATASET",
              help="The dataset folder: made, or brought up to date with the inputs.")
@click.option("--spec", "spec_id", metavar="ID|FILE", help="Spec id (or a spec YAML file); overrides the instance.")
@template_version_option("Template version, e.g. 2021; overrides the instance.")
@click.option("--accept", "accept_files", multiple=True, type=click.Path(path_type=str, readable=False), metavar="FILE",
              help="A YAML file of reviewed, accepted findings (repeatable).")
@click.option("--strict-blanks", is_flag=True, help=STRICT_BLANKS_HELP)
@click.option("--verify", is_flag=True, help="Tell unchanged inputs by their content, not their size and time.")
@click.option("--duckdb", "duckdb_file", type=click.Path(dir_okay=False, path_type=str), metavar="FILE",
              help="Also write the tables and the wide view into this DuckDB database file.")
@click.option("--csv", "csv_folder", type=click.Path(file_okay=False, path_type=str), metavar="DIR",
              help="Also write reports.csv, cells.csv, findings.csv and wide.csv (UTF-8 with BOM) into DIR.")
@lang_option
@jobs_option
@scheduler_option
def export(paths, dataset, spec_id, version, accept_files, strict_blanks, verify, duckdb_file, csv_folder, lang, jobs,
           scheduler) -> None:
    """Export reports (any input validate reads) to a dataset of Parquet tables — reports, cells, findings —
    for DuckDB, pandas and Spark; run again, it reads only new and changed inputs.

    Exit codes: 0 the dataset was written (whatever the verdicts: they are in it); 3 an input list, a
    dataset or an output could not be used, or the dataset extra is missing."""
    from govspec.dataset.needs import returning_allocator
    returning_allocator()  # before pyarrow is imported
    from govspec.dataset import Options, csv_files, write_csv, write_duckdb
    from govspec.dataset import export as run_export
    from govspec.dataset.update import inside
    from govspec.dataset.views import check_duckdb_file
    if "-" in paths:
        raise click.UsageError("standard input (-) cannot be exported: a dataset keeps each report's file, to tell "
                               "next time whether it changed or was deleted; save the input to a file and export that")
    if csv_folder and any(os.path.isdir(p) and inside(os.path.abspath(csv_folder), os.path.abspath(p))
                          for p in paths):
        raise click.UsageError("--csv DIR is inside a folder being exported: its CSV files would be read as reports "
                               "by the next run; choose a folder outside the inputs")
    try:
        check_outputs([duckdb_file, *csv_files(csv_folder)], paths)
        if duckdb_file:
            check_duckdb_file(duckdb_file)  # before the export, not after it
        acceptances = Acceptances([e for path in accept_files for e in load_accepted(path)]) if accept_files else None
    except GovspecError as error:
        fail(error)
    ticker = Progress()
    with ExitStack() as stack:
        options = Options(spec_id, version, strict_blanks, tuple(accept_files), verify, jobs,
                          executor_for(stack, scheduler))
        try:
            outcome = run_export(paths, dataset, options, acceptances, progress=ticker)
            ticker.done()
            if duckdb_file:
                write_duckdb(dataset, duckdb_file)
            written = write_csv(dataset, csv_folder) if csv_folder else []
        except GovspecError as error:
            fail(error)
    words = WORDS[chosen_lang()]
    out = stdout()
    out.write(f"{dataset}: " + words["files"].format(**vars(outcome)) + (words["rejudged"] if outcome.rejudged else "")
              + "\n")
    counts = {v: outcome.verdicts.get(v, 0) for v in ("passed", "failed", "incomplete", "unreadable")}
    out.write("  " + words["reports"].format(reports=outcome.reports, **counts) + "\n")
    if outcome.without_previous:
        out.write("  " + words["lone"].format(n=outcome.without_previous) + "\n")
    for path in ([duckdb_file] if duckdb_file else []) + written:
        out.write(f"  {words['written']}: {path}\n")
