"""The one grid every reader of a published format produces, and its tokens.

A reader — HTML, Word, Excel, PDF — turns its file into a list of items in reading order: lines of
text outside tables, and table rows whose cells are the grid cells the table draws (a cell merged away
by a span is left out, so every cell keeps its grid column). Each cell knows where it was read
(``table 2 row 12 col 9``, ``sheet 年报 D27``, ``page 4 table 2 row 3 col 5``).  Label matching,
template detection and placement then work on the tokens alone, the same for every format.
"""

from __future__ import annotations

from govspec.extract.limits import check_text
from govspec.extract.tokens import Token, kind_of, mark_last, norm, spaced_row
from govspec.records import record


@record
class GridText:
    """A line of text outside tables."""

    text: str
    where: str


@record
class GridRow:
    """A table row: its grid cells in column order, each ``(text, where)``."""

    cells: tuple[tuple[str, str], ...]


Item = GridText | GridRow

# The text of a cell that cannot be read with certainty (a PDF cell whose characters run over its edges:
# a label clipped by a fixed row height).  Never a value, never a label; extraction says why it left it out.
UNREADABLE = "\u2047"
# The text of a cell the file holds but does not show (in a hidden row or column of a sheet): the cell keeps its
# place, so that nothing after it shifts into it, and is never a value, never a label; extraction says so.
HIDDEN = "\u2049"
# The text of a cell holding a formula whose result the file does not keep (a sheet written by a program that
# does not calculate): it shows what Excel calculates, which the file does not hold.  Withheld as above.
UNCALCULATED = "\u2048"
# The text of a page's cell that keeps its place but shows nothing (``visibility: hidden``, fully transparent):
# withheld as above.
INVISIBLE = "\u2050"
# The text of a cell that shows a picture and no text (a number drawn as an image, a snippet pasted in): what it shows
# is not read, and it is not a blank either.  Withheld as above.
PICTURE = "\u2051"


def shown_as(text: str, hidden: bool, strike: bool, shown: list[str], struck: list[str]) -> None:
    """``text`` appended as a document shows it: hidden text is not read, struck text (a number corrected in place) is
    kept apart in ``struck``; each leaves a space in its place, so that digits are never joined across it."""
    if hidden:
        shown.append(" ")
    elif strike:
        shown.append(" ")
        struck.append(text)
    else:
        shown.append(text)


def cell_text(shown: str, struck: list[str], picture: bool = False) -> str:
    """A cell's text from what it shows and what it shows struck out (a number corrected in place: the struck
    text is not read).  A cell of struck text only is ``~~5~~``: no value, left out and said — never a blank; one that
    shows a ``picture`` and no text is :data:`PICTURE`: what it shows is not read, and it is no blank either."""
    if shown.strip():
        return shown
    if "".join(struck).strip():
        return "~~" + " ".join("".join(struck).split()) + "~~"
    return PICTURE if picture else shown


def checked(items: list[Item]) -> list[Item]:
    """``items``, when their text is no longer than a report's (:func:`govspec.extract.limits.check_text`): for a
    document, page by page or paragraph by paragraph; a workbook is held by its count of cells instead."""
    check_text(sum(len(item.text) if isinstance(item, GridText) else sum(len(text) for text, _ in item.cells)
                   for item in items))
    return items


def tokens_from_grid(items: list[Item], spans: bool = True) -> list[Token]:
    """The tokens of a reader's items; ``spans=False`` for a grid that keeps a cell merged away by a span as an empty
    one (a sheet saved as CSV)."""
    out: list[Token] = []
    line = 0  # each line of text, and each table row, a row of its own
    for item in items:
        # a line outside tables, or a table's row that is one cell across (a table drawn with no lines between its
        # columns: its rows are lines of text): one text, or a label and its values in spaces
        if isinstance(item, GridText) or len(item.cells) == 1:
            text, where = (item.text, item.where) if isinstance(item, GridText) else item.cells[0]
            for part in text.splitlines():
                if part.strip():
                    line += 1
                    out.extend(spaced_row(part.strip(), line, where))
            continue
        line += 1
        for column, (text, where) in enumerate(item.cells, 1):
            out.append(Token(text.strip(), norm(text), where, line, kind_of(text), len(item.cells) > 1, spans=spans,
                             column=column))
    return mark_last(out)
