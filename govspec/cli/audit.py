"""``govspec audit`` and ``govspec render``: a batch as one page, a report as its official tables."""

from __future__ import annotations

import datetime
import json
from contextlib import ExitStack

import click

from govspec import __version__
from govspec.check.accept import Acceptances
from govspec.check.accept import load as load_accepted
from govspec.check.batch import Validator
from govspec.check.report import validate_document
from govspec.cli.common import (
    STRICT_BLANKS_HELP,
    Progress,
    cannot_write,
    emit,
    fail,
    jobs_option,
    lang_option,
    output_option,
    template_version_option,
    verdict_exit,
    write_output,
)
from govspec.cli.stdin import open_inputs
from govspec.errors import GovspecError
from govspec.io.readers import read_one
from govspec.io.writers import check_outputs, write_all_atomic
from govspec.present.summary import Summary
from govspec.present.text_report import summary_line


@click.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=str, readable=False), metavar="FILE|DIR...")
@click.option("--html", "html_out", type=click.Path(dir_okay=False, path_type=str), help="Write the audit page here.")
@click.option("--json", "json_out", type=click.Path(dir_okay=False, path_type=str), help="Write the page's data here.")
@click.option("--accept", "accept_files", multiple=True, type=click.Path(path_type=str, readable=False), metavar="FILE",
              help="A YAML file of reviewed, accepted findings (repeatable).")
@lang_option
@click.option("--strict-blanks", is_flag=True, help=STRICT_BLANKS_HELP)
@click.option("--no-paths", is_flag=True,
              help="Leave the folders of the inputs out of the page and its data (for a page that is shared).")
@jobs_option
def audit(paths, html_out, json_out, accept_files, lang, strict_blanks, no_paths, jobs) -> None:
    """One self-contained HTML page for a batch: summary, chart, a table of reports, each report's tables."""
    if not html_out and not json_out:
        raise click.UsageError("give --html OUT.html and/or --json OUT.json")
    try:
        check_outputs([html_out, json_out], paths)
    except GovspecError as error:
        fail(error)
    try:
        acceptances = Acceptances([e for path in accept_files for e in load_accepted(path)]) if accept_files else None
    except GovspecError as error:
        fail(error)
    from govspec.present.audit import collect as audit_data  # the page's modules, when a page is made
    from govspec.present.audit import page as audit_page
    from govspec.present.audit import run_record, without_folders
    ticker = Progress()
    validator = Validator(accept=acceptances, keep_values=True, strict_blanks=strict_blanks, progress=ticker,
                          jobs=jobs)
    summary = Summary()
    given = list(paths)
    with ExitStack() as stack:
        paths = open_inputs(stack, paths)
        data = audit_data(validator.run(paths), lang, lambda: validator.without_previous,
                          acceptances.stale if acceptances else None, summary)
    ticker.done()
    data["run"] = run_record(given, data, datetime.datetime.now(datetime.timezone.utc), __version__)
    if no_paths:
        data = without_folders(data, given)
    files: list = []  # the page and its data are written together: never a new page beside an old JSON
    if html_out:
        files.append((html_out, audit_page(data)))
    if json_out:
        files.append((json_out, json.dumps({k: v for k, v in data.items() if k != "layouts"},
                                           ensure_ascii=False, indent=1) + "\n"))
    try:
        write_all_atomic(files)
    except OSError as exc:
        cannot_write(exc, str(files[0][0]))
    click.echo(summary_line(summary, lang) + "".join(f" → {t}" for t in (html_out, json_out) if t))
    verdict_exit(summary)


@click.command()
@click.argument("path", type=click.Path(path_type=str, readable=False), metavar="FILE")
@click.option("--format", "fmt", type=click.Choice(["html", "markdown", "docx", "xlsx"]), default="html",
              show_default=True, help="html, markdown: with the verdict and the cells of findings marked; docx, "
                                      "xlsx: the official tables to assemble or fill in (xlsx with live checks).")
@lang_option
@click.option("--spec", "spec_id", metavar="ID|FILE", help="Spec id (or a spec YAML file); overrides the report.")
@template_version_option("Template version; overrides the report.")
@output_option
def render(path, fmt, lang, spec_id, version, output) -> None:
    """Draw a report's tables as the template does, with the cells of each finding marked."""
    from govspec.present.render import plain_values, render_html, render_markdown  # when a report is drawn
    from govspec.present.word import report_docx
    from govspec.present.workbook import report_workbook
    with ExitStack() as stack:
        [source] = open_inputs(stack, [path])
        try:
            item = read_one(source)
            report = validate_document(item.document, item.source, spec_id, version, item.findings, keep_values=True)
        except GovspecError as error:
            fail(error)
    if fmt in ("docx", "xlsx"):
        document = plain_values(report, item.document)
        data = report_docx(report.spec, document) if fmt == "docx" else report_workbook(report.spec, document)
        write_output(data, output, (path,), f"a .{fmt} file")
        return
    page = render_html(report, item.document, lang) if fmt == "html" else render_markdown(report, item.document, lang)
    if output:
        write_output(page.encode("utf-8"), output, (path,))
    else:
        emit(page)
