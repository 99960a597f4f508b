"""Grid tables, as Pandoc writes a Word table it cannot write as a pipe table: rows between ``+----+----+`` borders, a
cell's text wrapped over as many lines as its width needs::

    +------------+--------+
    | 一、本年新 | 3001   |
    | 收政府信息 |        |
    +------------+--------+

Each such row is read as one line of cells on its first line: the pieces of each cell joined by a space (a label
compares without spaces; digits a cell broke over lines are then no value, never joined).  A row whose lines do not
cut into the same cells (a cell spanning columns on some of them) is left as it is, line by line.  A table drawn
with box-drawing characters (``┌──┬──┐``, ``│``) is the same grid, and is read as one.
"""

from __future__ import annotations

import re

_BORDER = re.compile(r"\+(?:[-=:]+\+)+")
# A table drawn with box-drawing characters (text exported by tools that draw tables so): the same grid, drawn with
# other lines — its borders made ``+---+``, its cells' edges ``|``
_HORIZONTAL = "─━═╌╍┄┅┈┉"
_VERTICAL = "│┃║╎╏┆┇┊┋"
_JUNCTIONS = "┌┐└┘├┤┬┴┼┏┓┗┛┣┫┳┻╋╔╗╚╝╠╣╦╩╬╒╓╕╖╘╙╛╜╞╟╡╢╤╥╧╨╪╫╭╮╯╰"
_BOX = str.maketrans({**dict.fromkeys(_HORIZONTAL, "-"), **dict.fromkeys(_VERTICAL, "|"),
                      **dict.fromkeys(_JUNCTIONS, "+")})
_DRAWN = re.compile("[\u2500-\u257f]")
_BOX_BORDER = re.compile(f"^\\s*[{_JUNCTIONS}][{_HORIZONTAL}{_JUNCTIONS}]+\\s*$", re.MULTILINE)


def undrawn(text: str) -> str:
    """A text whose tables are drawn with box-drawing characters (a line of them alone: a border) as a grid table; any
    other text as it is."""
    if not _DRAWN.search(text) or not _BOX_BORDER.search(text):
        return text
    return text.translate(_BOX)


def is_border(line: str) -> bool:
    """A grid table's border line (``+---+---+``, ``+===+===+`` under its header): no cells."""
    return line.startswith("+") and _BORDER.fullmatch(line) is not None


def grid_table_rows(lines: list[str]) -> dict[int, str]:
    """Line number → the text it stands for: each row of a grid table that runs over several lines, as one line of
    cells on its first line; its other lines stand for nothing (``""``)."""
    out: dict[int, str] = {}
    i = 0
    while i < len(lines):
        if not is_border(lines[i].strip()):
            i += 1
            continue
        j = i + 1
        while j < len(lines) and lines[j].strip().startswith("|"):
            j += 1
        if j < len(lines) and is_border(lines[j].strip()) and j - i > 2:
            parts = [_cells(lines[k].strip()) for k in range(i + 1, j)]
            if len({len(cells) for cells in parts}) == 1:
                joined = [" ".join(cells[c] for cells in parts if cells[c]) for c in range(len(parts[0]))]
                out[i + 2] = "| " + " | ".join(joined) + " |"
                out.update((number, "") for number in range(i + 3, j + 1))
        i = j
    return out


def _cells(line: str) -> list[str]:
    inner = line[1:-1] if line.endswith("|") and len(line) > 1 else line[1:]
    return [cell.strip() for cell in inner.split("|")]
