"""``python -m govspec``: the command line, for machines where the ``govspec`` script is not on PATH."""

from govspec.cli import main

if __name__ == "__main__":
    main(prog_name="govspec")
