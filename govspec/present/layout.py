"""The official layout of a spec's tables as a grid: the one description the Word and Excel writers draw.

Each table is a list of rows; each row a list of cells placed at a grid column, with a column span and
a row span (a merged cell), as the template prints them: for each block (section 二's 第二十条 items)
its label over the whole width, the header rows (the stub over them; column groups merged over their
columns), then the value rows (row groups merged down the stub, the row label, one cell per value).
"""

from __future__ import annotations

from govspec.records import record
from govspec.spec.compiler import CompiledSpec


@record
class LayoutCell:
    column: int              # 0-based grid column
    text: str = ""
    colspan: int = 1
    rowspan: int = 1
    kind: str = "header"     # "block" | "header" | "label" | "value"
    cell_id: str | None = None  # for a value cell


@record
class LayoutTable:
    table_id: str
    title: str               # the section heading the table is printed under
    width: int               # grid columns
    rows: tuple[tuple[LayoutCell, ...], ...]


def _pick(item, lang: str) -> str:
    return (item.label if lang == "zh" else item.en) or ""


def layout(spec: CompiledSpec, lang: str = "zh") -> list[LayoutTable]:
    """Every table of the spec in the official layout, labelled in ``lang`` (zh, or en)."""
    sections = {s.id: s for s in spec.spec.sections}
    out = []
    for table in spec.spec.tables:
        section = sections.get(table.section) if table.section else None
        rows: list[tuple[LayoutCell, ...]] = []
        width = 0
        for block in table.blocks:
            groups_of = {r.id: block.group_path(block.row_groups, r.group) for r in block.rows}
            stub = max((len(g) for g in groups_of.values()), default=0) + 1
            block_width = stub + len(block.columns)
            width = max(width, block_width)
            if block.id:
                rows.append((LayoutCell(0, _pick(block, lang), block_width, kind="block"),))
            rows.extend(_headers(block, stub, lang))
            for row in block.rows:
                cells = []
                for level, group in enumerate(groups_of[row.id]):
                    span = [x for x in block.rows if group in groups_of[x.id]]
                    if span[0].id == row.id:
                        cells.append(LayoutCell(level, _pick(group, lang), 1, len(span), "label"))
                column = len(groups_of[row.id])
                cells.append(LayoutCell(column, _pick(row, lang), stub - column, 1, "label"))
                for c, col in enumerate(block.columns):
                    cell_id = f"{table.id}.{row.id}.{col.id}"
                    if cell_id in spec.cell_index:
                        cells.append(LayoutCell(stub + c, kind="value", cell_id=cell_id))
                rows.append(tuple(cells))
        out.append(LayoutTable(table.id, _pick(section, lang) if section else _pick(table, lang), width, tuple(rows)))
    return out


def _headers(block, stub: int, lang: str = "zh") -> list[tuple[LayoutCell, ...]]:
    paths = [block.group_path(block.column_groups, c.group) for c in block.columns]
    depth = max(len(p) for p in paths) + 1
    rows = []
    for level in range(depth):
        cells = []
        if level == 0:
            cells.append(LayoutCell(0, (block.stub or "") if lang == "zh" else "", stub, depth))
        index = 0
        while index < len(block.columns):
            path, column = paths[index], block.columns[index]
            if level < len(path):
                span = 1
                while index + span < len(block.columns) and level < len(paths[index + span]) and \
                        paths[index + span][level] is path[level]:
                    span += 1
                cells.append(LayoutCell(stub + index, _pick(path[level], lang), span))
                index += span
                continue
            if level == len(path):
                cells.append(LayoutCell(stub + index, _pick(column, lang), 1, depth - level))
            index += 1
        rows.append(tuple(cells))
    return rows
