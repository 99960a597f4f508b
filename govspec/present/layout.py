"""The official layout of a spec's tables as a grid: the one description the Word and Excel writers draw.

Each table is a list of rows; each row a list of cells placed at a grid column, with a column span and
a row span (a merged cell), as the template prints them: for each block (section 二's 第二十条 items)
its label over the whole width, the header rows (the stub over them; column groups merged over their
columns), then the value rows (row groups merged down the stub, the row label, one cell per value).
"""

from __future__ import annotations

from dataclasses import dataclass

from govspec.spec.compiler import CompiledSpec


@dataclass(frozen=True)
class LayoutCell:
    column: int              # 0-based grid column
    text: str = ""
    colspan: int = 1
    rowspan: int = 1
    kind: str = "header"     # "block" | "header" | "label" | "value"
    cell_id: str | None = None  # for a value cell


@dataclass(frozen=True)
class LayoutTable:
    table_id: str
    title: str               # the section heading the table is printed under
    width: int               # grid columns
    rows: tuple[tuple[LayoutCell, ...], ...]


def layout(spec: CompiledSpec) -> list[LayoutTable]:
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
                rows.append((LayoutCell(0, block.label or "", block_width, kind="block"),))
            rows.extend(_headers(block, stub))
            for row in block.rows:
                cells = []
                for level, group in enumerate(groups_of[row.id]):
                    span = [x for x in block.rows if group in groups_of[x.id]]
                    if span[0].id == row.id:
                        cells.append(LayoutCell(level, group.label, 1, len(span), "label"))
                column = len(groups_of[row.id])
                cells.append(LayoutCell(column, row.label or "", stub - column, 1, "label"))
                for c, col in enumerate(block.columns):
                    cell_id = f"{table.id}.{row.id}.{col.id}"
                    if cell_id in spec.cell_index:
                        cells.append(LayoutCell(stub + c, kind="value", cell_id=cell_id))
                rows.append(tuple(cells))
        out.append(LayoutTable(table.id, section.label if section else table.label, width, tuple(rows)))
    return out


def _headers(block, stub: int) -> list[tuple[LayoutCell, ...]]:
    paths = [block.group_path(block.column_groups, c.group) for c in block.columns]
    depth = max(len(p) for p in paths) + 1
    rows = []
    for level in range(depth):
        cells = []
        if level == 0:
            cells.append(LayoutCell(0, (block.stub or "信息内容") if block.id else (block.stub or ""), stub, depth))
        index = 0
        while index < len(block.columns):
            path, column = paths[index], block.columns[index]
            if level < len(path):
                span = 1
                while index + span < len(block.columns) and level < len(paths[index + span]) and \
                        paths[index + span][level] is path[level]:
                    span += 1
                cells.append(LayoutCell(stub + index, path[level].label, span))
                index += span
                continue
            if level == len(path):
                cells.append(LayoutCell(stub + index, column.label, 1, depth - level))
            index += 1
        rows.append(tuple(cells))
    return rows
