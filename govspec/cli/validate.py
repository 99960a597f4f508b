"""``govspec validate``: check reports, one file or a province's batch."""

from __future__ import annotations

from contextlib import ExitStack

import click

from govspec.check.batch import Validator
from govspec.cli.common import (
    STRICT_BLANKS_HELP,
    Progress,
    executor_for,
    fail,
    jobs_option,
    lang_option,
    output_option,
    output_stream,
    scheduler_option,
    template_version_option,
    verdict_exit,
)
from govspec.cli.stdin import open_inputs
from govspec.errors import GovspecError
from govspec.present.entries import FORMS
from govspec.present.reporters import WRITERS


@click.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=str, readable=False), metavar="FILE|DIR...")
@click.option("--spec", "spec_id", metavar="ID|FILE", help="Spec id (or a spec YAML file); overrides the instance.")
@template_version_option("Template version, e.g. 2021; overrides the instance.")
@click.option("--format", "fmt", type=click.Choice(["text", "json", "csv"]), default="text", show_default=True)
@lang_option
@click.option("--no-fast", is_flag=True, help="Explain every report with the detailed path (slower; same verdicts).")
@click.option("--accept", "accept_files", multiple=True, type=click.Path(path_type=str, readable=False), metavar="FILE",
              help="A YAML file of reviewed, accepted findings (repeatable).")
@click.option("--no-across", is_flag=True,
              help="Skip the rules across reports (reports are then written as soon as they are checked).")
@click.option("--strict-blanks", is_flag=True, help=STRICT_BLANKS_HELP)
@click.option("--only-problems", is_flag=True,
              help="Show only the reports that did not pass (failed, incomplete, unreadable); text and csv.")
@click.option("-q", "--quiet", is_flag=True, help="Print the summary line alone (text); the exit code says the rest.")
@click.option("--previous", "previous", multiple=True, type=click.Path(file_okay=False, path_type=str),
              metavar="DATASET", help="A dataset of earlier reports (govspec export) that the rules across reports "
                                      "read too: last year's carry-over, copies (repeatable; needs govspec[dataset]).")
@output_option
@jobs_option
@scheduler_option
def validate(paths, spec_id, version, fmt, lang, no_fast, accept_files, no_across, strict_blanks, only_problems,
             quiet, previous, output, jobs, scheduler) -> None:
    """Validate reports: JSON, JSON Lines, CSV (long or wide), published reports (PDF, Word, Excel/WPS,
    HTML, Markdown, text), .zip files, folders of them, or - (standard input).

    Each report is passed, failed, or incomplete (an error-level check could not be evaluated). Exit
    codes: 0 all passed, 1 a report failed, 4 none failed but one is incomplete, 3 an input is unreadable."""
    if previous and no_across:
        raise click.UsageError("--previous is read by the rules across reports, which --no-across leaves out")
    if (only_problems and fmt == "json") or (quiet and fmt != "text"):
        raise click.UsageError("--only-problems is for text and csv output, --quiet for text; the JSON report "
                               "is always complete")
    views = {"only_problems": only_problems} if fmt == "csv" else {"only_problems": only_problems, "quiet": quiet} \
        if fmt == "text" else {}
    acceptances = None
    if accept_files:
        try:
            from govspec.check.accept import Acceptances, load  # reviewed findings: only when some are given
            acceptances = Acceptances([entry for path in accept_files for entry in load(path)])
        except GovspecError as error:
            fail(error)
    ticker = Progress()
    with ExitStack() as stack:
        validator = Validator(spec_id, version, fast=not no_fast, accept=acceptances, across=not no_across,
                              strict_blanks=strict_blanks, progress=ticker, jobs=jobs,
                              executor=executor_for(stack, scheduler), render=(fmt, lang) if fmt in FORMS and not quiet else None)
        if previous:
            from govspec.dataset import judge_against
            try:
                for dataset in previous:
                    judge_against(validator, dataset)
            except GovspecError as error:
                fail(error)
        stale = acceptances.stale if acceptances else None
        out = output_stream(stack, output, paths)
        paths = open_inputs(stack, paths)
        summary = WRITERS[fmt](validator.results(paths), out, lang, lambda: validator.without_previous, stale, **views)
    ticker.done()
    verdict_exit(summary)
