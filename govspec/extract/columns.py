"""Which cells of a row are its columns: a row's cells after its label, cut to the block's columns.

A row often shows more cells than its block has columns: a merged label's remainder before the values (text and CSV
keep it as an empty cell), and the empty cells of a table wider than the row after them.  They are taken off only
where that can be done one way.  Where two ways keep every value (``| 规章 | | 3 | 0 | |`` for three columns: the
empty cell before the values is the label's and the one after a blank, or the other way round), the table's own
header decides, when it names each of the block's columns right above the cells of one way — in text that sets a
table's rows as lines of cells, each cell has its place in its line (:attr:`Token.column`), and so does each header.
Otherwise the row stays too long, and is left out with the reason.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable, Sequence

from govspec.extract.tokens import Token, norm


def window(same: list[Token], n: int, header: Callable[[], Sequence[int] | None] | None = None) -> list[Token]:
    """``same`` cut to n cells, or as it is where that cannot be done one way.  In a grid that leaves out the cells a
    span merged away (:attr:`Token.spans`), an empty cell after the label is a cell of its own: the row's first
    cells are kept.  ``header`` gives the places of the block's columns in their header lines (asked only here)."""
    if len(same) <= n:
        return same
    filled = [k for k, token in enumerate(same) if token.kind != "empty"]
    if not filled:
        return same[:n]
    first, last = filled[0], filled[-1]
    starts = list(range(max(0, last - n + 1), min(first, len(same) - n) + 1))
    if len(starts) > 1 and same[0].spans:
        starts = starts[:1]
    places = header() if len(starts) > 1 and header is not None else None
    if places:
        starts = [s for s in starts if all(same[s + k].column == place for k, place in enumerate(places))]
    return same[starts[0]:starts[0] + n] if len(starts) == 1 else same


MAX_SPAN = 32  # places one merged header cell may cover (a wider one is no column's: a text made to cost work per row)


class HeaderPlaces:
    """Where the text's header cells stand: for each label, the tokens (by index) that show it in a line of cells,
    with their places.  Made once per text; asked only for a row that can be cut more than one way."""

    def __init__(self, tokens: list[Token]) -> None:
        self._at: dict[str, tuple[list[int], list[int], list[int]]] = {}  # label -> token indexes, places, lines
        self._empty: dict[int, set[int]] = {}  # line -> the places of its empty cells
        for index, token in enumerate(tokens):
            if token.kind == "text" and token.column:
                indexes, places, lines = self._at.setdefault(token.norm, ([], [], []))
                indexes.append(index)
                places.append(token.column)
                lines.append(token.line)
            elif token.kind == "empty" and token.column:
                self._empty.setdefault(token.line, set()).add(token.column)

    def places(self, before: int, columns) -> list[int] | None:
        """The place of each of ``columns`` in the nearest header line before token ``before`` that names it (its label
        or an alias), or None where one is named nowhere, or the places are not in the columns' order."""
        out: list[int] = []
        for column in columns:
            nearest = self._nearest(before, column)
            if nearest is None:
                return None
            place = self._at[nearest[0]][1][nearest[1]]
            if out and place <= out[-1]:
                return None
            out.append(place)
        return out

    def spans(self, before: int, columns) -> list[list[int]] | None:
        """The places each of ``columns`` covers in the nearest header line before token ``before`` that names it: every
        place of that line showing its label (a merged header cell given once for each column it covers), and the empty
        places of that line right after them (a merged header cell given once, the places it covers left empty, as
        markdownify and a sheet's merged cells write it); None where one is named nowhere, or the spans are not side by
        side in the columns' order."""
        out: list[list[int]] = []
        for column in columns:
            nearest = self._nearest(before, column)
            if nearest is None:
                return None
            _, places, lines = self._at[nearest[0]]
            k = first = nearest[1]
            while first > 0 and lines[first - 1] == lines[k] and k - first < MAX_SPAN:  # its copies on that line
                first -= 1
            span = sorted(places[first:k + 1])
            empty = self._empty.get(lines[k], set())
            while span[-1] + 1 in empty and len(span) <= MAX_SPAN:  # the empty places its merged cell covers
                span.append(span[-1] + 1)
            if len(span) > MAX_SPAN:
                return None
            if span != list(range(span[0], span[-1] + 1)) or (out and span[0] != out[-1][-1] + 1):
                return None
            out.append(span)
        return out

    def _nearest(self, before: int, column) -> tuple[str, int] | None:
        """The label (of ``column``'s label and aliases) shown nearest before token ``before``, and which of its copies."""
        nearest: tuple[int, str, int] | None = None
        for label in _names(column):
            indexes = self._at.get(label, ((),))[0]
            k = bisect.bisect_left(indexes, before) - 1
            if k >= 0 and (nearest is None or indexes[k] > nearest[0]):
                nearest = (indexes[k], label, k)
        return None if nearest is None else nearest[1:]


def _names(column) -> set[str]:
    """A column's label and aliases, normalised."""
    return {norm(column.label), *map(norm, column.aliases)}


class RowHeader:
    """The header over one row's columns, worked out only when asked: where each column stands (called), and the
    places each covers (:meth:`spans`)."""

    def __init__(self, heads: HeaderPlaces, before: int, columns) -> None:
        self.heads, self.before, self.columns = heads, before, columns

    def __call__(self) -> list[int] | None:
        return self.heads.places(self.before, self.columns)

    def spans(self) -> list[list[int]] | None:
        return self.heads.spans(self.before, self.columns)


def line_spans(line: list[Token], columns) -> list[list[int]] | None:
    """The places each of ``columns`` covers in one header line that names them all, in order, once each (section 四's,
    whose labels repeat under each of its groups): a label's place and the empty places right after it (a merged cell
    given once); None unless the line names exactly these columns, in this order, with nothing else but empty cells
    before, between and after them."""
    spans: list[list[int]] = []
    for token in line:
        if not token.column:
            return None
        if token.kind == "empty":
            if spans and len(spans[-1]) < MAX_SPAN:
                spans[-1].append(token.column)
            continue
        if token.kind != "text" or len(spans) == len(columns) or token.norm not in _names(columns[len(spans)]):
            return None
        spans.append([token.column])
    if len(spans) != len(columns) or any(span != list(range(span[0], span[-1] + 1)) for span in spans):
        return None
    return spans


def merged_copies(same: list[Token], spans: list[list[int]] | None) -> list[Token] | None:
    """A row's cells with a merged cell's copies taken as one: where the header over the row gives a column's label
    once for each place a merged cell covers (``本年新公开数量`` twice, as pandas's read_html and exports that fill
    merged cells write it, values too), or once with the places it covers left empty after it (markdownify, a sheet's
    merged cells), the row's cells at those places are that one cell when those that are not empty show the same text
    (none: the cell is empty).  None unless some column covers several places, every place holds a cell and every other
    cell of the row is empty (a sheet wider than its table), and each column's copies agree (copies that differ: whose
    is the value, unknown)."""
    if spans is None or all(len(span) == 1 for span in spans):
        return None
    at = {token.column: token for token in same}
    places = {place for span in spans for place in span}
    if len(at) != len(same) or not places <= set(at) or \
            any(token.kind != "empty" for place, token in at.items() if place not in places):
        return None
    out = []
    for span in spans:
        copies = [at[place] for place in span]
        shown = [copy for copy in copies if copy.kind != "empty"] or copies[:1]
        if any(copy.text != shown[0].text for copy in shown):
            return None
        out.append(shown[0])
    return out
