"""``govspec template`` and ``govspec schema``: blank reports to fill in, and the JSON Schema of reports."""

from __future__ import annotations

import json

import click

from govspec.cli.common import (
    emit,
    messages_lang_option,
    output_option,
    spec_or_fail,
    stdout,
    template_version_option,
    write_output,
)
from govspec.io.instance_schema import instance_schema
from govspec.io.writers import blank_instance, to_csv_long, to_csv_wide, to_json


@click.command()
@click.option("--spec", "spec_id", default="gov-info-disclosure", show_default=True, metavar="ID|FILE")
@template_version_option("Template version (default: the newest).")
@click.option("--format", "fmt", type=click.Choice(["json", "csv-long", "csv-wide", "xlsx"]), default="json",
              show_default=True, help="xlsx: the official tables as a workbook to fill in Excel or WPS, each "
                                      "identity a live check.")
@output_option
@messages_lang_option
def template(spec_id, version, fmt, output) -> None:
    """Print a blank instance listing every cell, for an agency to fill in."""
    compiled = spec_or_fail(spec_id, version)
    document = blank_instance(compiled)
    if fmt == "xlsx":
        from govspec.present.workbook import report_workbook  # openpyxl, when a workbook is asked for
        write_output(report_workbook(compiled, document), output, (), "an .xlsx file")
        return
    if fmt == "json":
        emit(to_json(document), output)
        return
    text = to_csv_long(compiled, document) if fmt == "csv-long" else to_csv_wide(compiled, [document])
    if output:
        emit("\ufeff" + text, output)
        return
    out = stdout()
    out.write("\ufeff" + text)  # UTF-8 with BOM: Excel and WPS open the Chinese labels correctly
    out.flush()


@click.command()
@click.option("--spec", "spec_id", default="gov-info-disclosure", show_default=True, metavar="ID|FILE")
@template_version_option("Template version (default: the newest).")
@output_option
@messages_lang_option
def schema(spec_id, version, output) -> None:
    """Print the JSON Schema (draft 2020-12) of instances of a spec version."""
    emit(json.dumps(instance_schema(spec_or_fail(spec_id, version)), ensure_ascii=False, indent=2) + "\n", output)
