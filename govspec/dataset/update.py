"""``govspec export``: reports in, a dataset out — and, run again, only what changed read again.

1. The inputs are listed and compared with the dataset's: an input file is *unchanged* when its size and
   modification time are (or, with ``verify``, its content digest is); new and changed files are read and
   judged by their own rules into a new part; the rows of changed and deleted files leave the parts that
   held them (those parts are rewritten without them).  Everything is judged again when govspec, a spec used
   or an option that changes a verdict differs from the run that judged the dataset.
2. The rules across reports are judged again for the bodies whose reports were added, changed or dropped
   (all bodies on a first or full run), with the ledger of :mod:`govspec.check.across` as ``govspec validate``
   judges a batch (:mod:`govspec.dataset.across`); the reports table and the findings across reports are
   written anew, the other bodies' as the last run found them.
3. The manifest is replaced: the commit (:mod:`govspec.dataset.store`).
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import field
from pathlib import Path

from govspec import __version__
from govspec.check import parallel
from govspec.check.across import Ledger
from govspec.dataset.needs import need
from govspec.dataset.pieces import Piece, numbered, pieces, unit_pieces
from govspec.dataset.shapes import schema
from govspec.dataset.store import Part, Writers, batches, commit, digest_file, locked, read_manifest, stem, tidy, whole
from govspec.errors import GovspecError
from govspec.io.readers import expand
from govspec.records import record

# the files of a part: each report's own row, its cells, its findings (folder, and the table whose columns it has)
PART = {"own": ("_own", "reports"), "cells": ("cells", "cells"), "findings": ("findings", "findings")}
# A large JSON Lines file is exported in ranges of about 2 MB (some 500 reports), not the 8 MB that validating takes: a
# range's pieces carry every cell of its reports, and with worker processes the main process holds several ranges'
# pieces at once (100,000 reports, two workers: the main process's peak 326–354 MB with 8 MB, 236–243 MB with 2 MB;
# each worker's 244 MB, 157 MB; the same time within the noise). docs/performance.md.
SPLIT_BYTES = 2 << 20


@record(frozen=False)
class Outcome:
    """What an export did: input files by fate, reports by verdict."""

    dataset: str
    added: int = 0
    replaced: int = 0
    dropped: int = 0
    kept: int = 0
    rejudged: bool = False
    verdicts: dict = field(default_factory=dict)
    without_previous: int = 0

    @property
    def reports(self) -> int:
        return sum(self.verdicts.values())


@record
class Options:
    spec: str | None = None
    version: str | None = None
    strict_blanks: bool = False
    accept: tuple = ()          # exceptions files
    verify: bool = False        # compare inputs by content digest, not size and time
    jobs: int = 1
    executor: parallel.Executor | None = None  # where units are read (a Dask cluster: govspec.dask)

    def judged_by(self, specs: dict) -> dict:
        """What the verdicts depend on: govspec's version, each spec's files, the options that change them."""
        accepted = hashlib.blake2b(digest_size=16)
        for path in self.accept:
            accepted.update(Path(path).read_bytes())
        return {"govspec": __version__, "specs": specs, "spec": self.spec, "version": self.version,
                "strict_blanks": self.strict_blanks, "accept": accepted.hexdigest() if self.accept else None}


def spec_digest(compiled) -> str:
    """A compiled spec as one digest of its document, its base's merged in: a changed spec is judged again."""
    text = json.dumps(compiled.spec.document.data, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.blake2b(text.encode(), digest_size=16).hexdigest()


def inside(path: str, folder: str) -> bool:
    """Whether the absolute ``path`` is the absolute ``folder`` or within it."""
    return path == folder or path.startswith(folder.rstrip(os.sep) + os.sep)


def listed(inputs, root: Path | None = None) -> tuple[list[str], list[str]]:
    """The input files, each once, in order, leaving out those inside the dataset folder ``root`` (its
    manifest is JSON, not a report); the folders given that hold none."""
    files: dict = {}
    empty = []
    folder = str(root.resolve()) if root is not None else None
    for given in inputs:
        found = [f for f in expand([given]) if folder is None or not inside(os.path.abspath(f), folder)]
        if not found:
            empty.append(str(given))
        files.update(dict.fromkeys(found))
    return list(files), empty


def export(inputs, dataset, options: Options = Options(), acceptances=None,
           progress: Callable[[int], None] | None = None) -> Outcome:
    """Export the reports of ``inputs`` (files and folders, any format govspec reads) to the dataset folder
    ``dataset``, made or brought up to date (see the module's description)."""
    need("pyarrow")
    root = Path(dataset)
    outcome = Outcome(str(root))
    with locked(root):
        manifest = read_manifest(root, required=False)
        whole(root, manifest)
        tidy(root, manifest)  # what a run that stopped half way left
        _Run(root, manifest, options, acceptances, progress, outcome).run(inputs)
    return outcome


class _Run:
    def __init__(self, root: Path, manifest: dict, options: Options, acceptances, progress, outcome: Outcome) -> None:
        self.root, self.manifest, self.options = root, manifest, options
        self.acceptances, self.progress, self.outcome = acceptances, progress, outcome
        self.generation = manifest["generation"] + 1
        self.part = Part(root, self.generation)
        self.specs: dict = {}  # ref -> compiled spec
        self.ledger = Ledger()  # what the rules across reports read of the reports judged again
        self.bodies: set | None = set()  # the bodies whose reports are judged again by them (None: every body)

    def run(self, inputs) -> None:
        files, empty = listed(inputs, self.root)
        old = self.manifest
        judged_by = self.options.judged_by(self._old_spec_digests())
        if old["judged_by"] is not None and old["judged_by"] != judged_by:
            self.outcome.rejudged = True
        keep, todo, stats = self._compare(files, old, rejudge=self.outcome.rejudged)
        if self.outcome.rejudged or not old["parts"]:
            self.bodies = None
        try:
            parts = self._kept_parts(keep)
            kept = list(parts)
            new_files: dict = {}
            if todo or empty:
                new_part = self._read(todo, empty, stats, new_files)
                if new_part is not None:
                    parts.append(new_part)
            files_entry = {path: {**old["files"][path], "size": stats[path][0], "mtime_ns": stats[path][1]}
                           for path in files if path in keep}  # a file touched but unchanged: its new time
            files_entry.update(new_files)
            written = self._across(kept, parts, files_entry)
        finally:
            self.ledger.close()
        specs = {ref: parallel.spec_key(compiled) for ref, compiled in self.specs.items()}
        tables = {"reports": [written["reports"]], "cells": [p["cells"] for p in parts],
                  "findings": [p["findings"] for p in parts] + ([written["across"]] if "across" in written else [])}
        manifest = {"govspec_dataset": old["govspec_dataset"], "generation": self.generation,
                    "judged_by": self.options.judged_by({ref: spec_digest(c) for ref, c in sorted(self.specs.items())}),
                    "next_report_id": self.next_id, "files": files_entry, "parts": parts, "tables": tables,
                    "updates": written.get("updates"), "specs": specs}
        commit(self.root, manifest)

    # --- which inputs are read again ---------------------------------------------------------------------------

    def _old_spec_digests(self) -> dict:
        """The digests of the specs the dataset was judged with, as they are now (a changed spec file: judged
        again); a spec that cannot be found any more counts as changed."""
        from govspec.dataset.across import spec_of
        found: dict[str, str | None] = {}
        sources = self.manifest.get("specs", {})
        for ref in sorted(sources):
            try:
                found[ref] = spec_digest(spec_of(ref, self.specs, sources))
            except (GovspecError, OSError):  # a spec gone or broken: everything is judged again
                found[ref] = None
        return found

    def _compare(self, files: list, old: dict, rejudge: bool):
        keep: set = set()
        todo: list = []
        stats: dict = {}
        for path in files:
            try:
                info = os.stat(path)
                stats[path] = (info.st_size, info.st_mtime_ns)
            except OSError:
                stats[path] = (None, None)
            before = None if rejudge else old["files"].get(path)
            if before is not None and before.get("digest") is not None and self._same(path, before, stats[path]):
                keep.add(path)
            else:
                todo.append(path)
        outcome = self.outcome
        outcome.kept = len(keep)
        outcome.added = sum(1 for p in todo if p not in old["files"])
        outcome.replaced = len(todo) - outcome.added
        outcome.dropped = sum(1 for p, e in old["files"].items() if p not in stats and not e.get("folder"))
        self.next_id = old["next_report_id"]
        return keep, todo, stats

    def _same(self, path: str, before: dict, stat: tuple) -> bool:
        if not self.options.verify and [before.get("size"), before.get("mtime_ns")] == list(stat):
            return True
        try:
            return digest_file(path) == before["digest"]
        except OSError:
            return False

    def _kept_parts(self, keep: set) -> list:
        """The parts of the dataset without the rows of inputs not kept (a part that lost some is rewritten)."""
        pq = need("pyarrow.parquet")
        pc = need("pyarrow.compute")
        pa = need("pyarrow")
        parts = []
        for number, part in enumerate(self.manifest["parts"]):
            kept = [f for f in part["files"] if f in keep]
            if len(kept) == len(part["files"]):
                parts.append(part)
                continue
            ranges = [self.manifest["files"][f]["reports"] for f in kept]
            ids = pa.array([i for first, last in ranges for i in range(first, last + 1)], pa.int64())
            self._dropped(part, ids)
            if not kept:
                continue
            rewritten: dict = {"name": stem(self.generation, f"-{number}"), "files": kept, "reports": len(ids)}
            for table, (folder, shape) in PART.items():
                temporary, relative = self.part.path(folder, rewritten["name"])
                with pq.ParquetWriter(temporary, schema(shape)) as writer:
                    for piece in batches(self.root / part[table], 65536):
                        writer.write_batch(piece.filter(pc.is_in(piece.column("report_id"), ids)))
                self.part.done(temporary, relative)
                rewritten[table] = relative
            parts.append(rewritten)
        return parts

    def _dropped(self, part: dict, kept_ids) -> None:
        """The bodies of the reports of ``part`` that leave the dataset: judged again by the rules across reports."""
        if self.bodies is None:
            return
        pc, pq = need("pyarrow.compute"), need("pyarrow.parquet")
        table = pq.read_table(self.root / part["own"], columns=["report_id", "body"])
        gone = table.filter(pc.invert(pc.is_in(table.column("report_id"), kept_ids)))
        self.bodies.update(b for b in gone.column("body").to_pylist() if b is not None)

    # --- reading new and changed inputs ------------------------------------------------------------------------

    def _read(self, todo: list, empty: list, stats: dict, new_files: dict) -> dict | None:
        """Read the new and changed inputs into a new part: each unit read, validated and made into rows where
        the executor runs it (here, worker processes, a Dask cluster); here, the rows numbered and written."""
        name = stem(self.generation)
        targets = {table: self.part.path(folder, name) for table, (folder, _) in PART.items()}
        writers = Writers({table: (targets[table][0], schema(shape)) for table, (_, shape) in PART.items()})
        # each new file's digest taken beside the reading (hashing and reading a file let other threads run)
        hashing = ThreadPoolExecutor(1, thread_name_prefix="govspec-digest")
        digests: dict = {}
        count = 0
        try:
            for piece in self._pieces(todo, empty):
                if piece.path not in digests:
                    digests[piece.path] = hashing.submit(_digest_or_none, piece.path, piece.path in empty)
                offset = self.next_id
                writers.write("own", numbered(piece.own, offset))
                if piece.findings is not None:
                    writers.write("findings", numbered(piece.findings, offset))
                for cells in piece.cells:
                    writers.write("cells", numbered(cells, offset))
                self._keep(piece, offset)
                entry = new_files.setdefault(piece.path, {"size": stats.get(piece.path, (None,))[0],
                                                          "mtime_ns": stats.get(piece.path, (None, None))[1],
                                                          "digest": None, "reports": [offset, offset]})
                self.next_id += piece.count
                entry["reports"][1] = self.next_id - 1
                count += piece.count
                if self.progress is not None:
                    self.progress(count)
        except BaseException:
            hashing.shutdown(cancel_futures=True)  # what is not hashed yet is not needed
            raise
        finally:
            writers.close()
        hashing.shutdown()
        for path, entry in new_files.items():
            entry["digest"] = digests[path].result()
            entry["part"] = name
            if path in empty:  # a folder given that holds no report file: said again by every run
                entry["folder"] = True
        if not count:
            return None
        part = {"name": name, "files": list(new_files), "reports": count}
        for table, (temporary, relative) in targets.items():
            self.part.done(temporary, relative)
            part[table] = relative
        return part

    def _pieces(self, todo: list, empty: list) -> Iterator[Piece]:
        """The pieces of the inputs, in order: units read here, or sent to worker processes or the executor given
        when there are several units and enough work (as ``govspec validate`` decides)."""
        options = self.options
        batch = [*parallel.units(todo, SPLIT_BYTES, csv=False),  # a CSV file read whole, by one process
                 *(parallel.Unit(folder, empty=True) for folder in empty)]
        settings = parallel.Options(options.spec, options.version, True, True, options.strict_blanks)
        executor = parallel.executor_for(batch, options.jobs, options.executor)
        if executor is None:
            for unit in batch:
                yield from pieces(unit, settings, self.acceptances)
            return
        try:
            for found in executor.map(unit_pieces, [(unit, settings, self.acceptances) for unit in batch]):
                yield from found
        finally:
            if options.executor is None and isinstance(executor, parallel.Processes):  # local workers, which stay
                executor.close()  # from one map to the next: stopped (not an executor given)

    def _keep(self, piece: Piece, offset: int) -> None:
        """What the rules across reports read of the piece's reports, into the ledger, numbered by report id."""
        for ref, key in piece.specs.items():
            if ref not in self.specs:
                self.specs[ref] = parallel.spec_of_key(key)
        if piece.ledger:
            self.ledger.add_rows(piece.ledger, offset, {row[4]: self.specs[row[4]] for row in piece.ledger})
            if self.bodies is not None:
                self.bodies.update(row[1] for row in piece.ledger)

    def _across(self, kept: list, parts: list, files: dict) -> dict:
        """Judge the rules across reports again for the bodies touched (every body: ``bodies`` None)."""
        from govspec.dataset import across
        pa, np = need("pyarrow"), need("numpy")
        # the ids of the reports the dataset holds now (made as ranges: a million of them as Python ints would be 36 MB)
        ranges = [np.arange(entry["reports"][0], entry["reports"][1] + 1, dtype=np.int64) for entry in files.values()]
        live = pa.array(np.concatenate(ranges) if ranges else np.zeros(0, dtype=np.int64))
        if self.bodies:
            across.add_kept(self.ledger, self.root, kept, self.bodies, self.specs, self.manifest.get("specs", {}))
        return across.write_reports(self, parts, self.ledger, across.kept_updates(self, self.bodies, live))


def _digest_or_none(path: str, folder: bool) -> str | None:
    if folder:
        return None
    try:
        return digest_file(path)
    except OSError:
        return None
