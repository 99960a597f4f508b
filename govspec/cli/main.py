"""The ``govspec`` command group.  Each command lives in the module of its group and only wires readers,
checks and reporters together.

Exit codes (README, docs/cli.md): 0 every report passed; 1 a report failed; 2 usage error; 3 an input or
spec could not be read, or an output could not be written; 4 no report failed but one is incomplete.
"""

from __future__ import annotations

import importlib
import os
import sys

import click

from govspec.cli.common import EXIT_UNREADABLE

# Each command, and the module that wires it: imported when the command is run (or listed by --help), so
# that ``govspec validate one.json`` does not pay for the audit page, the documents readers or numpy.
COMMANDS = {
    "validate": ("govspec.cli.validate", "validate"),
    "extract": ("govspec.cli.extract", "extract"),
    "audit": ("govspec.cli.audit", "audit"),
    "render": ("govspec.cli.audit", "render"),
    "template": ("govspec.cli.templates", "template"),
    "schema": ("govspec.cli.templates", "schema"),
    "spec": ("govspec.cli.spec", "spec"),
    "migrate": ("govspec.cli.migrate", "migrate"),
    "export": ("govspec.cli.export", "export"),
}


class _Group(click.Group):
    """The command group, its commands loaded when used, with the failures of writing output turned into
    messages and exit code 3."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return list(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in COMMANDS:
            return None
        module, name = COMMANDS[cmd_name]
        command = getattr(importlib.import_module(module), name)
        assert isinstance(command, click.Command)
        return command

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except BrokenPipeError:  # the reader of standard output went away (``| head``): stop quietly
            _silence_stdout()
            ctx.exit(EXIT_UNREADABLE)
        except OSError as exc:  # a full disk, a folder that cannot be written
            where = f"{exc.filename}: " if exc.filename else ""
            what = "无法写入" if ctx.meta.get("govspec.lang", "zh") == "zh" else "cannot write"
            click.echo(f"govspec: {where}{what}: {exc.strerror or exc}", err=True)
            ctx.exit(EXIT_UNREADABLE)


def _silence_stdout() -> None:
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):  # no real file descriptor (a test runner's stream)
        pass


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="govspec")
def main() -> None:
    """govspec — 政府信息公开工作年度报告 checked against versioned specs."""


if __name__ == "__main__":  # pragma: no cover
    main()
