"""The command line.  It only wires readers, the validator and reporters together.

Exit codes (README, docs/cli.md): 0 no error-level finding; 1 error-level findings;
2 usage error; 3 an input or spec could not be read.
"""

from __future__ import annotations

import json
import sys

import click

from . import registry, validator
from .compiler import CompiledSpec
from .errors import GovspecError
from .reporters import Unreadable, render_json, render_text
from .specview import spec_json, spec_list_json, spec_list_text, spec_text

EXIT_OK, EXIT_INVALID, EXIT_USAGE, EXIT_UNREADABLE = 0, 1, 2, 3


def _emit(text: str) -> None:
    click.echo(text, nl=not text.endswith("\n"))


def _fail(error: GovspecError) -> None:
    click.echo(f"govspec: {error}", err=True)
    sys.exit(error.exit_code)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="govspec")
def main() -> None:
    """govspec — 政府信息公开工作年度报告 checked against versioned specs."""


@main.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=True, path_type=str))
@click.option("--spec", "spec_id", metavar="ID|FILE", help="Spec id (or a spec YAML file); overrides the instance.")
@click.option("--version", "version", metavar="V", help="Template version, e.g. 2021; overrides the instance.")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.option("--lang", type=click.Choice(["zh", "en"]), default="zh", show_default=True)
def validate(files, spec_id, version, fmt, lang) -> None:
    """Validate report instances (JSON files) against their spec."""
    results = []
    for path in files:
        try:
            results.append(validator.validate(path, spec=spec_id, version=version))
        except GovspecError as error:
            results.append(Unreadable(path, error))
    _emit(render_json(results, lang) + "\n" if fmt == "json" else render_text(results, lang))
    if any(isinstance(r, Unreadable) for r in results):
        sys.exit(EXIT_UNREADABLE)
    sys.exit(EXIT_OK if all(r.valid for r in results) else EXIT_INVALID)


@main.group()
def spec() -> None:
    """List and show the specs govspec knows."""


@spec.command("list")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
def spec_list(fmt) -> None:
    """List the shipped specs and their versions."""
    try:
        specs = registry.shipped()
    except GovspecError as error:
        _fail(error)
    _emit(json.dumps(spec_list_json(specs), ensure_ascii=False, indent=2) + "\n" if fmt == "json"
          else spec_list_text(specs))


def _resolve_spec(ref: str) -> CompiledSpec:
    if ref.endswith((".yaml", ".yml")):
        return registry.load_path(ref)
    spec_id, _, version = ref.partition("@")
    return registry.find(spec_id, version).spec if version else registry.newest(spec_id)


@spec.command("show")
@click.argument("ref", metavar="ID[@VERSION]|FILE")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.option("--lang", type=click.Choice(["zh", "en"]), default="zh", show_default=True)
def spec_show(ref, fmt, lang) -> None:
    """Show every cell (id, type, label path) and every rule of a spec.

    Without @VERSION the newest version is shown (its version is printed)."""
    try:
        compiled = _resolve_spec(ref)
    except GovspecError as error:
        _fail(error)
    _emit(json.dumps(spec_json(compiled), ensure_ascii=False, indent=2) + "\n" if fmt == "json"
          else spec_text(compiled, lang))


if __name__ == "__main__":  # pragma: no cover
    main()
