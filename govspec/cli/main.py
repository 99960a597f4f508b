"""The ``govspec`` command group.  Each command lives in the module of its group and only wires readers,
checks and reporters together.

Exit codes (README, docs/cli.md): 0 no error-level finding; 1 error-level findings;
2 usage error; 3 an input or spec could not be read.
"""

from __future__ import annotations

import click

from govspec.cli import audit, extract, migrate, spec, templates, validate


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="govspec")
def main() -> None:
    """govspec — 政府信息公开工作年度报告 checked against versioned specs."""


for command in (validate.validate, extract.extract, audit.audit, audit.render, templates.template,
                templates.schema, spec.spec, migrate.migrate):
    main.add_command(command)


if __name__ == "__main__":  # pragma: no cover
    main()
