"""``govspec spec …``: list, show, lint, diff the specs, and print their meta-schema."""

from __future__ import annotations

import dataclasses
import json
import sys

import click

from govspec.cli.common import EXIT_INVALID, EXIT_OK, emit, fail, lang_option, messages_lang_option, output_option, spec_or_fail
from govspec.errors import GovspecError
from govspec.present.specview import spec_json, spec_list_json, spec_list_text, spec_text
from govspec.spec import loader
from govspec.spec.loader import meta_schema
from govspec.tools.diff import as_json as diff_json
from govspec.tools.diff import as_markdown as diff_markdown
from govspec.tools.diff import as_text as diff_text
from govspec.tools.diff import diff


@click.group()
def spec() -> None:
    """List and show the specs govspec knows."""


@spec.command("list")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@output_option
@messages_lang_option
def spec_list(fmt, output) -> None:
    """List the shipped specs and their versions."""
    try:
        specs = loader.shipped()
    except GovspecError as error:
        fail(error)
    emit(json.dumps(spec_list_json(specs), ensure_ascii=False, indent=2) + "\n" if fmt == "json"
         else spec_list_text(specs), output)


@spec.command("show")
@click.argument("ref", metavar="ID[@VERSION]|FILE")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@lang_option
@output_option
def spec_show(ref, fmt, lang, output) -> None:
    """Show every cell (id, type, label path) and every rule of a spec.

    Without @VERSION the newest version is shown (its version is printed)."""
    compiled = spec_or_fail(ref)
    emit(json.dumps(spec_json(compiled), ensure_ascii=False, indent=2) + "\n" if fmt == "json"
         else spec_text(compiled, lang), output, (ref,))


@spec.command("lint")
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=str, readable=False))
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@output_option
@messages_lang_option
def spec_lint(files, fmt, output) -> None:
    """Check spec files: meta-schema, references, and what the rules imply (exit 1 on errors)."""
    from govspec.tools.lint import lint_file  # here: reads YAML (PyYAML), which the other commands do not
    findings = [finding for path in files for finding in lint_file(path)]
    if fmt == "json":
        emit(json.dumps({"govspec_lint": 1, "findings": [dataclasses.asdict(f) for f in findings]},
                        ensure_ascii=False, indent=2) + "\n", output, files)
    else:
        errors = sum(1 for f in findings if f.severity == "error")
        emit("".join(f"{finding}\n" for finding in findings) +
             f"{len(files)} spec file(s): {errors} error(s), {len(findings) - errors} other finding(s)\n", output, files)
    sys.exit(EXIT_INVALID if any(f.severity == "error" for f in findings) else EXIT_OK)


@spec.command("diff")
@click.argument("old", metavar="A")
@click.argument("new", metavar="B")
@click.option("--format", "fmt", type=click.Choice(["text", "markdown", "json"]), default="text", show_default=True)
@output_option
@messages_lang_option
def spec_diff(old, new, fmt, output) -> None:
    """What changed from spec A to spec B (ID@VERSION or spec files)."""
    a, b = spec_or_fail(old), spec_or_fail(new)
    changes = diff(a, b)
    if fmt == "json":
        emit(json.dumps(diff_json(a, b, changes), ensure_ascii=False, indent=2) + "\n", output, (old, new))
    else:
        emit(diff_markdown(a, b, changes) if fmt == "markdown" else diff_text(a, b, changes), output, (old, new))


@spec.command("schema")
@output_option
@messages_lang_option
def spec_schema(output) -> None:
    """Print the meta-schema of spec files (JSON Schema draft-07), for editors and other tools."""
    emit(json.dumps(meta_schema(), ensure_ascii=False, indent=2) + "\n", output)
