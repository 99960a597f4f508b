"""The spec model: tables, blocks, rows, columns, cells and rule declarations.

:func:`build_spec` turns a meta-checked YAML document into immutable objects and checks
what the meta-schema cannot: unique ids, group and section references.  Rule text is
parsed later, by :mod:`govspec.compiler`.
"""

from __future__ import annotations

from dataclasses import field
from decimal import Decimal
from functools import cached_property

from govspec.errors import did_you_mean
from govspec.records import record
from govspec.spec.document import YamlDocument
from govspec.spec.resolver import governs

# Rows × columns make a spec's cells: a few hundred KB of YAML could ask for millions of them (3,000 rows by 1,000
# columns took 22 s and 1.4 GB to lint). The 2021 template has 200 cells; a province's extension adds tens.
MAX_CELLS = 100_000


@record
class Group:
    id: str
    label: str
    en: str
    parent: str | None = None


@record
class Column:
    id: str
    label: str
    en: str
    group: str | None
    type: str
    unit: str | None = None
    aliases: tuple[str, ...] = ()


@record
class Row:
    id: str
    label: str | None
    en: str
    group: str | None
    aliases: tuple[str, ...] = ()


@record
class Block:
    """A grid of rows × columns.  A table without blocks has one block with id ``None``."""

    id: str | None
    label: str | None
    en: str | None
    stub: str | None
    columns: tuple[Column, ...]
    rows: tuple[Row, ...]
    column_groups: dict
    row_groups: dict
    absent: frozenset = frozenset()

    def group_path(self, groups: dict, group_id: str | None) -> tuple[Group, ...]:
        path: list[Group] = []
        while group_id is not None:
            group = groups[group_id]
            path.insert(0, group)
            group_id = group.parent
        return tuple(path)


@record
class Table:
    id: str
    section: str | None
    label: str
    en: str
    blocks: tuple[Block, ...]

    @property
    def rows(self) -> tuple[Row, ...]:
        return tuple(row for block in self.blocks for row in block.rows)

    @cached_property
    def _row_blocks(self) -> dict:
        return {row.id: block for block in self.blocks for row in block.rows}

    def block_of(self, row_id: str) -> Block:
        return self._row_blocks[row_id]


@record
class Cell:
    """One value cell.  ``id`` is ``<table>.<row>.<column>``, a public contract."""

    id: str
    table: Table
    block: Block
    row: Row
    column: Column

    @property
    def type(self) -> str:
        return self.column.type

    def label_path(self, lang: str = "zh") -> dict:
        """The labels that locate this cell in the printed table."""
        zh = lang == "zh"
        pick = (lambda item: item.label) if zh else (lambda item: item.en)
        return {
            "table": pick(self.table),
            "block": (self.block.label if zh else self.block.en) if self.block.id else None,
            "row_groups": [pick(g) for g in self.block.group_path(self.block.row_groups, self.row.group)],
            "row": (self.row.label if zh else self.row.en) or "",
            "column_groups": [pick(g) for g in self.block.group_path(self.block.column_groups, self.column.group)],
            "column": pick(self.column),
        }

    def short_label(self, lang: str = "zh") -> str:
        row = (self.row.label if lang == "zh" else self.row.en) or ""
        column = self.column.label if lang == "zh" else self.column.en
        return f"{row} / {column}" if row else column


@record
class RuleDecl:
    """A rule as written in the spec, before its check text is parsed."""

    id: str
    title: dict
    basis: str
    severity: str
    on_blank: str
    table: str | None
    for_each: tuple[str, str] | None  # ("rows" | "columns", selector text)
    check: str
    tolerance: Decimal
    message: dict
    path: tuple  # where it is in the YAML document


@record
class Section:
    id: str
    label: str
    en: str
    aliases: tuple[str, ...] = ()


@record
class Variant:
    """A known way real reports print a table differently from the template.

    ``group_as_row``: the row group ``group`` printed as one row (its label, then a value per column);
    each value is the sum of the group's rows in that column, and those rows are not printed."""

    kind: str
    table: str
    group: str
    label: str                 # the group's label: what the printed row says
    rows: tuple[str, ...]      # the rows the printed row sums
    note: dict

    @property
    def key(self) -> str:
        return f"{self.table}.{self.group}"


@record
class Spec:
    id: str
    version: str
    title: dict
    issued_by: str | None
    years: tuple[int, int | None]
    blank: dict | None
    placeholders: dict
    sections: tuple[Section, ...]
    tables: tuple[Table, ...]
    rules: tuple[RuleDecl, ...]
    source: str
    document: YamlDocument = field(repr=False, compare=False)
    across: tuple = ()                      # rules across reports (same body, consecutive years)
    extends: str | None = None              # ID@VERSION or path of the base, for an extension
    removed_rules: tuple = ()               # rules of the base an extension removed: ({id, reason}, …)
    migration: dict | None = None           # how instances of an earlier version become this one
    variants: tuple = ()                    # known ways reports print a table otherwise (Variant, …)
    region: str | None = None               # 行政区划代码 of the province the spec is for (an extension), or None

    @property
    def ref(self) -> str:
        return f"{self.id}@{self.version}"

    def governs(self, year: int) -> bool:
        return governs(self.years, year)

    def table(self, table_id: str) -> Table:
        for table in self.tables:
            if table.id == table_id:
                return table
        raise KeyError(table_id)

    def iter_cells(self):
        for table in self.tables:
            for block in table.blocks:
                for row in block.rows:
                    for column in block.columns:
                        if f"{row.id}.{column.id}" not in block.absent:
                            yield Cell(f"{table.id}.{row.id}.{column.id}", table, block, row, column)


# --- building ---------------------------------------------------------------------


def build_spec(doc: YamlDocument) -> Spec:
    """Build the model from a document that already passed the meta-schema."""
    data = doc.data
    sections = tuple(Section(s["id"], s["label"], s["en"], tuple(s.get("aliases", ())))
                     for s in data.get("sections", ()))
    _unique(doc, [s.id for s in sections], ("sections",), "section")
    section_ids = {s.id for s in sections}
    tables = []
    for ti, raw in enumerate(data["tables"]):
        path = ("tables", ti)
        if raw.get("section") is not None and raw["section"] not in section_ids:
            raise doc.error(f"unknown section {raw['section']!r}{did_you_mean(raw['section'], section_ids)}",
                            path + ("section",))
        tables.append(_table(doc, raw, path))
    _unique(doc, [t.id for t in tables], ("tables",), "table")
    cells = sum(len(block.rows) * len(block.columns) for table in tables for block in table.blocks)
    if cells > MAX_CELLS:
        raise doc.error(f"the tables make {cells} cells (rows × columns): a spec has at most {MAX_CELLS} "
                        "(the 2021 template has 200)", ("tables",))
    defaults = data.get("defaults", {})
    rules = tuple(_rule(raw, ("rules", i), defaults) for i, raw in enumerate(data.get("rules", ())))
    across = tuple(_rule(raw, ("across_reports", i), defaults) for i, raw in enumerate(data.get("across_reports", ())))
    _unique(doc, [r.id for r in rules + across], ("rules",), "rule")
    years = data["report_years"]
    if years.get("to") is not None and years["to"] < years["from"]:
        raise doc.error("report_years.to is before report_years.from", ("report_years", "to"))
    extension = doc.extension or {}
    return Spec(id=data["id"], version=data["version"], title=data["title"],
                issued_by=data.get("issued_by"), years=(years["from"], years.get("to")),
                blank=data.get("blank"), placeholders=dict(data.get("placeholders", {})), sections=sections,
                tables=tuple(tables), rules=rules, source=doc.source, document=doc,
                extends=extension.get("extends"), removed_rules=tuple(extension.get("removed_rules", ())),
                migration=data.get("migration"), across=across, region=data.get("region"),
                variants=tuple(_variant(doc, raw, tables, ("variants", i)) for i, raw in enumerate(data.get("variants", ()))))


def _variant(doc: YamlDocument, raw: dict, tables: list, path: tuple) -> Variant:
    table = next((t for t in tables if t.id == raw["table"]), None)
    if table is None:
        raise doc.error(f"unknown table {raw['table']!r}{did_you_mean(raw['table'], [t.id for t in tables])}",
                        path + ("table",))
    for block in table.blocks:
        if raw["group"] in block.row_groups:
            group = block.row_groups[raw["group"]]
            rows = tuple(r.id for r in block.rows if any(g.id == group.id for g in block.group_path(block.row_groups, r.group)))
            return Variant(raw["kind"], table.id, group.id, group.label, rows, dict(raw["note"]))
    groups = [g for b in table.blocks for g in b.row_groups]
    raise doc.error(f"table {table.id!r} has no row group {raw['group']!r}{did_you_mean(raw['group'], groups)}",
                    path + ("group",))


def _unique(doc: YamlDocument, ids: list, path: tuple, what: str) -> None:
    seen: set = set()
    for index, item in enumerate(ids):
        if item in seen:
            raise doc.error(f"duplicate {what} id {item!r}", path + (index, "id"))
        seen.add(item)


def _table(doc: YamlDocument, raw: dict, path: tuple) -> Table:
    has_blocks = "blocks" in raw
    if has_blocks == ("rows" in raw or "columns" in raw):
        raise doc.error("a table has either 'blocks' or its own 'rows' and 'columns', not both or neither", path)
    for key in () if has_blocks else ("rows", "columns"):
        if key not in raw:
            raise doc.error(f"a table without 'blocks' needs its own 'rows' and 'columns': '{key}' is missing", path)
    if has_blocks:
        blocks = tuple(_block(doc, b, path + ("blocks", i), raw) for i, b in enumerate(raw["blocks"]))
        _unique(doc, [b.id for b in blocks], path + ("blocks",), "block")
    else:
        blocks = (_block(doc, raw, path, raw, implicit=True),)
    seen: set = set()
    for block_index, block in enumerate(blocks):
        for row in block.rows:
            if row.id in seen:
                where = path + (("blocks", block_index) if has_blocks else ()) + ("rows",)
                raise doc.error(f"duplicate row id {row.id!r} in table {raw['id']!r}", where)
            seen.add(row.id)
    return Table(raw["id"], raw.get("section"), raw["label"], raw["en"], blocks)


def _groups(doc: YamlDocument, raws: list, path: tuple) -> dict:
    groups = {}
    for i, g in enumerate(raws):
        if g["id"] in groups:
            raise doc.error(f"duplicate group id {g['id']!r}", path + (i, "id"))
        groups[g["id"]] = Group(g["id"], g["label"], g["en"], g.get("parent"))
    for i, g in enumerate(raws):
        _check_ref(doc, g.get("parent"), groups, path + (i, "parent"), "group")
    for group in groups.values():  # no cycles
        seen, current = set(), group
        while current.parent is not None:
            if current.id in seen:
                raise doc.error(f"group {group.id!r} is its own ancestor", path)
            seen.add(current.id)
            current = groups[current.parent]
    return groups


def _check_ref(doc: YamlDocument, ref, known, path: tuple, what: str) -> None:
    if ref is not None and ref not in known:
        raise doc.error(f"unknown {what} {ref!r}{did_you_mean(ref, known)}", path)


def _block(doc: YamlDocument, raw: dict, path: tuple, table: dict, implicit: bool = False) -> Block:
    column_groups = _groups(doc, raw.get("column_groups", []), path + ("column_groups",))
    row_groups = _groups(doc, raw.get("row_groups", []), path + ("row_groups",))
    default_type = raw.get("type", table.get("type", "count"))
    columns = []
    for i, c in enumerate(raw["columns"]):
        _check_ref(doc, c.get("group"), column_groups, path + ("columns", i, "group"), "column group")
        ctype = c.get("type", default_type)
        if ctype == "money" and not c.get("unit"):
            raise doc.error("a money column needs a 'unit'", path + ("columns", i))
        columns.append(Column(c["id"], c["label"], c["en"], c.get("group"), ctype, c.get("unit"),
                              tuple(c.get("aliases", ()))))
    _unique(doc, [c.id for c in columns], path + ("columns",), "column")
    rows = []
    for i, r in enumerate(raw["rows"]):
        _check_ref(doc, r.get("group"), row_groups, path + ("rows", i, "group"), "row group")
        rows.append(Row(r["id"], r.get("label"), r["en"], r.get("group"), tuple(r.get("aliases", ()))))
    absent = frozenset(raw.get("absent_cells", ()))
    row_ids, column_ids = {r.id for r in rows}, {c.id for c in columns}
    for ref in sorted(absent):
        row_id, column_id = ref.split(".")
        if row_id not in row_ids or column_id not in column_ids:
            raise doc.error(f"absent cell {ref!r} is not a row.column of this block", path + ("absent_cells",))
    if implicit:
        return Block(None, None, None, raw.get("stub"), tuple(columns), tuple(rows),
                     column_groups, row_groups, absent)
    return Block(raw["id"], raw["label"], raw["en"], raw.get("stub"), tuple(columns), tuple(rows),
                 column_groups, row_groups, absent)


def _rule(raw: dict, path: tuple, defaults: dict) -> RuleDecl:
    for_each = None
    if "for_each" in raw:
        (axis, selector), = raw["for_each"].items()
        for_each = (axis, selector)
    return RuleDecl(
        id=raw["id"], title=raw["title"], basis=raw["basis"],
        severity=raw.get("severity", defaults.get("severity", "error")),
        on_blank=raw.get("on_blank", defaults.get("on_blank", "zero")),
        table=raw.get("table"), for_each=for_each, check=raw["check"],
        tolerance=Decimal(raw.get("tolerance", "0")), message=raw["message"], path=path)
