"""What changed between two specs: structure (sections, tables, blocks, rows, columns, cells) and rules.

Items are matched by id: the same id with a new label is *relabelled*, with a new type *retyped*;
an id only on one side is *added* or *removed*.  The output is a list of changes, as text, as
Markdown (for a regulator's notice) or as JSON.
"""

from __future__ import annotations

from dataclasses import asdict

from govspec.records import record
from govspec.rules.syntax import to_text
from govspec.spec.compiler import CompiledSpec


@record
class Change:
    kind: str        # added | removed | relabelled | retyped | changed | moved
    what: str        # section | table | block | row | column | row_group | column_group | cell | rule | metadata
    where: str       # the table / block it is in ("" for the spec itself)
    id: str
    before: str | None = None
    after: str | None = None


def _label(item) -> str:
    return getattr(item, "label", None) or ""


def _by_id(items) -> dict:
    return {item.id: item for item in items}


def _compare(what: str, where: str, old: dict, new: dict, changes: list, detail=None) -> None:
    for item_id, item in old.items():
        if item_id not in new:
            changes.append(Change("removed", what, where, item_id, before=_label(item)))
    for item_id, item in new.items():
        if item_id not in old:
            changes.append(Change("added", what, where, item_id, after=_label(item)))
            continue
        before = old[item_id]
        if _label(before) != _label(item):
            changes.append(Change("relabelled", what, where, item_id, before=_label(before), after=_label(item)))
        if detail:
            detail(before, item)


def diff(a: CompiledSpec, b: CompiledSpec) -> list[Change]:
    """Every change from spec ``a`` to spec ``b``, structure first, then rules."""
    changes: list[Change] = []
    sa, sb = a.spec, b.spec
    for field, before, after in (("title", sa.title["zh"], sb.title["zh"]), ("issued_by", sa.issued_by, sb.issued_by),
                                 ("report_years", f"{sa.years[0]}–{sa.years[1] or ''}",
                                  f"{sb.years[0]}–{sb.years[1] or ''}")):
        if before != after:
            changes.append(Change("changed", "metadata", "", field, before, after))
    _compare("section", "", _by_id(sa.sections), _by_id(sb.sections), changes)
    _compare("table", "", _by_id(sa.tables), _by_id(sb.tables), changes,
             lambda old, new: _tables(old, new, changes))
    _rules(a, b, changes)
    return changes


def _tables(old, new, changes: list) -> None:
    blocks_old = {blk.id or "": blk for blk in old.blocks}
    blocks_new = {blk.id or "": blk for blk in new.blocks}
    for block_id, block in blocks_old.items():
        if block_id not in blocks_new:
            changes.append(Change("removed", "block", old.id, block_id, before=block.label))
    for block_id, block in blocks_new.items():
        if block_id not in blocks_old:
            changes.append(Change("added", "block", new.id, block_id, after=block.label))
            continue
        before = blocks_old[block_id]
        where = f"{new.id}.{block_id}" if block_id else new.id
        if (before.label or "") != (block.label or ""):
            changes.append(Change("relabelled", "block", new.id, block_id, before.label, block.label))
        _compare("column_group", where, before.column_groups, block.column_groups, changes)
        _compare("row_group", where, before.row_groups, block.row_groups, changes)
        _compare("column", where, _by_id(before.columns), _by_id(block.columns), changes,
                 lambda o, n, where=where: _retyped(o, n, where, changes))
        _compare("row", where, _by_id(before.rows), _by_id(block.rows), changes,
                 lambda o, n, where=where: _regrouped(o, n, where, changes))
        old_cells = {f"{r.id}.{c.id}" for r in before.rows for c in before.columns} - before.absent
        new_cells = {f"{r.id}.{c.id}" for r in block.rows for c in block.columns} - block.absent
        rows_o, rows_n = {r.id for r in before.rows}, {r.id for r in block.rows}
        cols_o, cols_n = {c.id for c in before.columns}, {c.id for c in block.columns}
        for cell in sorted(old_cells - new_cells):  # cells gone although their row and column remain
            row, column = cell.split(".")
            if row in rows_n and column in cols_n:
                changes.append(Change("removed", "cell", where, cell))
        for cell in sorted(new_cells - old_cells):
            row, column = cell.split(".")
            if row in rows_o and column in cols_o:
                changes.append(Change("added", "cell", where, cell))


def _retyped(old, new, where: str, changes: list) -> None:
    before = old.type + (f" ({old.unit})" if old.unit else "")
    after = new.type + (f" ({new.unit})" if new.unit else "")
    if before != after:
        changes.append(Change("retyped", "column", where, new.id, before, after))


def _regrouped(old, new, where: str, changes: list) -> None:
    if old.group != new.group:
        changes.append(Change("moved", "row", where, new.id, old.group, new.group))


def _rules(a: CompiledSpec, b: CompiledSpec, changes: list) -> None:
    old, new = {r.id: r for r in a.rules}, {r.id: r for r in b.rules}
    removed_by = {item["id"]: item["reason"]["zh"] for item in b.spec.removed_rules}
    for rule_id, rule in old.items():
        if rule_id not in new:
            reason = f"; removed by the extension: {removed_by[rule_id]}" if rule_id in removed_by else ""
            changes.append(Change("removed", "rule", rule.decl.table or "", rule_id, before=rule.decl.check + reason))
    for rule_id, rule in new.items():
        if rule_id not in old:
            changes.append(Change("added", "rule", rule.decl.table or "", rule_id, after=rule.decl.check))
            continue
        before, after = old[rule_id].decl, rule.decl
        where = after.table or ""
        if to_text(old[rule_id].ast) != to_text(rule.ast) or before.for_each != after.for_each:
            changes.append(Change("changed", "rule", where, rule_id, before.check, after.check))
        for attribute in ("severity", "basis", "on_blank", "tolerance"):
            x, y = getattr(before, attribute), getattr(after, attribute)
            if x != y:
                changes.append(Change("changed", f"rule {attribute}", where, rule_id, str(x), str(y)))
        if dict(before.message) != dict(after.message):
            changes.append(Change("changed", "rule message", where, rule_id, before.message["zh"],
                                  after.message["zh"]))


# --- output ---------------------------------------------------------------------------------

def as_json(a: CompiledSpec, b: CompiledSpec, changes: list[Change]) -> dict:
    return {"govspec_diff": 1, "from": a.spec.ref, "to": b.spec.ref, "changes": [asdict(c) for c in changes]}


def _line(change: Change) -> str:
    where = f"{change.where}: " if change.where else ""
    if change.kind in ("relabelled", "retyped", "changed", "moved"):
        return f"{change.kind} {change.what} {where}{change.id}: {change.before} → {change.after}"
    label = change.after if change.kind == "added" else change.before
    return f"{change.kind} {change.what} {where}{change.id}" + (f" ({label})" if label else "")


def as_text(a: CompiledSpec, b: CompiledSpec, changes: list[Change]) -> str:
    if not changes:
        return f"{a.spec.ref} → {b.spec.ref}: no changes\n"
    return f"{a.spec.ref} → {b.spec.ref}: {len(changes)} changes\n" + "".join(f"  {_line(c)}\n" for c in changes)


KIND_ZH = {"added": "新增", "removed": "删除", "relabelled": "改名", "retyped": "改类型", "changed": "修改", "moved": "移动"}
WHAT_ZH = {"section": "部分", "table": "表格", "block": "栏目", "row": "行", "column": "列", "row_group": "行分组",
           "column_group": "列分组", "cell": "单元格", "rule": "规则", "metadata": "信息"}


def as_markdown(a: CompiledSpec, b: CompiledSpec, changes: list[Change]) -> str:
    """A table a regulator can paste into a notice."""
    lines = [f"### {a.spec.title['zh']}：{a.spec.version} 版 → {b.spec.version} 版的变化", "",
             "| 位置 | 变化 | 项目 | 原 | 新 |", "|---|---|---|---|---|"]
    for c in changes:
        what = WHAT_ZH.get(c.what, c.what)
        lines.append(f"| {c.where or '—'} | {KIND_ZH.get(c.kind, c.kind)}{what} | `{c.id}` | {c.before or ''} | "
                     f"{c.after or ''} |".replace("|  |", "| |"))
    if not changes:
        lines.append("| — | 无变化 | | | |")
    return "\n".join(lines) + "\n"
