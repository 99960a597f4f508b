"""Migrating report files (what ``govspec migrate`` runs): read reports, move each to another version of its
spec with :mod:`govspec.tools.migration`, write them safely."""

from __future__ import annotations

import json
from pathlib import Path

from govspec.check.report import select_spec
from govspec.errors import GovspecError, InstanceError
from govspec.io.readers import Unreadable, read_all
from govspec.io.writers import check_outputs, to_json, write_atomic
from govspec.records import record
from govspec.spec import loader
from govspec.spec.resolver import SpecNotFound, is_file_reference
from govspec.tools import migration


@record(frozen=False)
class Migrated:
    source: str
    document: dict | None           # None when the input could not be read or migrated
    outcome: migration.Outcome | None = None
    error: GovspecError | None = None
    plan: migration.Plan | None = None


def _plain(value):
    """CSV text cells become plain JSON values (their text is kept; validation reads it later)."""
    return getattr(value, "text", value)


def _plain_document(document: dict) -> dict:
    tables = {t: {r: {c: _plain(v) for c, v in cols.items()} if isinstance(cols, dict) else cols
                  for r, cols in rows.items()} if isinstance(rows, dict) else rows
              for t, rows in document.get("tables", {}).items()}
    return {**document, "tables": tables}


def migrate_paths(paths, to_version: str, spec=None, version=None):
    plans: dict = {}
    for item in read_all(paths):
        if isinstance(item, Unreadable):
            yield Migrated(item.source, None, error=item.error)
            continue
        try:
            old, _ = select_spec(item.document, spec, version, item.source)
            key = (old, to_version)
            if key not in plans:
                new = _target_spec(old, to_version, item.source)
                if new is old or new.version == old.version:
                    raise InstanceError(f"already in version {new.version}: nothing to migrate",
                                        zh=f"已是版本 {new.version}：无需迁移", source=item.source)
                plans[key] = migration.plan(old, new)
            document, outcome = migration.apply(plans[key], _plain_document(item.document))
            yield Migrated(item.source, document, outcome, plan=plans[key])
        except GovspecError as error:
            yield Migrated(item.source, None, error=error)


def _target_spec(old, to: str, source: str):
    """``--to``: a version of the input's spec, or a spec file (a draft version not shipped yet)."""
    if is_file_reference(to):
        new = loader.load(to).spec
        if new.id != old.id:
            raise InstanceError(f"--to {to} is spec {new.id!r}, not {old.id!r}",
                                zh=f"--to {to} 是规范 {new.id!r}，不是 {old.id!r}", source=source, key="--to")
        return new
    try:
        return loader.load(old.id, to).spec
    except SpecNotFound as exc:
        raise InstanceError(exc.message, zh=exc.zh, source=source, key="--to") from None


def _target(out_dir: Path, source: str, to_version: str) -> Path:
    path, _, line = source.partition(":")
    stem = Path(path).stem + (f"-{line}" if line else "")
    return out_dir / f"{stem}.v{to_version}.json"


def write_migrated(results: list, out_dir: str) -> dict:
    """Write each migrated report atomically; never over an existing file (inputs included)."""
    folder = Path(out_dir)
    folder.mkdir(parents=True, exist_ok=True)
    targets = {r.source: _target(folder, r.source, r.document["version"]) for r in results if r.document}
    check_outputs([str(t) for t in targets.values()], sorted({r.source.partition(":")[0] for r in results}))
    for target in targets.values():  # check every target before writing any
        if target.exists():
            raise InstanceError("will not overwrite an existing file; choose another --out folder",
                                zh="不会覆盖已有文件；请另选 --out 文件夹",
                                source=str(target))
    for result in results:
        if result.document is not None:
            write_atomic(targets[result.source], to_json(result.document))
    return targets


def migration_report(results: list, written: dict, fmt: str, lang: str) -> str:
    if fmt == "json":
        return json.dumps({"govspec_migration": 1, "reports": [_json(r, written, lang) for r in results]},
                          ensure_ascii=False, indent=2) + "\n"
    lines = []
    for r in results:
        if r.document is None:
            lines.append(f"{r.source}: {'无法迁移' if lang == 'zh' else 'not migrated'} — {r.error}")
            continue
        o = r.outcome
        target = f" → {written[r.source]}" if r.source in written else ""
        head = (f"{r.source}{target}: {r.plan.old.spec.ref} → {r.plan.new.spec.ref}; "
                + (f"迁移 {len(o.moved)} 格，合计 {len(o.summed)} 格，未迁移 {len(o.dropped)} 格，"
                   f"新版留空 {len(o.blank_targets)} 格" if lang == "zh" else
                   f"moved {len(o.moved)} cells, summed {len(o.summed)}, not carried {len(o.dropped)}, "
                   f"left blank in the new version {len(o.blank_targets)}")
                + ((f"，原文中未读到 {len(o.unseen)} 格（新版中仍为未读到）" if lang == "zh" else
                    f", not seen in the source {len(o.unseen)} (not seen in the new version either)") if o.unseen else ""))
        lines.append(head)
        reasons: dict = {}
        for cell, value, reason in o.dropped:
            reasons.setdefault(reason[lang], []).append(f"{cell}={value}")
        for reason, cells in reasons.items():
            lines.append(f"  {'未迁移' if lang == 'zh' else 'not carried'}: {', '.join(cells)}")
            lines.append(f"    {reason}")
        for sources, target_cell in o.not_summed:
            lines.append(f"  {'未合计（有空白或非整数）' if lang == 'zh' else 'not summed (a part is blank or not an integer)'}: "
                         f"{' + '.join(sources)} → {target_cell}")
    return "\n".join(lines) + "\n"


def _json(result: Migrated, written: dict, lang: str) -> dict:
    if result.document is None:
        return {"source": result.source, "migrated": False, "error": str(result.error)}
    o, plan = result.outcome, result.plan
    assert o is not None and plan is not None  # a migrated document has both
    return {
        "source": result.source, "migrated": True, "written": str(written.get(result.source) or "") or None,
        "from": plan.old.spec.ref, "to": plan.new.spec.ref,
        "moved": [{"from": a, "to": b} for a, b in o.moved],
        "summed": [{"from": list(a), "to": b, "value": v} for a, b, v in o.summed],
        "not_summed": [{"from": list(a), "to": b} for a, b in o.not_summed],
        "dropped": [{"cell": c, "value": v if isinstance(v, (int, str)) else str(v), "reason": r[lang]}
                    for c, v, r in o.dropped],
        "blank_in_new_version": o.blank_targets,
        "unseen_in_new_version": o.unseen,
    }
