"""The grids a PDF page's ruling lines draw (:mod:`govspec.extract.pdf` reads the lines and the characters).

A table is a set of ruling lines that meet.  Their positions cut it into base cells; two neighbouring base cells whose
shared edge has no line are one merged cell, so every cell keeps its grid column as in HTML.
"""

from __future__ import annotations

from collections import defaultdict

SNAP = 1.5          # points: lines closer than this are one line
DOUBLE = 2 * SNAP   # points: lines within this of the first of them are one line drawn twice (:func:`_snap`)
BORDER = 6.0        # points: Word's and WPS's thickest border; a box no thicker, and long, is a line (:func:`bar`)
THIN = 2.0          # points: a box no thicker than this is a line however short it is


def bar(box: tuple | None) -> tuple[str, float, float, float] | None:
    """The ruling line a box (left, bottom, right, top) draws: ``("h", y, x0, x1)`` or ``("v", x, y0, y1)`` along its
    middle when it is a bar — no thicker than a border (:data:`THIN`, or up to :data:`BORDER` when more than twice as
    long as thick) and longer than :data:`THIN` —, else None.  A border drawn as a filled rectangle (Word draws its
    borders so) is one line, however thick: its two long edges would be two lines, with a row or column between them
    too narrow for any character."""
    if box is None:
        return None
    left, bottom, right, top = box
    width, height = right - left, top - bottom
    if width > THIN and (height <= THIN or height <= BORDER and width > 2 * height):
        return "h", (bottom + top) / 2, left, right
    if height > THIN and (width <= THIN or width <= BORDER and height > 2 * width):
        return "v", (left + right) / 2, bottom, top
    return None


def _snap(values: list[float]) -> list[float]:
    """One position for each group of lines drawn as one: positions within :data:`DOUBLE` of the first of them stand
    for one line at their middle.  A border drawn twice a little apart — each of two neighbouring
    cells drawing its own edge, rows whose edges are a point or two apart, a double border — is one line, not two with
    a column between them too narrow for any character.  Every position of a group is within :data:`SNAP` of its
    middle, so :func:`_covered` finds each of its lines there."""
    out: list[float] = []
    group: list[float] = []
    for value in sorted(values):
        if group and value - group[0] > DOUBLE:
            out.append((group[0] + group[-1]) / 2)
            group = []
        group.append(value)
    if group:
        out.append((group[0] + group[-1]) / 2)
    return out


def grids_of(horizontal: list, vertical: list) -> list[dict]:
    """The grids the lines draw: groups of lines that meet, each cut into base cells and merged cells."""
    segments = [("h", *s) for s in horizontal] + [("v", *s) for s in vertical]
    parent = list(range(len(segments)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i
    for i, a in enumerate(segments):
        for j in range(i + 1, len(segments)):
            if _meet(a, segments[j]):
                parent[find(i)] = find(j)
    groups: dict[int, list] = defaultdict(list)
    for i, segment in enumerate(segments):
        groups[find(i)].append(segment)
    grids = []
    for group in groups.values():
        hs = [s for s in group if s[0] == "h"]
        vs = [s for s in group if s[0] == "v"]
        ys, xs = _snap([s[1] for s in hs]), _snap([s[1] for s in vs])
        if len(ys) >= 2 and len(xs) >= 2:
            grids.append(_grid(hs, vs, sorted(ys, reverse=True), xs))
    return grids


def _meet(a: tuple, b: tuple) -> bool:
    if a[0] == b[0]:  # parallel: the same line continued
        return abs(a[1] - b[1]) <= SNAP and a[2] <= b[3] + SNAP and b[2] <= a[3] + SNAP
    h, v = (a, b) if a[0] == "h" else (b, a)
    return h[2] - SNAP <= v[1] <= h[3] + SNAP and v[2] - SNAP <= h[1] <= v[3] + SNAP


def _covered(lines: list, at: float, start: float, end: float) -> bool:
    """Is there a line at ``at`` covering the middle of [start, end]?"""
    middle = (start + end) / 2
    return any(abs(line[1] - at) <= SNAP and line[2] - SNAP <= middle <= line[3] + SNAP for line in lines)


def _grid(hs: list, vs: list, ys: list, xs: list) -> dict:
    """Base cells (row r between ys[r] and ys[r+1], column c between xs[c] and xs[c+1]) merged where no
    line parts them; the merged cells listed by their top row, each named (row, column) of its top left."""
    rows, cols = len(ys) - 1, len(xs) - 1
    owner = {(r, c): (r, c) for r in range(rows) for c in range(cols)}
    for r in range(rows):
        for c in range(cols):
            if c + 1 < cols and not _covered(vs, xs[c + 1], ys[r + 1], ys[r]):
                _join(owner, (r, c), (r, c + 1))
            if r + 1 < rows and not _covered(hs, ys[r + 1], xs[c], xs[c + 1]):
                _join(owner, (r, c), (r + 1, c))
    extent: dict = {}
    for (r, c) in owner:
        root = _root(owner, (r, c))
        top, left, bottom, right = extent.get(root, (r, c, r, c))
        extent[root] = (min(top, r), min(left, c), max(bottom, r), max(right, c))
    cells = {}
    for top, left, bottom, right in extent.values():
        cells[(top, left)] = (xs[left], ys[bottom + 1], xs[right + 1], ys[top])  # left, bottom, right, top
    by_row: list[list] = [[] for _ in range(rows)]
    for (top, left) in sorted(cells):
        by_row[top].append((top, left))
    return {"cells": cells, "rows": by_row, "top": ys[0], "box": (xs[0], ys[-1], xs[-1], ys[0])}


def _root(owner: dict, cell: tuple) -> tuple:
    while owner[cell] != cell:
        owner[cell] = owner[owner[cell]]
        cell = owner[cell]
    return cell


def _join(owner: dict, a: tuple, b: tuple) -> None:
    ra, rb = _root(owner, a), _root(owner, b)
    if ra != rb:
        owner[max(ra, rb)] = min(ra, rb)  # the top-left base cell names the merged cell
