"""Readers: files and folders in, instances (or the reason a file cannot be read) out.

Formats (docs/instance-format.md): JSON (one instance), JSON Lines (one per line), CSV long
(``cell,value`` — one report per file), CSV wide (one report per row).  CSV values stay text
(:class:`~govspec.io.values.CellText` with their file:line:column) until the validator reads them
with the cell's type.  Every reader streams: memory does not grow with the number of reports.
"""

from __future__ import annotations

import functools
import os
import stat
from collections.abc import Iterator
from contextlib import contextmanager
from itertools import islice
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

from govspec.errors import GovspecError, InstanceError, did_you_mean
from govspec.findings import Finding
from govspec.io.csv_blocks import blocks_then_rows, columns_twice, numbered, skipped_row
from govspec.io.csv_keys import UNKNOWN, place
from govspec.io.decoding import open_text
from govspec.io.instance import (
    MAX_INSTANCE_BYTES,
    REPORT_KEYS,
    Instance,
    Unreadable,
    check_document,
    check_name,
    parse_json,
    parsed_json,
)
from govspec.io.kinds import (
    EXTENSIONS,
    EXTRACT_RECORD,
    METADATA,
    NO_REPORT_FILE,
    NO_REPORT_FILE_ZH,
    PUBLISHED,
    UNREAD_DOCUMENTS,
    as_published,
    is_long,
    json_like,
)
from govspec.io.lines import LongLine, jsonl_lines, text_lines
from govspec.io.values import CellText, normalise, spreadsheet_text

if TYPE_CHECKING:
    from govspec.io import arrow_csv

MAX_CSV_FIELD = 1_000_000
REPORT_COLUMNS = tuple(f"report.{k}" for k in REPORT_KEYS)


# --- paths ------------------------------------------------------------------------------

NO_REPORT_IN_JSONL_ZH = "JSON Lines 文件中没有报告（文件为空或只有空行）"


def no_report_in_csv(path: str) -> InstanceError:
    """A CSV-wide file with no report: blank, or a header and no row under it (never nothing, never "passed")."""
    return InstanceError("the CSV file holds no report (it is blank, or has no row under its header)",
                         zh="CSV 文件中没有报告（文件为空白，或表头下没有数据行）", source=path)


def no_report_file(folder: str) -> Unreadable:
    """What a folder given that holds no report file gives: one unreadable input, never nothing."""
    return Unreadable(folder, InstanceError(NO_REPORT_FILE, zh=NO_REPORT_FILE_ZH, source=folder))


def expand(paths, names: tuple = EXTENSIONS + PUBLISHED + UNREAD_DOCUMENTS + (".zip",)) -> Iterator[str]:
    """Files as given; folders recursively, their report files (data and published; ``names``: the endings taken) in
    sorted order.  A sub-folder that cannot be read is given too (:func:`read_path` says why), never skipped in
    silence."""
    for path in paths:
        if os.path.isdir(path):
            found: list[str] = []
            failed: list[str] = []

            def note(error: OSError, failed: list[str] = failed) -> None:
                failed.append(error.filename)
            for folder, subfolders, files in os.walk(path, onerror=note):
                subfolders.sort()
                found.extend(os.path.join(folder, name) for name in files if name.lower().endswith(names))
            yield from sorted(found + [f for f in failed if f])
        else:
            yield str(path)


def read_path(path: str) -> Iterator[Instance | Unreadable]:
    """Every instance in one file, by its extension; a .zip file: every report in it.  A file of a name govspec
    does not know is read by its content: JSON when it begins with ``{`` or ``[`` (or is empty), else a published
    report (a page saved under the name of the program that served it, ``.jsp``; a PDF without its name)."""
    lower = path.lower()
    try:
        check_regular_file(path)
        if lower.endswith(".zip"):
            from govspec.io.archives import read_zip  # zipfile and tempfile: only for an archive
            yield from read_zip(path, EXTENSIONS + PUBLISHED + UNREAD_DOCUMENTS, read_path)
        elif lower.endswith(".jsonl"):
            yield from read_jsonl(path)
        elif lower.endswith(".csv"):
            yield from read_csv(path)
        elif lower.endswith(PUBLISHED + UNREAD_DOCUMENTS) or not json_like(path):
            from govspec.extract import extract_instances  # late: extraction needs the registry
            yield from extract_instances(path)
        else:
            data = parsed_json(path)
            if isinstance(data, dict) and EXTRACT_RECORD in data:  # extract's record: its reports, as extracted
                from govspec.extract.records import record_instances
                yield from record_instances(path, data)
            else:
                check_document(data, path)
                yield Instance(path, data)
    except GovspecError as error:
        yield Unreadable(path, error)


def read_one(path) -> Instance:
    """The one report a file holds, in any format govspec reads; :class:`InstanceError` when it cannot be
    read or holds none or several (a JSON Lines batch, a .zip: read those with :func:`read_path`)."""
    items = list(islice(read_path(str(path)), 2))
    if len(items) != 1:
        raise InstanceError("the file holds no report" if not items else
                            "the file holds several reports; read them one by one (govspec validate, audit, or "
                            "govspec.check.batch.Validator)",
                            zh="文件中没有报告" if not items else
                            "文件中有多份报告；请逐份读取（govspec validate、audit，或 govspec.check.batch.Validator）",
                            source=str(path))
    if isinstance(items[0], Unreadable):
        raise items[0].error
    return items[0]


def check_regular_file(path: str) -> None:
    """Refuse what is not a regular file before opening it: a folder that cannot be read, a named pipe or a
    device (reading one would wait forever); and a name that is not UTF-8 (:func:`~govspec.io.instance.check_name`)."""
    check_name(path, InstanceError)
    try:
        mode = os.stat(path).st_mode
    except FileNotFoundError:
        raise InstanceError("file not found", zh="文件不存在", source=path) from None
    except OSError as exc:
        raise InstanceError(f"cannot read: {exc.strerror}", zh=f"无法读取（{exc.strerror}）", source=path) from None
    if stat.S_ISDIR(mode):
        try:
            os.listdir(path)
        except OSError as exc:
            raise InstanceError(f"cannot read this folder: {exc.strerror}",
                                zh=f"无法读取此文件夹（{exc.strerror}）", source=path) from None
        raise InstanceError("is a directory, not a file", zh="是文件夹，不是文件", source=path)
    if not stat.S_ISREG(mode):
        raise InstanceError("not a regular file (a named pipe, socket or device): not read",
                            zh="不是普通文件（命名管道、套接字或设备）：未读取", source=path)


def read_all(paths) -> Iterator[Instance | Unreadable]:
    for path in expand(paths):
        yield from read_path(path)


# --- JSON Lines -----------------------------------------------------------------------------

def read_jsonl(path: str) -> Iterator[Instance | Unreadable]:
    """One instance per line, streamed; blank lines are skipped; a file with no report is unreadable."""
    count = 0
    for number, line in jsonl_lines(path):
        count += 1
        try:
            yield jsonl_instance(path, number, line)
        except GovspecError as error:
            yield Unreadable(f"{path}:{number}", error)
    if count == 0:
        raise InstanceError("the JSON Lines file holds no report (it is empty or blank)",
                            zh=NO_REPORT_IN_JSONL_ZH, source=path)


def jsonl_instance(path: str, number: int, line: bytes) -> Instance:
    """The instance on one line of a JSON Lines file; raises InstanceError with the line."""
    source = f"{path}:{number}"
    if isinstance(line, LongLine):
        raise InstanceError(f"the line is longer than a report may be ({line.size} bytes; at most "
                            f"{MAX_INSTANCE_BYTES}, as a JSON file): not read",
                            zh=f"此行超过一份报告的上限（{line.size} 字节；至多 {MAX_INSTANCE_BYTES}，与 JSON 文件相同）：未读取",
                            source=path, line=number)
    try:
        text = line.decode("utf-8-sig")  # a BOM on any line: files saved by Notepad and joined (copy /b a+b)
    except UnicodeDecodeError as exc:
        raise InstanceError(f"not UTF-8 text (byte {exc.start})",
                            zh=f"不是 UTF-8 文本（第 {exc.start} 字节）", source=path, line=number) from None
    try:
        document = parse_json(text, source)
        check_document(document, source)
    except GovspecError as error:
        if error.line is not None:
            raise InstanceError(error.message, zh=error.zh, source=path, line=number, column=error.column) from None
        raise
    return Instance(source, document)


# --- CSV --------------------------------------------------------------------------------------

def read_csv(path: str) -> Iterator[Instance | Unreadable]:
    """A CSV file, long or wide by its header, streamed; a file whose header names no key of an instance is a report's
    tables as published (a workbook saved as CSV by Excel or WPS), read as a sheet is."""
    with csv_rows(path) as (header, rows):
        published = as_published(header)
        if published and not any(not skipped_row(row) for row in rows):
            raise no_report_in_csv(path)  # a header alone, or blank lines: no table, and no report
        if is_long(header):
            yield _instance(path, _long(path, rows))
        elif not published:
            count = 0
            for line, row in wide_rows(path, header, rows):
                count += 1
                try:
                    yield wide_instance(path, header, row, line)
                except GovspecError as error:
                    yield Unreadable(f"{path}:{line}", error)
            if not count:
                raise no_report_in_csv(path)
    if published:
        from govspec.extract import extract_instances  # late: extraction needs the registry
        yield from extract_instances(path)


def ids_of_labels(header: list[str]) -> list[str] | None:
    """A CSV-wide header of official labels — the template's second row, ``#规范,模板版本,…,第二十条第（一）项 ›
    规章 › 本年制发件数,…``, left as the first row when the row of ids is deleted in Excel — as the ids they name
    in the shipped specs; None when the header is not such a row.  A label that names no cell, or different
    cells in different specs, is kept as it is (and reported as an unknown column)."""
    if not header or header[0].lstrip("#").strip() != "规范":
        return None
    named = _ids_by_label()
    return [named.get(normalise(label.lstrip("#"))) or label for label in header]


@functools.cache
def _ids_by_label() -> dict[str, str]:
    """Each official label of the shipped specs' CSV-wide templates, with the one id it names (labels that
    name different ids in different specs are left out).  Built once per process."""
    from govspec.io.csv_layout import csv_wide_header, csv_wide_labels  # late: it needs the compiled specs
    from govspec.spec import loader
    named: dict[str, set] = {}
    for spec in loader.shipped():
        for label, key in zip(csv_wide_labels(spec), csv_wide_header(spec)):
            named.setdefault(normalise(label.lstrip("#")), set()).add(key)
    return {label: next(iter(keys)) for label, keys in named.items() if len(keys) == 1}


@contextmanager
def csv_rows(path: str) -> Iterator[tuple[list[str], Any]]:
    """A CSV file's normalised header (official labels read as the ids they name) and its row reader
    (``line_num`` is the line of the last row);
    CSV and encoding errors become InstanceError with the line."""
    import csv  # here, as the readers of CSV below: a run that reads no CSV does not import them (start-up)
    csv.field_size_limit(MAX_CSV_FIELD)
    with open_text(path) as stream:
        rows = csv.reader(text_lines(stream, path))
        try:
            header = next(rows, None)
            if header is None:
                raise InstanceError("the CSV file is empty", zh="CSV 文件为空", source=path)
            header = [normalise(h) for h in header]
            yield ids_of_labels(header) or header, rows
        except csv.Error as exc:
            raise InstanceError(f"CSV error: {exc}", zh=f"CSV 格式错误（{exc}）", source=path, line=rows.line_num) from None
        except UnicodeDecodeError as exc:
            raise InstanceError(f"the file changes encoding part-way ({exc.reason})",
                                zh=f"文件中途改变了编码（{exc.reason}）", source=path,
                                line=rows.line_num) from None


def _long(path: str, rows) -> dict:
    document: dict = {"tables": {}}
    seen: dict = {}
    for row in rows:
        line = rows.line_num
        if skipped_row(row):
            continue
        _one_line(row[:2], path, line)
        key = normalise(row[0])
        if key in seen:
            raise InstanceError(f"'{key}' appears twice (first on line {seen[key]})",
                                zh=f"'{key}' 出现两次（第一次在第 {seen[key]} 行）", source=path, line=line)
        seen[key] = line
        place(document, key, row[1] if len(row) > 1 else "", f"{path}:{line}:2")
    return document


def _one_line(fields: list[str], path: str, line: int) -> None:
    """A value never holds a line break: one that does ran on from an unclosed quote (``"`` alone)."""
    for field in fields:
        if "\n" in field or "\r" in field:
            raise InstanceError("a field runs over several lines (an unclosed \" quote?): it holds "
                                f"{field[:30]!r}…",
                                zh=f"一个字段跨越多行（引号 \" 未闭合？）：内容为 {field[:30]!r}…", source=path, line=line)


def wide_rows(path: str, header: list, rows) -> Iterator[tuple[int, list[str]]]:
    """The report rows of a CSV-wide file with their line numbers (empty and comment rows skipped)."""
    from govspec.io.arrow_csv import Block
    for item in wide_items(path, header, rows):
        if isinstance(item, Block):
            yield from ((line, row) for line, row in item.rows() if not skipped_row(row))
        else:
            yield item[0], item[1]


def wide_items(path: str, header: list, rows) -> Iterator[arrow_csv.Block | tuple[int, list[str], bool]]:
    """The rows after the header of a CSV-wide file: blocks of columns while Arrow reads them
    (:mod:`govspec.io.arrow_csv`, the ``fast`` extra; every row, skipped ones too), then report rows with their
    lines from the ``csv`` module's ``rows`` — all of them without pyarrow or when the file is not plain —, each
    with whether it ran over several lines (a quoted field holding a line break: the file is read with ``newline=""``,
    so a ``\\r`` or a ``\\n`` in a field always ends one of the lines the ``csv`` module counts)."""
    duplicates = columns_twice(header)
    if duplicates:
        raise InstanceError(f"columns appear twice in the header: {', '.join(sorted(duplicates))}",
                            zh=f"表头中有重复的列：{'、'.join(sorted(duplicates))}", source=path,
                            line=1)
    yield from blocks_then_rows(path, header, numbered(rows), MAX_CSV_FIELD)


def wide_instance(path: str, header: list, row: list, line: int) -> Instance:
    """One report: one row of a CSV-wide file under its (normalised) header."""
    if len(row) < len(header):
        raise InstanceError(f"the row has {len(row)} fields where the header has {len(header)}: cut short?",
                            zh=f"此行有 {len(row)} 个字段，表头有 {len(header)} 个：是否被截断？",
                            source=path, line=line)
    _one_line([row[i] for i, key in enumerate(header) if key], path, line)
    document: dict = {"tables": {}}
    tables = document["tables"]
    for index, key, cell in _keys(header):
        text = row[index] if index < len(row) else ""
        if cell is None:
            place(document, key, text, f"{path}:{line}:{index + 1}")
        else:  # a cell, as place() puts it
            table, row_id, column = cell
            tables.setdefault(table, {}).setdefault(row_id, {})[column] = CellText(spreadsheet_text(text),
                                                                                   f"{path}:{line}:{index + 1}")
    if len(row) > len(header) and any(cell.strip() for cell in row[len(header):]):
        document.setdefault(UNKNOWN, []).append((f"column {len(header) + 1}", f"{path}:{line}"))
    return _instance(f"{path}:{line}", document)


_KEYS: dict = {}  # id of a CSV-wide header -> (the header, its keys: index, key, and a cell's three parts or None)


def _keys(header: list) -> list[tuple[int, str, tuple | None]]:
    """The keys of a header, with a cell's table, row and column split once per file, not once per row."""
    kept = _KEYS.get(id(header))
    if kept is None or kept[0] is not header:
        if len(_KEYS) >= 64:
            _KEYS.clear()
        kept = _KEYS[id(header)] = (header, [
            (index, key, tuple(key.split(".")) if key not in METADATA and not key.startswith("report.")
             and key.count(".") == 2 else None) for index, key in enumerate(header) if key])
    return kept[1]


def _instance(source: str, document: dict) -> Instance:
    unknown = document.pop(UNKNOWN, [])
    check_document(document, source)
    findings = tuple(
        Finding("unknown-key", "warning", location=key, position=position, params=MappingProxyType({
            "name": key, "suggestion": did_you_mean(key, METADATA + REPORT_COLUMNS)}))
        for key, position in unknown)
    return Instance(source, document, findings)
