"""Datasets: the reports of many inputs as Parquet tables for DuckDB, pandas and Spark, kept up to date.

    from govspec import dataset
    outcome = dataset.export(["reports/"], "ds")        # or: govspec export reports/ --to ds
    dataset.read("ds", "findings")                       # a pyarrow Table
    dataset.read_pandas("ds", "reports")                 # a pandas DataFrame (pandas installed)
    dataset.connect("ds").sql("SELECT verdict, count(*) FROM reports GROUP BY 1")   # DuckDB
    dataset.wide("ds")                                   # one row per report, one column per cell
    dataset.judge_against(validator, "ds")               # this year's batch against last year's dataset

The tables and their columns: :mod:`govspec.dataset.shapes` and docs/datasets.md.  Needs the ``dataset``
extra (``pip install 'govspec[dataset]'``: pyarrow and duckdb); without it, each function raises
:class:`~govspec.dataset.needs.MissingExtra` naming it.
"""

from __future__ import annotations

from govspec.dataset.across import judge_against, previous_rows
from govspec.dataset.needs import MissingExtra, need
from govspec.dataset.shapes import TABLES
from govspec.dataset.store import DatasetError
from govspec.dataset.update import Options, Outcome, export
from govspec.dataset.views import connect, csv_files, files, read, wide, write_csv, write_duckdb


def read_pandas(dataset, table: str = "reports", columns: list[str] | None = None):
    """One table of a dataset as a pandas DataFrame, exact: pyarrow-backed columns (counts stay integers beside
    blanks, amounts decimals), not floats."""
    pandas = need("pandas")
    return read(dataset, table, columns).to_pandas(types_mapper=pandas.ArrowDtype)


__all__ = ["export", "Options", "Outcome", "previous_rows", "judge_against", "read", "read_pandas", "connect", "wide", "files",
           "write_csv", "csv_files", "write_duckdb", "TABLES", "MissingExtra", "DatasetError"]
