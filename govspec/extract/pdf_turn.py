"""A PDF page whose text runs sideways or upside down — a landscape table printed onto a portrait page, turned —
read in the direction its text is written.

pdfium gives each character's box and each ruling line in the page's own coordinates, whichever way the text runs;
:mod:`govspec.extract.pdf` reads lines of text and table rows across the page, top to bottom.  On a page most of whose
characters are written a quarter or a half turn round, the characters' boxes, the ruling lines and the images are
first turned back by that much, so that its text runs left to right and its rows top to bottom, as on the printed
page turned the way it is read.  Nothing is placed differently: a cell is still the cell whose lines enclose a
character.  A page's ``/Rotate`` (how a viewer turns it for the screen) says nothing of how its text runs and is not
read.
"""

from __future__ import annotations

import math

SLANT = math.radians(10)  # a character written within this of a quarter turn is written at that quarter turn


def quarter(angle: float) -> int | None:
    """The quarter turn, anticlockwise (0–3), a character is written at, from its angle in radians as pdfium gives it
    (clockwise, from 0 to 2π; -1 when it cannot say); None when it is written at a slant (a diagonal watermark)."""
    if angle < 0:
        return None
    turns = angle / (math.pi / 2)
    nearest = round(turns)
    return -nearest % 4 if abs(turns - nearest) * (math.pi / 2) <= SLANT else None


def turn_of(counts: list[int]) -> int:
    """The quarter turn most of a page's characters are written at (``counts``: how many at each); 0 unless more
    are written at another than upright."""
    most = max(range(4), key=lambda q: (counts[q], q == 0))
    return most if counts[most] > counts[0] else 0


class Turn:
    """Page coordinates turned back by ``quarter`` quarter turns, for a page ``width`` × ``height`` points."""

    def __init__(self, quarter: int, width: float, height: float) -> None:
        self.quarter = quarter
        self.width, self.height = (height, width) if quarter % 2 else (width, height)  # of the page as read
        self._size = (width, height)

    def point(self, x: float, y: float) -> tuple[float, float]:
        width, height = self._size
        if self.quarter == 1:  # written upwards: turned a quarter clockwise
            return y, width - x
        if self.quarter == 2:  # upside down
            return width - x, height - y
        if self.quarter == 3:  # written downwards: turned a quarter anticlockwise
            return height - y, x
        return x, y

    def box(self, box: tuple) -> tuple[float, float, float, float]:
        """A box (left, bottom, right, top), turned."""
        (x0, y0), (x1, y1) = self.point(box[0], box[1]), self.point(box[2], box[3])
        return min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1)

    def char(self, char: tuple) -> tuple:
        """A character as :func:`govspec.extract.pdf._chars` gives it — (text, left, bottom, right, top, loose box) —
        turned."""
        return (char[0], *self.box(char[1:5]), self.box(char[5]))

    def lines(self, horizontal: list, vertical: list) -> tuple[list, list]:
        """Horizontal (y, x0, x1) and vertical (x, y0, y1) ruling lines, turned: a quarter turn makes each of the
        other kind."""
        across: list = []
        down: list = []
        for kind, lines in (("h", horizontal), ("v", vertical)):
            for at, start, end in lines:
                ends = [self.point(start, at), self.point(end, at)] if kind == "h" else \
                    [self.point(at, start), self.point(at, end)]
                (x0, y0), (x1, y1) = ends
                if abs(y0 - y1) <= abs(x0 - x1):
                    across.append((y0, min(x0, x1), max(x0, x1)))
                else:
                    down.append((x0, min(y0, y1), max(y0, y1)))
        return across, down
