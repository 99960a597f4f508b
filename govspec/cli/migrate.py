"""``govspec migrate``: reports moved to another template version, as the newer spec declares."""

from __future__ import annotations

import sys

import click

from govspec.cli.common import (
    EXIT_OK,
    EXIT_UNREADABLE,
    Progress,
    emit,
    fail,
    lang_option,
    output_option,
    template_version_option,
)
from govspec.errors import GovspecError
from govspec.io.writers import to_json
from govspec.tools.migration_files import migrate_paths, migration_report, write_migrated


@click.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=str, readable=False), metavar="FILE|DIR...")
@click.option("--to", "to_version", required=True, metavar="VERSION|FILE",
              help="The version to migrate to, or a spec file of a new version.")
@click.option("--spec", "spec_id", metavar="ID|FILE", help="Spec of the inputs, when they do not name it.")
@template_version_option("Version of the inputs, when they do not name it.")
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=str),
              help="Folder for the migrated reports (one JSON file each). Without it, one report goes to stdout.")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True,
              help="How to report what was moved, summed and dropped (on stderr; stdout with --out).")
@output_option
@lang_option
def migrate(paths, to_version, spec_id, version, out_dir, fmt, output, lang) -> None:
    """Move reports to another version of their spec, as that version declares; never guesses."""
    ticker = Progress()
    results = []
    try:
        for result in migrate_paths(paths, to_version, spec_id, version):
            results.append(result)
            ticker(len(results))
    except GovspecError as error:
        fail(error)
    ticker.done()
    migrated = [r for r in results if r.document is not None]
    if output and out_dir:
        raise click.UsageError("give -o FILE (one report) or --out DIR (one file per report), not both")
    if out_dir is None and len(migrated) > 1:
        raise click.UsageError("several reports: give --out DIR to write them")
    try:
        written = write_migrated(results, out_dir) if out_dir else {}
    except GovspecError as error:
        fail(error)
    if out_dir is None and migrated:
        emit(to_json(migrated[0].document), output, paths)
    summary = migration_report(results, written, fmt, lang)
    click.echo(summary, err=out_dir is None, nl=False)
    sys.exit(EXIT_UNREADABLE if any(r.document is None for r in results) else EXIT_OK)
