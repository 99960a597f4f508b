"""The command line: one module per command group; each only wires readers, checks and reporters."""

from govspec.cli.main import main

__all__ = ["main"]
