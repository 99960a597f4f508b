"""Specs that extend another spec (a province's additions to a national template).

An extension names its base (``extends: gov-info-disclosure@2019`` or a path), and may add rows,
override labels, add rules and remove rules of the base — each removal explicit, with a reason, so
that lint and diff show it.  The result is an ordinary spec document: the base's data with the
changes applied, checked by the same meta-schema and compiled the same way.
"""

from __future__ import annotations

import copy

from govspec.errors import did_you_mean
from govspec.spec.document import YamlDocument


def merge(doc: YamlDocument, base: YamlDocument) -> YamlDocument:
    """The extension ``doc`` applied to ``base`` (the document it extends, already merged): a plain spec
    document.  The loader finds the base (:func:`govspec.spec.loader.base_document`)."""
    data = copy.deepcopy(base.data)
    ext = doc.data
    marks: dict = {}
    for key in ("id", "version", "title", "issued_by", "issued_on", "region", "report_years", "blank", "defaults",
                "placeholders", "migration"):
        if key in ext:
            data[key] = copy.deepcopy(ext[key])
            _copy_marks(doc, marks, (key,), (key,))
        elif key == "migration":
            data.pop(key, None)  # the base's migration is from the base's predecessor
    if "sections" in ext:
        data["sections"] = copy.deepcopy(ext["sections"])
    for index, item in enumerate(ext.get("add_rows", ())):
        _add(doc, data, item, ("add_rows", index), marks, "rows", "row")
    for index, item in enumerate(ext.get("add_columns", ())):
        _add(doc, data, item, ("add_columns", index), marks, "columns", "column")
    for index, item in enumerate(ext.get("relabel", ())):
        _relabel(doc, data, item, ("relabel", index))
    removed = []
    rules = data.get("rules", [])
    for index, item in enumerate(ext.get("remove_rules", ())):
        ids = [r["id"] for r in rules]
        if item["id"] not in ids:
            raise doc.error(f"remove_rules: the base has no rule {item['id']!r}{did_you_mean(item['id'], ids)}",
                            ("remove_rules", index, "id"))
        rules = [r for r in rules if r["id"] != item["id"]]
        removed.append({"id": item["id"], "reason": item["reason"]})
    offset = len(rules)
    for index, rule in enumerate(ext.get("rules", ())):
        rules.append(copy.deepcopy(rule))
        _copy_marks(doc, marks, ("rules", index), ("rules", offset + index))
    data["rules"] = rules
    merged = YamlDocument(data=data, source=doc.source, marks=marks)
    merged.marks.setdefault((), doc.marks.get((), (1, 1)))
    merged.extension = {"extends": ext["extends"], "removed_rules": removed, "base": base}
    return merged


def _copy_marks(doc: YamlDocument, marks: dict, source: tuple, target: tuple) -> None:
    for path, position in doc.marks.items():
        if path[:len(source)] == source:
            marks[target + path[len(source):]] = position


def _table(doc, data, table_id, where):
    tables = data.get("tables", [])
    for index, table in enumerate(tables):
        if table["id"] == table_id:
            return index, table
    raise doc.error(f"unknown table {table_id!r}{did_you_mean(table_id, [t['id'] for t in tables])}", where)


def _grid(doc, table, block_id, where):
    if "blocks" not in table:
        if block_id is not None:
            raise doc.error(f"table {table['id']!r} has no blocks", where)
        return None, table
    ids = [b["id"] for b in table["blocks"]]
    if block_id not in ids:
        raise doc.error(f"unknown block {block_id!r} of table {table['id']!r}{did_you_mean(str(block_id), ids)}",
                        where)
    index = ids.index(block_id)
    return index, table["blocks"][index]


def _add(doc, data, item, where, marks, key: str, what: str) -> None:
    """Insert a row or column (``key`` "rows"/"columns") into a table of the base, after another."""
    table_index, table = _table(doc, data, item["table"], where + ("table",))
    block_index, grid = _grid(doc, table, item.get("block"), where + ("block",))
    items = grid[key]
    position = len(items)
    if "after" in item:
        ids = [x["id"] for x in items]
        if item["after"] not in ids:
            raise doc.error(f"after: unknown {what} {item['after']!r}{did_you_mean(item['after'], ids)}",
                            where + ("after",))
        position = ids.index(item["after"]) + 1
    items.insert(position, copy.deepcopy(item[what]))
    target = ("tables", table_index) + (("blocks", block_index) if block_index is not None else ()) + \
        (key, position)
    _copy_marks(doc, marks, where + (what,), target)


def _relabel(doc, data, item, where) -> None:
    kind, _, path = item["target"].partition(":")
    parts = path.split(".")
    found = None
    if kind == "section":
        found = next((s for s in data.get("sections", ()) if s["id"] == path), None)
    elif kind == "table":
        found = next((t for t in data["tables"] if t["id"] == path), None)
    elif len(parts) >= 2:
        table = next((t for t in data["tables"] if t["id"] == parts[0]), None)
        grids = (table.get("blocks") or [table]) if table else []
        if kind == "block":
            found = next((b for b in grids if b.get("id") == parts[1] and b is not table), None)
        else:
            key = "rows" if kind == "row" else "columns"
            if kind == "column" and len(parts) == 3:
                grids = [b for b in grids if b.get("id") == parts[1]]
            name = parts[-1]
            found = next((x for grid in grids for x in grid[key] if x["id"] == name), None)
    if found is None:
        raise doc.error(f"relabel: nothing matches {item['target']!r}", where + ("target",))
    if found.get("label") and found["label"] != item["label"] and kind in ("row", "column", "section"):
        found["aliases"] = [*found.get("aliases", []), found["label"]]  # the base's wording stays a known variant
    found["label"] = item["label"]
    if "en" in item:
        found["en"] = item["en"]
