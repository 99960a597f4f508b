"""A dataset folder: Parquet part files listed by one manifest, changed by whole transactions.

    DATASET/
      manifest.json              what the dataset is: the files of each table, the inputs and their digests
      reports/g000002.parquet    one row per report (rewritten by each run: verdicts depend on the whole batch)
      cells/g000001.parquet      one row per cell, a part file per run that read new or changed inputs
      findings/g000001.parquet   the findings of each report by its own rules, likewise
      findings/across-g000002.parquet   the findings of the rules across reports (rewritten by each run)
      _own/g000001.parquet       each report's row by its own rules (what the next run starts from)
      _own/across-g000002.parquet  what the rules across reports changed in those rows (the next run keeps
                                 the rows of the bodies it does not touch)

A run writes new files only (never over a file of the dataset), each first under a hidden temporary name,
then replaces ``manifest.json`` atomically: that is the commit.  Readers take the files the manifest
lists, so a run that stops half way leaves the dataset as it was; its files are removed by the next run,
which also removes the files a commit made obsolete.  One run at a time (``.lock``).
"""

from __future__ import annotations

import hashlib
import json
import os
import socket
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from govspec.dataset.shapes import FORMAT, TABLES
from govspec.errors import GovspecError
from govspec.io.writers import write_atomic

MANIFEST = "manifest.json"
SHAPE = {"generation": int, "next_report_id": int, "files": dict, "parts": list, "tables": dict, "specs": dict}
FOLDERS = ("reports", "cells", "findings", "_own")


class DatasetError(GovspecError):
    """A folder that is not a dataset govspec can use, or a dataset that is busy (exit 3)."""


def digest_file(path: str) -> str:
    """The content digest of an input file (BLAKE2b, 128 bits)."""
    digest = hashlib.blake2b(digest_size=16)
    with open(path, "rb") as handle:
        while block := handle.read(1 << 20):
            digest.update(block)
    return digest.hexdigest()


def empty_manifest() -> dict:
    return {"govspec_dataset": FORMAT, "generation": 0, "judged_by": None, "next_report_id": 1, "files": {},
            "parts": [], "tables": {name: [] for name in TABLES}, "updates": None, "specs": {}}


def read_manifest(root: Path, required: bool = True) -> dict:
    """The manifest of the dataset at ``root``; a fresh one for a new (absent or empty) folder unless ``required``."""
    path = root / MANIFEST
    if not path.exists():
        if required:
            raise DatasetError("not a govspec dataset (no manifest.json): make one with govspec export",
                               zh="不是 govspec 数据集（没有 manifest.json）：请先用 govspec export 生成", source=str(root))
        if root.exists() and (not root.is_dir() or any(p.name != ".lock" for p in root.iterdir())):
            raise DatasetError("exists and is not a govspec dataset: give a new or empty folder",
                               zh="已存在且不是 govspec 数据集：请指定一个新的或空的文件夹", source=str(root))
        return empty_manifest()
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise DatasetError(f"manifest.json cannot be read ({exc})", zh=f"无法读取 manifest.json（{exc}）",
                           source=str(root)) from None
    if not isinstance(manifest, dict) or manifest.get("govspec_dataset") != FORMAT:
        found = manifest.get("govspec_dataset") if isinstance(manifest, dict) else None
        raise DatasetError(f"dataset format {found!r}; this govspec reads format {FORMAT}",
                           zh=f"数据集格式为 {found!r}，本版本 govspec 读取格式 {FORMAT}", source=str(root))
    if not all(isinstance(manifest.get(k), t) for k, t in SHAPE.items()) or not _parts_fit(manifest):
        raise DatasetError("manifest.json is not a govspec dataset's manifest (changed by hand?)",
                           zh="manifest.json 不是 govspec 数据集的清单（是否被手工修改？）", source=str(root))
    return manifest


def _parts_fit(manifest: dict) -> bool:
    """The manifest's inner shape: what a run reads of it is there, with the types it writes; the dataset's own
    files inside its folder (input files may be anywhere)."""
    def inside(names) -> bool:
        return isinstance(names, list) and all(isinstance(n, str) and ".." not in Path(n).parts for n in names)
    files_fit = all(isinstance(e, dict) and isinstance(e.get("reports"), list) and len(e["reports"]) == 2
                    and all(type(i) is int for i in e["reports"]) for e in manifest["files"].values())
    parts_fit = all(isinstance(p, dict) and inside([p.get(k) for k in ("own", "cells", "findings")])
                    and isinstance(p.get("files"), list) and all(isinstance(f, str) for f in p["files"])
                    for p in manifest["parts"])
    tables_fit = set(manifest["tables"]) == set(TABLES) and all(inside(v) for v in manifest["tables"].values())
    updates = manifest.get("updates")
    return files_fit and parts_fit and tables_fit and (updates is None or inside([updates]))


def whole(root: Path, manifest: dict) -> None:
    """Every file the manifest lists is there; else the dataset was damaged outside govspec (exit 3)."""
    listed = [name for files in manifest["tables"].values() for name in files]
    listed += [part["own"] for part in manifest["parts"]] + ([manifest["updates"]] if manifest.get("updates") else [])
    missing = [name for name in listed if not (root / name).is_file()]
    if missing:
        raise DatasetError(f"the dataset is damaged: {missing[0]} (listed in manifest.json) is missing"
                           + (f", and {len(missing) - 1} more" if len(missing) > 1 else ""),
                           zh=f"数据集已损坏：manifest.json 列出的 {missing[0]} 不存在"
                           + (f"（另有 {len(missing) - 1} 个）" if len(missing) > 1 else ""), source=str(root))


@contextmanager
def locked(root: Path) -> Iterator[None]:
    """One run at a time on a dataset: ``.lock`` made exclusively (holding this machine's name and the process id),
    removed when the run ends.  A lock left by a process of this machine that no longer runs (an export killed)
    is removed; any other is said plainly."""
    root.mkdir(parents=True, exist_ok=True)
    lock = root / ".lock"
    for attempt in (1, 2):
        try:
            handle = os.open(lock, os.O_CREAT | os.O_EXCL | os.O_WRONLY)
            break
        except FileExistsError:
            if attempt == 1 and _left_behind(lock):
                continue
            raise DatasetError(
                "another govspec export is writing this dataset (if none is running, remove its .lock file)",
                zh="另一个 govspec export 正在写入此数据集（如确无运行中的导出，请删除其中的 .lock 文件）",
                source=str(root)) from None
    try:
        os.write(handle, f"{socket.gethostname()} {os.getpid()}".encode())
        os.close(handle)
        yield
    finally:
        lock.unlink(missing_ok=True)


def _left_behind(lock: Path) -> bool:
    """Whether ``lock`` was left by a process of this machine that no longer runs; if so it is removed."""
    try:
        text = lock.read_text(encoding="utf-8", errors="replace")
        host, pid = text.rsplit(" ", 1)
        os.kill(int(pid), 0)  # raises when no such process runs
    except ProcessLookupError:
        if host == socket.gethostname() and lock.read_text(encoding="utf-8", errors="replace") == text:
            lock.unlink(missing_ok=True)
            return True
        return False
    except (OSError, ValueError):  # unreadable, another kind of lock, or a process of another user: alive
        return False
    return False


class Part:
    """New files of a run: written under hidden temporary names, given their names when the run commits."""

    def __init__(self, root: Path, generation: int) -> None:
        self.root = root
        self.generation = generation

    def path(self, folder: str, stem: str) -> tuple[Path, str]:
        """Where to write a new file (hidden, temporary) and the name it will have."""
        relative = f"{folder}/{stem}.parquet"
        (self.root / folder).mkdir(parents=True, exist_ok=True)
        return self.root / folder / f".{stem}.parquet.tmp", relative

    def done(self, temporary: Path, relative: str) -> None:
        """A new file complete: given its name (still unlisted until the commit)."""
        os.replace(temporary, self.root / relative)


def commit(root: Path, manifest: dict) -> None:
    """Make ``manifest`` the dataset's (atomically), then remove every file it no longer lists."""
    text = json.dumps(manifest, ensure_ascii=False, indent=1)
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:  # an input whose name is not UTF-8 (bytes Python keeps as lone surrogates): the
        text = json.dumps(manifest, indent=1)  # whole manifest as ASCII JSON, which reads back the same name
    write_atomic(root / MANIFEST, text + "\n")
    tidy(root, manifest)


def tidy(root: Path, manifest: dict) -> None:
    """Remove what the manifest does not list: files made obsolete by a commit, or left by a run that stopped."""
    listed = {name for files in manifest["tables"].values() for name in files}
    listed |= {part["own"] for part in manifest["parts"]} | ({manifest["updates"]} if manifest.get("updates") else set())
    for folder in FOLDERS:
        place = root / folder
        if not place.is_dir():
            continue
        for entry in place.iterdir():
            if entry.is_file() and f"{folder}/{entry.name}" not in listed:
                entry.unlink(missing_ok=True)


def stem(generation: int, suffix: str = "") -> str:
    return f"g{generation:06d}{suffix}"


def batches(path, size: int, columns: list | None = None):
    """The record batches of a Parquet file (of ``size`` rows, ``columns`` only when given), its pages read as they
    are decoded: without ``pre_buffer=False`` pyarrow reads a row group's columns ahead, all at once — three times
    the memory (31 MB against 10 MB reading the reports of 300,000 by 8,192)."""
    from govspec.dataset.needs import need
    return need("pyarrow.parquet").ParquetFile(path, pre_buffer=False).iter_batches(size, columns=columns)


# the columns whose row groups carry min/max statistics (readers skip row groups by them); the cells' label
# columns would cost a third of the writing and are not what queries filter a row group by
STATISTICS = {"cells": ["report_id", "cell", "state", "value_int"]}


class Writers:
    """Parquet files written by one background thread, batch by batch in the order given: pyarrow encodes and
    compresses without holding the interpreter, so the writing overlaps the reading of the next reports.  At most
    ``ahead`` batches wait (memory stays flat); an error in the thread is raised here, at the next call or at close."""

    # rows gathered into one row group (small batches from small files make one group together): a cell's row is
    # some 70 bytes, a report's or a finding's up to 1 KB of text, so that a group stays near 10 MB
    ROWS = {"cells": 131072}
    OTHER_ROWS = 16384

    def __init__(self, files: dict, ahead: int = 8) -> None:
        import queue
        import threading

        from govspec.dataset.needs import need
        pq = need("pyarrow.parquet")
        self._pa = need("pyarrow")
        self._writers = {key: pq.ParquetWriter(path, shape, write_statistics=STATISTICS.get(key, True))
                         for key, (path, shape) in files.items()}
        self._waiting: dict = {key: [] for key in files}
        self._queue: queue.Queue = queue.Queue(ahead)
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._work, name="govspec-parquet", daemon=True)
        self._thread.start()

    def _work(self) -> None:
        while (item := self._queue.get()) is not None:
            if self._error is None:
                try:
                    waiting = self._waiting[item[0]]
                    waiting.append(item[1])
                    if sum(b.num_rows for b in waiting) >= self.ROWS.get(item[0], self.OTHER_ROWS):
                        self._flush(item[0])
                except BaseException as exc:  # noqa: BLE001 - raised in the caller's thread
                    self._error = exc
        if self._error is None:
            try:
                for key in self._waiting:
                    self._flush(key)
            except BaseException as exc:  # noqa: BLE001
                self._error = exc

    def _flush(self, key: str) -> None:
        if self._waiting[key]:
            self._writers[key].write_table(self._pa.Table.from_batches(self._waiting[key]))
            self._waiting[key] = []

    def write(self, key: str, batch) -> None:
        if self._error is not None:
            raise self._error
        self._queue.put((key, batch))

    def close(self) -> None:
        self._queue.put(None)
        self._thread.join()
        for writer in self._writers.values():
            writer.close()
        if self._error is not None:
            raise self._error
