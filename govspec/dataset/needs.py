"""The optional libraries of datasets, imported when first needed, with the extra that installs them named.

pyarrow (Parquet) and duckdb (the database file, the wide view) are heavy — about 40 MB and 20 MB of
wheels — and only researchers building datasets need them, so they are the ``dataset`` extra, not the
default install (docs/datasets.md); dask.distributed is the ``dask`` extra.
"""

from __future__ import annotations

import importlib
import os
import sys
from typing import Any

from govspec.errors import GovspecError

EXTRAS = {"pyarrow": "dataset", "duckdb": "dataset", "distributed": "dask", "pandas": "dataset"}
PIP = {"pandas": "pip install pandas"}


class MissingExtra(GovspecError):
    """An optional library is not installed (exit 3), with the command that installs it."""


def need(module: str) -> Any:
    """``module`` imported, or :class:`MissingExtra` naming the extra that installs it."""
    try:
        return importlib.import_module(module)
    except ImportError:
        extra = EXTRAS.get(module.split(".")[0], "dataset")
        command = PIP.get(module.split(".")[0], f"pip install 'govspec[{extra}]'")
        raise MissingExtra(f"this needs the optional library {module.split('.')[0]}: {command}",
                           zh=f"此功能需要可选依赖 {module.split('.')[0]}：请运行 {command}") from None


def returning_allocator() -> None:
    """Before pyarrow is first imported, on Linux: ask Arrow to allocate from jemalloc (``ARROW_DEFAULT_MEMORY_POOL``,
    unless set already), which gives the memory of freed batches back to the system within a second, where Arrow's
    default (mimalloc) keeps it — some 45 MB less at the peak of an export of 300,000 reports (docs/performance.md).
    Arrow reads the variable once, when it starts, and only there: ``govspec export`` calls this first; a program
    using the API sets the variable itself.  pyarrow's Linux wheels have jemalloc; elsewhere nothing changes."""
    if sys.platform.startswith("linux") and "pyarrow" not in sys.modules:
        os.environ.setdefault("ARROW_DEFAULT_MEMORY_POOL", "jemalloc")
