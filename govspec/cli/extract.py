"""``govspec extract``: published reports in, instances with provenance out (stdout or a folder)."""

from __future__ import annotations

import io
import json
import os
import sys
from collections.abc import Iterator
from contextlib import ExitStack
from pathlib import Path

import click

from govspec.cli.common import (
    EXIT_OK,
    EXIT_UNREADABLE,
    Progress,
    chosen_lang,
    fail,
    messages_lang_option,
    output_option,
    output_stream,
    stdout,
)
from govspec.cli.stdin import open_inputs
from govspec.errors import GovspecError, InstanceError
from govspec.io.csv_keys import instance_keys
from govspec.io.instance import shown
from govspec.io.kinds import (
    EXTRACT_RECORD,
    EXTRACT_RECORD_VERSION,
    NO_PUBLISHED_FILE,
    NO_PUBLISHED_FILE_ZH,
    PUBLISHED,
    UNREAD_DOCUMENTS,
)
from govspec.io.readers import expand
from govspec.io.values import SafeCsv
from govspec.io.writers import check_outputs, write_atomic
from govspec.records import record


@record(frozen=False)
class Written:
    reports: int = 0
    unreadable: int = 0


def _csv_long(record: dict) -> str:
    """``cell,value,source``: the instance as CSV long, each value with where it was read."""
    out = io.StringIO()
    writer = SafeCsv(out)
    writer.writerow(["cell", "value", "source"])
    instance = record["instance"]
    writer.writerow(["spec", instance["spec"], ""])
    writer.writerow(["version", instance["version"], record["template_basis"] or ""])
    for key, value in instance["report"].items():
        where = record["provenance"].get(f"report.{key}")  # a fact the page states: where it was read
        writer.writerow([f"report.{key}", "" if value is None else value,
                         f"{where.get('where', '')}: {where.get('text', '')}" if where else ""])
    for table, rows in instance["tables"].items():
        for row, columns in rows.items():
            for column, value in columns.items():
                cell = f"{table}.{row}.{column}"
                where = record["provenance"].get(cell, {})
                writer.writerow([cell, "" if value is None else value,
                                 f"{where.get('where', '')}: {where.get('text', '')}"])
    for key, value in instance_keys(instance):  # what was not seen, and a variant's printed values: kept, so that
        where = record["provenance"].get(key)  # the CSV validates as the document did (never "passed" for less)
        writer.writerow([key, value, f"{where.get('where', '')}: {where.get('text', '')}" if where else ""])
    return out.getvalue()


def _files(paths) -> Iterator[tuple[str, str, GovspecError | None]]:
    """Each input file, and the published report files of each folder (recursively, sorted), with the sub-folder
    of the folder given that holds it (where ``--out`` writes its record); a folder that holds none is itself an
    input that cannot be read."""
    for path in paths:
        if not os.path.isdir(path):
            yield path, "", None
            continue
        inside = list(expand([path], PUBLISHED + UNREAD_DOCUMENTS))
        yield from ((file, os.path.relpath(os.path.dirname(file), path), None) for file in inside)
        if not inside:
            yield path, "", InstanceError(NO_PUBLISHED_FILE, zh=NO_PUBLISHED_FILE_ZH, source=path)


def run_extract(paths, fmt: str, out_dir: str | None, stdout, progress=None) -> Written:
    from govspec.extract import as_json, extract_file, no_known_table  # the readers of documents, when needed
    records, written, under = [], Written(), {}
    for count, (path, place, error) in enumerate(_files(paths), 1):
        under[str(path)] = under[shown(path)] = place
        if progress is not None:
            progress(count)
        try:
            if error is not None:
                raise error
            result = extract_file(path)
        except GovspecError as error:
            records.append({"source": shown(path), "error": str(error)})  # English: a data file for programs
            written.unreadable += 1
            if out_dir is not None:  # nothing is written for it: said here
                click.echo(f"govspec: {error.text(chosen_lang())}", err=True)
            continue
        record = as_json(result)
        if record["instance"] is None:
            record["error"] = "no table of a known template found in the text"
            written.unreadable += 1
            if out_dir is not None:
                click.echo(f"govspec: {no_known_table(record['source']).text(chosen_lang())}", err=True)
        records.append(record)
        written.reports += 1
    if out_dir is None:
        if fmt == "json":
            stdout.write(json.dumps({EXTRACT_RECORD: EXTRACT_RECORD_VERSION, "reports": records}, ensure_ascii=False,
                                    indent=2) + "\n")
        else:
            stdout.write("\ufeff")  # as the CSV templates: Excel and WPS read it as UTF-8
            for record in records:
                if record.get("instance"):
                    stdout.write(_csv_long(record))
        return written
    folder = Path(out_dir)
    folder.mkdir(parents=True, exist_ok=True)
    suffix = ".extract.json" if fmt == "json" else ".extract.csv"
    targets = {r["source"]: folder / under.get(r["source"], "") / (Path(r["source"]).stem + suffix)
               for r in records if r.get("instance")}
    check_outputs([str(t) for t in targets.values()], paths)
    for target in targets.values():
        if target.exists():
            raise InstanceError("will not overwrite an existing file; choose another --out folder",
                                zh="不会覆盖已有文件；请另选 --out 文件夹", source=str(target))
    for record in records:
        if record["source"] in targets:
            text = (json.dumps({EXTRACT_RECORD: EXTRACT_RECORD_VERSION, **record}, ensure_ascii=False, indent=2) + "\n"
                    if fmt == "json" else _csv_long(record))
            targets[record["source"]].parent.mkdir(parents=True, exist_ok=True)  # a sub-folder of a folder given
            write_atomic(targets[record["source"]], text, encoding="utf-8-sig" if fmt != "json" else "utf-8")
            stdout.write(f"{record['source']} → {targets[record['source']]}\n")
    return written


@click.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=str, readable=False), metavar="FILE...")
@click.option("--format", "fmt", type=click.Choice(["json", "csv-long"]), default="json", show_default=True)
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=str),
              help="Write one file per report into this folder (never over an existing file).")
@output_option
@messages_lang_option
def extract(paths, fmt, out_dir, output) -> None:
    """Read published reports (PDF, Word, Excel/WPS, HTML, Markdown, text) into instances, with where each
    value came from."""
    if output and out_dir:
        raise click.UsageError("give -o FILE (one document) or --out DIR (one file per report), not both")
    with ExitStack() as stack:
        out = output_stream(stack, output, paths) if not out_dir else stdout()
        paths = open_inputs(stack, paths)
        ticker = Progress()
        try:
            written = run_extract(paths, fmt, out_dir, out, ticker)
        except GovspecError as error:
            fail(error)
        ticker.done()
    sys.exit(EXIT_UNREADABLE if written.unreadable else EXIT_OK)
