"""The command line.  It only wires readers, the validator and reporters together.

Exit codes (README, docs/cli.md): 0 no error-level finding; 1 error-level findings;
2 usage error; 3 an input or spec could not be read.
"""

from __future__ import annotations

import dataclasses
import io
import json
import sys

import click

from govspec.spec import loader
from govspec.check.accept import Acceptances, load as load_accepted
from govspec.present.audit import collect as audit_data, page as audit_page
from govspec.check.batch import Validator
from govspec.io.readers import Unreadable, read_path
from govspec.present.render import render_html, render_markdown
from govspec.check.report import validate_document
from govspec.spec.compiler import CompiledSpec
from govspec.tools.diff import as_json as diff_json, as_markdown as diff_markdown, as_text as diff_text, diff
from govspec.errors import GovspecError
from govspec.cli.extract import run_extract
from govspec.tools.lint import lint_file
from govspec.spec.loader import meta_schema
from govspec.tools.migrate import migrate_paths, migration_report, write_migrated
from govspec.present.reporters import WRITERS
from govspec.io.instance_schema import instance_schema
from govspec.present.specview import spec_json, spec_list_json, spec_list_text, spec_text
from govspec.io.writers import blank_instance, to_csv_long, to_csv_wide, to_json, write_atomic

EXIT_OK, EXIT_INVALID, EXIT_USAGE, EXIT_UNREADABLE = 0, 1, 2, 3
PROGRESS_EVERY = 500


def _emit(text: str) -> None:
    click.echo(text, nl=not text.endswith("\n"))


def _fail(error: GovspecError) -> None:
    click.echo(f"govspec: {error}", err=True)
    sys.exit(error.exit_code)


def _stdout() -> io.TextIOBase:
    """Standard output as UTF-8 text, whatever the locale says."""
    stream = click.get_text_stream("stdout")
    if (getattr(stream, "encoding", "") or "").lower().replace("-", "") != "utf8" and hasattr(stream, "buffer"):
        return io.TextIOWrapper(stream.buffer, encoding="utf-8", newline="", write_through=True)
    return stream


def _progress(results):
    """Yield results, counting them on stderr when it is a terminal."""
    err = click.get_text_stream("stderr")
    if not err.isatty():
        yield from results
        return
    count = 0
    for count, result in enumerate(results, 1):
        if count % PROGRESS_EVERY == 0:
            err.write(f"\r… {count}")
            err.flush()
        yield result
    if count >= PROGRESS_EVERY:
        err.write(f"\r… {count}\n")


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="govspec")
def main() -> None:
    """govspec — 政府信息公开工作年度报告 checked against versioned specs."""


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=str), metavar="FILE|DIR...")
@click.option("--spec", "spec_id", metavar="ID|FILE", help="Spec id (or a spec YAML file); overrides the instance.")
@click.option("--version", "version", metavar="V", help="Template version, e.g. 2021; overrides the instance.")
@click.option("--format", "fmt", type=click.Choice(["text", "json", "csv"]), default="text", show_default=True)
@click.option("--lang", type=click.Choice(["zh", "en"]), default="zh", show_default=True)
@click.option("--no-fast", is_flag=True, help="Explain every report with the detailed path (slower; same verdicts).")
@click.option("--accept", "accept_files", multiple=True, type=click.Path(path_type=str), metavar="FILE",
              help="A YAML file of reviewed, accepted findings (repeatable).")
@click.option("--no-across", is_flag=True,
              help="Skip the rules across reports (saves ~200 bytes a report on very large single-year batches).")
def validate(paths, spec_id, version, fmt, lang, no_fast, accept_files, no_across) -> None:
    """Validate reports: JSON, JSON Lines, CSV (long or wide) files, or folders of them."""
    acceptances = None
    if accept_files:
        try:
            acceptances = Acceptances([entry for path in accept_files for entry in load_accepted(path)])
        except GovspecError as error:
            _fail(error)
    validator = Validator(spec_id, version, fast=not no_fast, accept=acceptances, across=not no_across)
    stale = acceptances.stale if acceptances else None
    summary = WRITERS[fmt](_progress(validator.run(paths)), _stdout(), lang, validator.across, stale)
    if summary.unreadable:
        sys.exit(EXIT_UNREADABLE)
    sys.exit(EXIT_INVALID if summary.failed else EXIT_OK)


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=str), metavar="FILE...")
@click.option("--format", "fmt", type=click.Choice(["json", "csv-long"]), default="json", show_default=True)
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=str),
              help="Write one file per report into this folder (never over an existing file).")
def extract(paths, fmt, out_dir) -> None:
    """Read published reports (text, Markdown, HTML) into instances, with where each value came from."""
    try:
        written = run_extract(paths, fmt, out_dir, _stdout())
    except GovspecError as error:
        _fail(error)
    sys.exit(EXIT_UNREADABLE if written.unreadable else EXIT_OK)


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=str), metavar="FILE|DIR...")
@click.option("--html", "html_out", type=click.Path(dir_okay=False, path_type=str), help="Write the audit page here.")
@click.option("--json", "json_out", type=click.Path(dir_okay=False, path_type=str), help="Write the page's data here.")
@click.option("--accept", "accept_files", multiple=True, type=click.Path(path_type=str), metavar="FILE",
              help="A YAML file of reviewed, accepted findings (repeatable).")
@click.option("--lang", type=click.Choice(["zh", "en"]), default="zh", show_default=True)
def audit(paths, html_out, json_out, accept_files, lang) -> None:
    """One self-contained HTML page for a batch: summary, chart, a table of reports, each report's tables."""
    if not html_out and not json_out:
        raise click.UsageError("give --html OUT.html and/or --json OUT.json")
    try:
        acceptances = Acceptances([e for path in accept_files for e in load_accepted(path)]) if accept_files else None
    except GovspecError as error:
        _fail(error)
    validator = Validator(accept=acceptances, keep_values=True)
    data = audit_data(_progress(validator.run(paths)), lang, validator.across,
                      acceptances.stale if acceptances else None)
    for target, text in ((html_out, audit_page(data) if html_out else None),
                         (json_out, json.dumps({k: v for k, v in data.items() if k != "layouts"},
                                               ensure_ascii=False, indent=1) + "\n" if json_out else None)):
        if target:
            write_atomic(target, text)
    s = data["summary"]
    click.echo(f"{s['reports']} reports: {s['valid']} valid, {s['invalid']} invalid, {s['unreadable']} unreadable"
               + "".join(f" → {t}" for t in (html_out, json_out) if t))
    if s["unreadable"]:
        sys.exit(EXIT_UNREADABLE)
    sys.exit(EXIT_INVALID if s["invalid"] or s["across"]["error"] else EXIT_OK)


@main.command()
@click.argument("path", type=click.Path(path_type=str), metavar="FILE")
@click.option("--format", "fmt", type=click.Choice(["html", "markdown"]), default="html", show_default=True)
@click.option("--lang", type=click.Choice(["zh", "en"]), default="zh", show_default=True)
@click.option("--spec", "spec_id", metavar="ID|FILE", help="Spec id (or a spec YAML file); overrides the report.")
@click.option("--version", "version", metavar="V", help="Template version; overrides the report.")
def render(path, fmt, lang, spec_id, version) -> None:
    """Draw a report's tables as the template does, with the cells of each finding marked."""
    try:
        item = next(iter(read_path(path)))
        if isinstance(item, Unreadable):
            raise item.error
        report = validate_document(item.document, item.source, spec_id, version, item.findings)
    except GovspecError as error:
        _fail(error)
    page = render_html(report, item.document, lang) if fmt == "html" else render_markdown(report, item.document, lang)
    _emit(page)


@main.command()
@click.option("--spec", "spec_id", default="gov-info-disclosure", show_default=True, metavar="ID|FILE")
@click.option("--version", "version", metavar="V", help="Template version (default: the newest).")
@click.option("--format", "fmt", type=click.Choice(["json", "csv-long", "csv-wide"]), default="json",
              show_default=True)
def template(spec_id, version, fmt) -> None:
    """Print a blank instance listing every cell, for an agency to fill in."""
    compiled = _spec_or_fail(spec_id, version)
    document = blank_instance(compiled)
    if fmt == "json":
        _emit(to_json(document))
        return
    text = to_csv_long(compiled, document) if fmt == "csv-long" else to_csv_wide(compiled, [document])
    out = _stdout()
    out.write("\ufeff" + text)  # UTF-8 with BOM: Excel and WPS open the Chinese labels correctly
    out.flush()


@main.command()
@click.option("--spec", "spec_id", default="gov-info-disclosure", show_default=True, metavar="ID|FILE")
@click.option("--version", "version", metavar="V", help="Template version (default: the newest).")
def schema(spec_id, version) -> None:
    """Print the JSON Schema (draft 2020-12) of instances of a spec version."""
    _emit(json.dumps(instance_schema(_spec_or_fail(spec_id, version)), ensure_ascii=False, indent=2) + "\n")


@main.group()
def spec() -> None:
    """List and show the specs govspec knows."""


@spec.command("list")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
def spec_list(fmt) -> None:
    """List the shipped specs and their versions."""
    try:
        specs = loader.shipped()
    except GovspecError as error:
        _fail(error)
    _emit(json.dumps(spec_list_json(specs), ensure_ascii=False, indent=2) + "\n" if fmt == "json"
          else spec_list_text(specs))


def _resolve_spec(ref: str, version: str | None = None) -> CompiledSpec:
    return loader.load(ref, version, newest=True).spec


def _spec_or_fail(ref: str, version: str | None = None) -> CompiledSpec:
    try:
        return _resolve_spec(ref, version)
    except GovspecError as error:
        _fail(error)


@spec.command("show")
@click.argument("ref", metavar="ID[@VERSION]|FILE")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.option("--lang", type=click.Choice(["zh", "en"]), default="zh", show_default=True)
def spec_show(ref, fmt, lang) -> None:
    """Show every cell (id, type, label path) and every rule of a spec.

    Without @VERSION the newest version is shown (its version is printed)."""
    compiled = _spec_or_fail(ref)
    _emit(json.dumps(spec_json(compiled), ensure_ascii=False, indent=2) + "\n" if fmt == "json"
          else spec_text(compiled, lang))


@spec.command("lint")
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=str))
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
def spec_lint(files, fmt) -> None:
    """Check spec files: meta-schema, references, and what the rules imply (exit 1 on errors)."""
    findings = [finding for path in files for finding in lint_file(path)]
    if fmt == "json":
        _emit(json.dumps({"govspec_lint": 1, "findings": [dataclasses.asdict(f) for f in findings]},
                         ensure_ascii=False, indent=2) + "\n")
    else:
        for finding in findings:
            click.echo(str(finding))
        errors = sum(1 for f in findings if f.severity == "error")
        click.echo(f"{len(files)} spec file(s): {errors} error(s), {len(findings) - errors} other finding(s)")
    sys.exit(EXIT_INVALID if any(f.severity == "error" for f in findings) else EXIT_OK)


@spec.command("diff")
@click.argument("old", metavar="A")
@click.argument("new", metavar="B")
@click.option("--format", "fmt", type=click.Choice(["text", "markdown", "json"]), default="text", show_default=True)
def spec_diff(old, new, fmt) -> None:
    """What changed from spec A to spec B (ID@VERSION or spec files)."""
    a, b = _spec_or_fail(old), _spec_or_fail(new)
    changes = diff(a, b)
    if fmt == "json":
        _emit(json.dumps(diff_json(a, b, changes), ensure_ascii=False, indent=2) + "\n")
    else:
        _emit(diff_markdown(a, b, changes) if fmt == "markdown" else diff_text(a, b, changes))


@spec.command("schema")
def spec_schema() -> None:
    """Print the meta-schema of spec files (JSON Schema draft-07), for editors and other tools."""
    _emit(json.dumps(meta_schema(), ensure_ascii=False, indent=2) + "\n")


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=str), metavar="FILE|DIR...")
@click.option("--to", "to_version", required=True, metavar="VERSION|FILE",
              help="The version to migrate to, or a spec file of a new version.")
@click.option("--spec", "spec_id", metavar="ID|FILE", help="Spec of the inputs, when they do not name it.")
@click.option("--version", "version", metavar="V", help="Version of the inputs, when they do not name it.")
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=str),
              help="Folder for the migrated reports (one JSON file each). Without it, one report goes to stdout.")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True,
              help="How to report what was moved, summed and dropped (on stderr; stdout with --out).")
@click.option("--lang", type=click.Choice(["zh", "en"]), default="zh", show_default=True)
def migrate(paths, to_version, spec_id, version, out_dir, fmt, lang) -> None:
    """Move reports to another version of their spec, as that version declares; never guesses."""
    try:
        results = list(migrate_paths(paths, to_version, spec_id, version))
    except GovspecError as error:
        _fail(error)
    migrated = [r for r in results if r.document is not None]
    if out_dir is None and len(migrated) > 1:
        raise click.UsageError("several reports: give --out DIR to write them")
    try:
        written = write_migrated(results, out_dir) if out_dir else {}
    except GovspecError as error:
        _fail(error)
    if out_dir is None and migrated:
        _emit(to_json(migrated[0].document))
    summary = migration_report(results, written, fmt, lang)
    click.echo(summary, err=out_dir is None, nl=False)
    sys.exit(EXIT_UNREADABLE if any(r.document is None for r in results) else EXIT_OK)


if __name__ == "__main__":  # pragma: no cover
    main()
