"""Writing instances: JSON, CSV long, CSV wide, and blank templates for agencies to fill in.

CSV is written as UTF-8 with a byte-order mark so that Excel and WPS open the Chinese labels
correctly.  Files are written atomically (a temporary file, then a rename).
"""

from __future__ import annotations

import io
import json
import os
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from decimal import Decimal
from pathlib import Path
from typing import Any, TextIO

from govspec.errors import InstanceError
from govspec.io.csv_layout import REPORT_COLUMNS, REPORT_LABELS, cell_label, csv_wide_header, csv_wide_labels
from govspec.io.values import SafeCsv, value_text
from govspec.spec.compiler import CompiledSpec

_text = value_text


def cell_values(spec: CompiledSpec, document: dict) -> dict:
    tables = document.get("tables", {})
    out = {}
    for cell in spec.cells:
        value = tables.get(cell.table.id, {}).get(cell.row.id, {}).get(cell.column.id)
        out[cell.id] = value
    return out


def blank_instance(spec: CompiledSpec) -> dict:
    """Every cell of the spec, each null, with empty report fields."""
    tables: dict = {}
    for cell in spec.cells:
        tables.setdefault(cell.table.id, {}).setdefault(cell.row.id, {})[cell.column.id] = None
    return {"spec": spec.id, "version": spec.version,
            "report": {"agency": None, "year": None, "published": None, "kind": None, "agency_code": None},
            "tables": tables}


def to_json(document: dict) -> str:
    def default(value):
        if isinstance(value, Decimal):
            return float(value) if value == Decimal(repr(float(value))) else format(value, "f")
        raise TypeError(type(value))
    return json.dumps(document, ensure_ascii=False, indent=2, default=default) + "\n"


def to_csv_long(spec: CompiledSpec, document: dict) -> str:
    """``cell,value,label``: metadata lines, then one line per cell (label is a comment column)."""
    out = io.StringIO()
    writer = SafeCsv(out)
    writer.writerow(["cell", "value", "label"])
    writer.writerow(["spec", spec.id, "规范"])
    writer.writerow(["version", spec.version, "模板版本"])
    report = document.get("report") or {}
    for column, label in zip(REPORT_COLUMNS, REPORT_LABELS):
        writer.writerow([column, _text(report.get(column.split(".")[1])), label])
    values = cell_values(spec, document)
    for cell in spec.cells:
        writer.writerow([cell.id, _text(values[cell.id]), cell_label(cell)])
    return out.getvalue()


def csv_wide_row(spec: CompiledSpec, document: dict) -> list[str]:
    report = document.get("report") or {}
    values = cell_values(spec, document)
    return [spec.id, spec.version, *(_text(report.get(c.split(".")[1])) for c in REPORT_COLUMNS),
            *(_text(values[c.id]) for c in spec.cells)]


def to_csv_wide(spec: CompiledSpec, documents, labels: bool = True) -> str:
    out = io.StringIO()
    writer = SafeCsv(out)
    writer.writerow(csv_wide_header(spec))
    if labels:
        writer.writerow(csv_wide_labels(spec))
    for document in documents:
        writer.writerow(csv_wide_row(spec, document))
    return out.getvalue()


def write_atomic(path: str | Path, text: str | bytes, encoding: str = "utf-8") -> None:
    """Write ``text`` (or bytes) to ``path`` through a temporary file in the same folder, then rename."""
    with atomic_file(path, binary=isinstance(text, bytes), encoding=encoding) as out:
        out.write(text)


def atomic_text(path: str | Path) -> AbstractContextManager[TextIO]:
    """A UTF-8 text stream whose content replaces ``path`` only when the block ends without an exception: a
    report streamed to a file is never left half written."""
    return atomic_file(path)


@contextmanager
def atomic_file(path: str | Path, binary: bool = False, encoding: str = "utf-8") -> Iterator[Any]:
    """A file in ``path``'s folder, renamed onto ``path`` when the block ends, removed if it fails.  A ``path``
    that is a device, a named pipe or a socket (``/dev/null``, ``/dev/stdout``) is written to as it is, as the
    shell's ``>`` writes to it: renaming a file onto it would put a file in its place."""
    import tempfile  # here: a run that writes no file (a report to the screen) does not load it
    path = Path(path)
    if special_file(path):
        with open(path, "wb") if binary else open(path, "w", encoding=encoding, newline="") as stream:
            yield stream
        return
    handle, temp = tempfile.mkstemp(dir=path.parent or ".", prefix=f".{path.name}.", suffix=".tmp")
    try:
        with (os.fdopen(handle, "wb") if binary else os.fdopen(handle, "w", encoding=encoding, newline="")) as out:
            yield out
        _as_a_new_file(temp)
        os.replace(temp, path)
    except BaseException:
        if os.path.exists(temp):
            os.unlink(temp)
        raise


def special_file(path: Path) -> bool:
    """Whether ``path`` is there and is no regular file: a device, named pipe or socket (written to as it is), or a
    folder (refused: an output is a file)."""
    import stat
    try:
        mode = os.stat(path).st_mode
    except OSError:
        return False  # not there (or not reachable): a new file, or the error the write gives
    if stat.S_ISDIR(mode):
        raise InstanceError("is a folder: give the path of a file to write",
                            zh="是文件夹：请给出要写入的文件路径", source=str(path))
    return not stat.S_ISREG(mode)


def _as_a_new_file(temp: str) -> None:
    """The permissions an ordinary new file would have (mkstemp makes it private to its owner)."""
    umask = os.umask(0)
    os.umask(umask)
    os.chmod(temp, 0o666 & ~umask)


def check_outputs(outputs, inputs=()) -> None:
    """The one guard of every command that writes: an output is never one of the inputs (files given, or
    found in the folders given), and no path is written twice in one run.  Raises InstanceError (exit 3)."""
    from govspec.io.readers import expand  # late: the readers are above the writers

    read = {os.path.realpath(p) for p in expand(inputs) if os.path.exists(p)}
    seen: dict[str, str] = {}
    for output in outputs:
        if output is None:
            continue
        real = os.path.realpath(output)
        if real in read:
            raise InstanceError("will not write over an input file; choose another output",
                                zh="不会覆盖输入文件；请另选输出位置", source=str(output))
        if real in seen:
            raise InstanceError(f"two results would be written to one file (also {seen[real]}); choose others",
                                zh=f"两个结果会写入同一个文件（另一个是 {seen[real]}）；请另选",
                                source=str(output))
        seen[real] = str(output)


def write_all_atomic(files: list[tuple[str | Path, str | bytes]]) -> None:
    """Write several files so that none is replaced unless all are written: each to a temporary file in its
    folder first, then all renamed (a run killed before the renames leaves every old file as it was)."""
    import tempfile
    temps = []
    kinds = [special_file(Path(path)) for path, _ in files]  # a device or a pipe is written to, not renamed onto
    special = [(Path(path), data) for (path, data), kind in zip(files, kinds) if kind]
    files = [item for item, kind in zip(files, kinds) if not kind]
    try:
        for path, data in files:
            path = Path(path)
            handle, temp = tempfile.mkstemp(dir=path.parent or ".", prefix=f".{path.name}.", suffix=".tmp")
            temps.append(temp)
            with os.fdopen(handle, "wb") as out:
                out.write(data if isinstance(data, bytes) else data.encode("utf-8"))
            _as_a_new_file(temp)
        for (path, _), temp in zip(files, temps):
            os.replace(temp, path)
        for path, data in special:  # a device or a pipe, written as it is once the files are in place
            with open(path, "wb") as stream:
                stream.write(data if isinstance(data, bytes) else data.encode("utf-8"))
    except BaseException:
        for temp in temps:
            if os.path.exists(temp):
                os.unlink(temp)
        raise

