"""A dataset read back: pyarrow tables, a DuckDB connection with a view per table and the wide view, a DuckDB
database file, CSV files for spreadsheets.  Everything reads the files the manifest lists."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

from govspec.dataset.needs import need
from govspec.dataset.shapes import TABLES, schema
from govspec.dataset.store import batches, read_manifest, whole
from govspec.errors import InstanceError
from govspec.io.writers import atomic_file, special_file
from govspec.spec.compiler import CompiledSpec

WIDE_REPORT = ("report_id", "source", "spec", "spec_version", "agency", "agency_code", "region", "kind", "year",
               "published", "verdict")


def _opened(dataset) -> tuple[Path, dict]:
    """A dataset's folder and its manifest, every file it lists there."""
    root = Path(dataset)
    manifest = read_manifest(root)
    whole(root, manifest)
    return root, manifest


def files(dataset, table: str) -> list[str]:
    """The files of one table of a dataset, as the manifest lists them."""
    if table not in TABLES:
        raise ValueError(f"a dataset's tables are {', '.join(TABLES)}, not {table!r}")
    return _files(_opened(dataset), table)


def _files(opened: tuple[Path, dict], table: str) -> list[str]:
    root, manifest = opened
    return [str(root / name) for name in manifest["tables"][table]]


def read(dataset, table: str = "reports", columns: list[str] | None = None):
    """One table of a dataset as a pyarrow Table."""
    pa = need("pyarrow")
    pq = need("pyarrow.parquet")
    parts = [pq.read_table(path, columns=columns, schema=schema(table)) for path in files(dataset, table)]
    if not parts:
        return schema(table).empty_table() if columns is None else schema(table).empty_table().select(columns)
    return pa.concat_tables(parts)


def connect(dataset, database: str = ":memory:"):
    """A DuckDB connection with the views ``reports``, ``cells``, ``findings`` and ``wide`` over the dataset."""
    return _connect(dataset, database)[0]


def _connect(dataset, database: str = ":memory:"):
    """:func:`connect`'s connection, and the statement that made its ``wide`` view."""
    duckdb = need("duckdb")
    opened = _opened(dataset)
    con = duckdb.connect(database)
    for table in TABLES:
        listed = _files(opened, table)
        if listed:
            paths = ", ".join(_quote(p) for p in listed)
            con.execute(f"CREATE VIEW {table} AS SELECT * FROM read_parquet([{paths}])")
        else:
            con.register(f"_{table}_empty", schema(table).empty_table())
            con.execute(f"CREATE VIEW {table} AS SELECT * FROM _{table}_empty")
    statement = wide_sql(con, _specs(opened[1]))
    con.execute(statement)
    return con, statement


def wide(dataset):
    """One row per report, one column per cell (counts int64, amounts decimal; a cell holding a value beyond
    them is a text column, exact), after the report's own columns: a pyarrow Table."""
    con = connect(dataset)
    try:
        return _arrow_table(con.sql("SELECT * FROM wide ORDER BY report_id"))
    finally:
        con.close()


def _arrow_table(relation):
    """A DuckDB relation as a pyarrow Table (``to_arrow_table`` in duckdb 2; ``fetch_arrow_table`` before)."""
    return relation.to_arrow_table() if hasattr(relation, "to_arrow_table") else relation.fetch_arrow_table()


def _arrow_reader(relation, rows: int = 65536):
    """A DuckDB relation as a stream of record batches, whatever the duckdb version."""
    return relation.to_arrow_reader(rows) if hasattr(relation, "to_arrow_reader") else relation.fetch_record_batch(rows)


def _specs(manifest: dict) -> list[CompiledSpec]:
    """The compiled specs a dataset's reports name, in the order of their references."""
    from govspec.dataset.across import spec_of
    keys = manifest.get("specs", {})
    found: dict = {}
    return [spec_of(ref, found, keys) for ref in sorted(keys)]


def wide_sql(con, specs: list[CompiledSpec]) -> str:
    """The ``wide`` view: the cells of every spec of the dataset, in spec order, each once."""
    cells: dict = {}
    for spec in specs:
        for cell in spec.cells:
            cells.setdefault(cell.id, cell.type)
    texts = {row[0] for row in con.execute("SELECT DISTINCT cell FROM cells WHERE value_text IS NOT NULL").fetchall()}
    columns = []
    for cell, kind in cells.items():
        value = "value_decimal" if kind == "money" else "value_int"
        if cell in texts:
            value = f"COALESCE(value_text, CAST({value} AS VARCHAR))"
        columns.append(f"first({value}) FILTER (WHERE cell = {_quote(cell)}) AS {_name(cell)}")
    own = ", ".join(f"r.{c}" for c in WIDE_REPORT)
    if not columns:
        return f"CREATE VIEW wide AS SELECT {own} FROM reports AS r"
    return (f"CREATE VIEW wide AS SELECT {own}, w.* EXCLUDE (report_id) FROM reports AS r LEFT JOIN "
            f"(SELECT report_id, {', '.join(columns)} FROM cells GROUP BY report_id) AS w ON w.report_id = r.report_id")


def _quote(text: str) -> str:
    return "'" + str(text).replace("'", "''") + "'"


def _name(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


def check_duckdb_file(path) -> None:
    """A database is a file: one renamed onto a device or a pipe would put a file in its place.  InstanceError."""
    if special_file(Path(path)):
        raise InstanceError("a DuckDB database is written to a file, not to a device or a pipe",
                            zh="DuckDB 数据库只能写入文件，不能写入设备或管道", source=str(path))


def write_duckdb(dataset, path) -> None:
    """A DuckDB database file holding the dataset's tables (copied: it stays usable when the dataset changes) and
    the wide view; written under a temporary name, then renamed."""
    duckdb = need("duckdb")
    target = Path(path)
    check_duckdb_file(target)
    temporary = target.with_name(f".{target.name}.tmp")
    temporary.unlink(missing_ok=True)
    try:
        source, statement = _connect(dataset)
        with source:
            source.execute(f"ATTACH {_quote(str(temporary))} AS out")
            for table in TABLES:
                source.execute(f"CREATE TABLE out.{table} AS SELECT * FROM {table}")
            source.execute("DETACH out")
        with duckdb.connect(str(temporary)) as out:
            out.execute(statement)  # the same view, over the tables copied
        os.replace(temporary, target)
    finally:
        temporary.unlink(missing_ok=True)
        Path(str(temporary) + ".wal").unlink(missing_ok=True)


CSV = (*TABLES, "wide")  # the CSV files write_csv writes, by name


def _in_report_order(con, opened: tuple[Path, dict], table: str) -> Iterator[str]:
    """The queries whose rows, one after the other, are a table's rows in report order, a report's rows in the order of
    its files and their rows.  Its files as govspec writes them are mostly in that order already (each in report
    order, each part's reports after the last part's): then they are read as they are, with no sort — sorting the cells
    of 100,000 reports took 9.5 GB, and by ``report_id`` alone it put a report's cells in an order that changed from
    one run to the next.  Else (the findings: a report's own, then those of the rules across reports, in files of their
    own) they are sorted by report, file and row, SORTED_REPORTS reports at a time: the sort's memory does not grow
    with the table."""
    listed = _files(opened, table)
    cells = " REPLACE (array_to_string(cells, ' ') AS cells)" if table == "findings" else ""
    if _ordered(listed):
        yield f"SELECT *{cells} FROM {table}"  # DuckDB keeps the order of the files and their rows (no ORDER BY)
        return
    paths = "[" + ", ".join(_quote(p) for p in listed) + "]"
    read = f"read_parquet({paths}, filename = true, file_row_number = true)"
    [(first, last)] = con.execute(f"SELECT min(report_id), max(report_id) FROM read_parquet({paths})").fetchall()
    for start in range(int(first), int(last) + 1, SORTED_REPORTS) if first is not None else ():
        yield (f"SELECT * EXCLUDE (filename, file_row_number){cells} FROM {read} WHERE report_id >= {start} AND "
               f"report_id < {start + SORTED_REPORTS} ORDER BY report_id, list_position({paths}, filename), "
               "file_row_number")


def _ordered(paths: list[str]) -> bool:
    """Whether the files' ``report_id`` never goes down, file after file, row after row (read a column at a time)."""
    pc = need("pyarrow.compute")
    last = None
    for path in paths:
        for piece in batches(path, 65536, columns=["report_id"]):
            ids = piece.column(0)
            if not len(ids):
                continue
            if last is not None and ids[0].as_py() < last:
                return False
            if len(ids) > 1 and pc.min(pc.pairwise_diff(ids).slice(1)).as_py() < 0:
                return False
            last = ids[-1].as_py()
    return True


def csv_files(folder) -> list[str]:
    """The files :func:`write_csv` writes in ``folder`` (none for no folder)."""
    return [os.path.join(folder, f"{name}.csv") for name in CSV] if folder else []


def write_csv(dataset, folder) -> list[str]:
    """``reports.csv``, ``cells.csv``, ``findings.csv`` and ``wide.csv`` in ``folder``: UTF-8 with a BOM (Excel and
    WPS open them as Chinese text), each written atomically, in report order — a report's rows as its files hold
    them (cells in the spec's order, its own findings before those across reports).  The paths written."""
    csv = need("pyarrow.csv")
    out = Path(folder)
    out.mkdir(parents=True, exist_ok=True)
    written = []
    opened = _opened(dataset)
    with connect(dataset) as con:
        con.execute("SET preserve_insertion_order = true")  # DuckDB's default, on which reading in order rests
        for table in CSV:
            with atomic_file(out / f"{table}.csv", binary=True) as handle:
                handle.write("\ufeff".encode())
                writer = None
                for query in _csv_queries(con, opened, table):  # each read to its end before the next is run
                    reader = _arrow_reader(con.sql(query))
                    writer = writer or csv.CSVWriter(handle, reader.schema)
                    for piece in reader:
                        writer.write_batch(piece)
                if writer is not None:
                    writer.close()
            written.append(str(out / f"{table}.csv"))
    return written


WIDE_REPORTS = 4096  # reports of the wide view made at a time for wide.csv (the whole view at once: 724 MB for 100,000)
SORTED_REPORTS = 1024  # reports of a table sorted at a time (its files not in report order): 1,172,401 findings of
# 50,000 reports took 1.85–1.90 GB sorted whole, 460–478 MB 4,096 reports at a time, 316–321 MB 1,024 at a time (some
# 20% longer), 228 MB 256 at a time (some 85% longer)


def _csv_queries(con, opened: tuple[Path, dict], table: str):
    """The queries whose rows, one after the other, are a table's CSV: the wide view a range of reports at a time (its
    memory does not grow with the dataset; the cells' statistics let each range read only its row groups)."""
    if table != "wide":
        yield from _in_report_order(con, opened, table)
        return
    [(first, last)] = con.execute("SELECT min(report_id), max(report_id) FROM reports").fetchall()
    if first is None:
        yield "SELECT * FROM wide"
        return
    for start in range(int(first), int(last) + 1, WIDE_REPORTS):
        yield f"SELECT * FROM wide WHERE report_id >= {start} AND report_id < {start + WIDE_REPORTS} ORDER BY report_id"
