"""Migrating instances from one version of a spec to the next, as the newer spec declares.

A spec's ``migration`` lists steps (docs/spec-format.md#migration): ``copy`` cells that keep their id
and meaning, ``from``/``to`` one cell onto another, ``sum`` several cells into one, ``drop`` cells with
the reason they cannot be carried.  Every cell of the old version must be covered by exactly one
step; nothing is guessed.
"""

from __future__ import annotations

import fnmatch
from dataclasses import field

from govspec.errors import SpecError, did_you_mean
from govspec.records import record
from govspec.spec.compiler import CompiledSpec


@record
class Plan:
    old: CompiledSpec
    new: CompiledSpec
    moves: tuple          # (old cell, new cell)
    sums: tuple           # ((old cells…), new cell)
    drops: dict           # old cell -> reason {zh, en}


@record(frozen=False)
class Outcome:
    """What a migration did to one report."""

    moved: list = field(default_factory=list)       # (old, new)
    summed: list = field(default_factory=list)      # ((old…), new, value)
    dropped: list = field(default_factory=list)     # (old, value, reason)
    not_summed: list = field(default_factory=list)  # ((old…), new): a source was blank
    blank_targets: list = field(default_factory=list)  # new cells nothing fills
    unseen: list = field(default_factory=list)  # new cells that are (or hold) cells the source did not show: not seen


def _cells(spec: CompiledSpec, pattern: str) -> list[str]:
    return [c.id for c in spec.cells if fnmatch.fnmatchcase(c.id, pattern)]


def plan(old: CompiledSpec, new: CompiledSpec) -> Plan:
    """Check ``new``'s migration against both specs; raises SpecError (with the YAML line) if it is wrong."""
    doc = new.spec.document
    migration = new.spec.migration
    if not migration or migration["from"] != old.version:
        raise SpecError(f"{new.spec.ref} declares no migration from version {old.version}",
                        source=new.spec.source)
    base = ("migration", "steps")
    moves: list = []
    sums: list = []
    drops: dict = {}
    covered: dict = {}
    old_ids, new_ids = {c.id for c in old.cells}, {c.id for c in new.cells}

    def cover(cell: str, index: int) -> None:
        if cell in covered:
            raise doc.error(f"{cell} is covered by steps {covered[cell] + 1} and {index + 1}", base + (index,))
        covered[cell] = index

    def one(cell: str, ids: set, index: int, key: str, which: str) -> str:
        if cell not in ids:
            raise doc.error(f"{cell} is not a cell of the {which} version{did_you_mean(cell, ids)}", base + (index, key))
        return cell

    for index, step in enumerate(migration["steps"]):
        if "copy" in step:
            excluded = {c for pattern in step.get("except", ()) for c in _cells(old, pattern)}
            cells = [c for c in _cells(old, step["copy"]) if c not in excluded]
            if not cells:
                raise doc.error(f"copy {step['copy']!r} matches no cell of version {old.version}", base + (index,))
            for cell in cells:
                if cell not in new_ids:
                    raise doc.error(f"copy: {cell} has no cell of the same id in {new.version}", base + (index,))
                cover(cell, index)
                moves.append((cell, cell))
        elif "sum" in step:
            sources = [one(c, old_ids, index, "sum", "old") for c in step["sum"]]
            target = one(step["to"], new_ids, index, "to", "new")
            for cell in sources:
                cover(cell, index)
            sums.append((tuple(sources), target))
        elif "from" in step:
            source = one(step["from"], old_ids, index, "from", "old")
            target = one(step["to"], new_ids, index, "to", "new")
            cover(source, index)
            moves.append((source, target))
        else:
            cells = _cells(old, step["drop"])
            if not cells:
                raise doc.error(f"drop {step['drop']!r} matches no cell of version {old.version}", base + (index,))
            for cell in cells:
                cover(cell, index)
                drops[cell] = step["reason"]
    missing = sorted(old_ids - set(covered))
    if missing:
        raise doc.error(f"the migration from {old.version} says nothing about {len(missing)} cells, e.g. "
                        f"{', '.join(missing[:3])}: copy, map, sum or drop (with a reason) each", base)
    targets = [t for _, t in moves] + [t for _, t in sums]
    duplicated = sorted({t for t in targets if targets.count(t) > 1})
    if duplicated:
        raise doc.error(f"several steps fill {', '.join(duplicated)}", base)
    return Plan(old, new, tuple(moves), tuple(sums), drops)


def _get(document: dict, cell: str):
    table, row, column = cell.split(".")
    rows = document.get("tables", {}).get(table)
    columns = rows.get(row) if isinstance(rows, dict) else None
    return columns.get(column) if isinstance(columns, dict) else None


def apply(plan: Plan, document: dict) -> tuple[dict, Outcome]:
    """The document in the new version, and what was moved, summed and dropped."""
    outcome = Outcome()
    values: dict = {}
    unseen = set(document.get("unseen") or ())  # cells the published source did not show
    seen_not: list = []  # the new cells they are, or are part of: not seen either (never blank, never summed)
    for source, target in plan.moves:
        value = _get(document, source)
        if source in unseen:
            seen_not.append(target)
        elif value is not None:
            values[target] = value
            outcome.moved.append((source, target))
    for sources, target in plan.sums:
        parts = [_get(document, c) for c in sources]
        if unseen.intersection(sources):
            seen_not.append(target)
            continue
        if any(p is None for p in parts) or not all(isinstance(p, int) and not isinstance(p, bool) for p in parts):
            outcome.not_summed.append((sources, target))
            continue
        values[target] = sum(parts)
        outcome.summed.append((sources, target, values[target]))
    for cell, reason in plan.drops.items():
        value = _get(document, cell)
        if value is not None:
            outcome.dropped.append((cell, value, reason))
    tables: dict = {}
    for cell in plan.new.cells:
        if cell.id in values:
            tables.setdefault(cell.table.id, {}).setdefault(cell.row.id, {})[cell.column.id] = values[cell.id]
        elif cell.id not in seen_not:
            outcome.blank_targets.append(cell.id)
    migrated: dict = {"spec": plan.new.id, "version": plan.new.version}
    if "report" in document:
        migrated["report"] = dict(document["report"])
    migrated["tables"] = tables
    if seen_not:
        missing = set(seen_not)
        outcome.unseen = [cell.id for cell in plan.new.cells if cell.id in missing]  # in the new version's order
        migrated["unseen"] = outcome.unseen
    known = {f"{v.table}.{v.group}" for v in plan.new.spec.variants}  # a variant the new version knows too
    if any(key in known for key in document.get("variants") or {}):
        migrated["variants"] = {key: dict(columns) for key, columns in document["variants"].items() if key in known}
    return migrated, outcome
