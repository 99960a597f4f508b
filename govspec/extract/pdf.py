"""PDF files read with pypdfium2: the characters with their boxes, and the ruling lines tables are drawn with, built
into the grid each table draws (:mod:`govspec.extract.pdf_grid`). A character belongs to the cell its box lies in; a
cell that holds a character whose box runs over the cell's edge (a label clipped by a fixed row height, text
overflowing its cell) cannot be read with certainty: its text is withheld, so its row is left out with the reason.
Nothing is placed by geometry alone where there is no grid: text outside tables becomes lines of text, read as text
is. Tables that continue across pages are read as the rows they are: rows are matched by their labels.
"""

from __future__ import annotations

import ctypes
import re
from collections import defaultdict

from govspec.errors import InstanceError
from govspec.extract import reasons
from govspec.extract.grid import PICTURE, UNREADABLE, GridRow, GridText, Item
from govspec.extract.limits import MAX_LINES, MAX_PAGE_CHARS, MAX_PAGES, MAX_PATH_SEGMENTS
from govspec.extract.pdf_grid import THIN, bar, grids_of
from govspec.extract.pdf_images import page_images, pictured
from govspec.extract.pdf_turn import Turn, quarter, turn_of
from govspec.extract.tokens import UNKNOWN

try:
    import pypdfium2
    import pypdfium2.raw as pdfium_c
except ImportError:  # pragma: no cover - a dependency of the default install
    pypdfium2 = None

_DIGITS = re.compile(r"[\d.,]+")


def read_pdf(raw: bytes, source: str, not_read: list | None = None) -> list[Item]:
    """The items of every page, top to bottom.  ``not_read`` is given ``(where, text, reason)`` for what the PDF
    shows but govspec does not read: the OCR text of a scanned page among written ones."""
    if pypdfium2 is None:  # pragma: no cover
        raise InstanceError("reading PDF files needs pypdfium2: pip install pypdfium2",
                            zh="读取 PDF 文件需要 pypdfium2：pip install pypdfium2", source=source)
    try:
        document = pypdfium2.PdfDocument(raw)
    except pypdfium2.PdfiumError as exc:
        locked = "password" in str(exc).lower()
        reason = "it is protected by a password" if locked else f"it is damaged ({exc})"
        raise InstanceError(f"cannot open the PDF: {reason}", source=source,
                            zh="无法打开 PDF：" + ("文件受密码保护" if locked else f"文件已损坏（{exc}）")) from None
    try:
        if len(document) > MAX_PAGES:
            raise InstanceError(f"the PDF has {len(document)} pages (limit {MAX_PAGES}): refused",
                                zh=f"PDF 有 {len(document)} 页（上限 {MAX_PAGES}）：拒绝读取", source=source)
        items: list[Item] = []
        chars = recognised = 0
        tables = 0
        for number in range(len(document)):
            page = document[number]
            try:
                page_items, count, tables, unread = _page(page, number + 1, tables)
            finally:
                page.close()
            items.extend(page_items)
            chars += count
            recognised += len(unread)
            if unread and not_read is not None:
                not_read.append((f"page {number + 1}", unread.strip()[:40], reasons.SCANNED_PAGE))
    finally:
        document.close()
    if chars == 0 and recognised:
        raise InstanceError("the PDF's pages are scanned images, and its only text is an invisible layer recognised "
                            "from them by OCR — a machine's reading, not what was written: govspec does not read it "
                            "(OCR is out of scope)",
                            zh="PDF 的页面是扫描图像，唯一的文字是由 OCR 从图像识别出的不可见文字层——机器识读，并非原文："
                               "govspec 不读取（不做文字识别）", source=source)
    if chars == 0:
        raise InstanceError("the PDF has no text layer (a scanned document?): govspec reads text, not images; "
                            "OCR is out of scope",
                            zh="PDF 没有文字层（扫描件？）：govspec 读取文字而非图像，不做文字识别（OCR）", source=source)
    return items


def _page(page, number: int, tables: int) -> tuple[list[Item], int, int, str]:
    height = page.get_height()
    horizontal, vertical = _rulings(page, number)
    scanned, pictures = page_images(page)
    chars, recognised, turns = _chars(page, number, scanned)
    if quarters := turn_of(turns):  # its text runs sideways or upside down: read as it is written (pdf_turn)
        turn = Turn(quarters, page.get_width(), height)
        chars, pictures = [turn.char(char) for char in chars], [turn.box(box) for box in pictures]
        (horizontal, vertical), height = turn.lines(horizontal, vertical), turn.height
    grids = grids_of(horizontal, vertical)
    placed: dict[int, dict] = defaultdict(dict)  # grid index -> {cell: [chars]}
    loose = []
    spoiled: set = set()
    for char in chars:
        where = _locate(char, grids)
        if where is None:
            loose.append(char)
        elif where[1] is None:  # inside a table, not inside one cell: it spoils every cell it touches
            spoiled.update((where[0], cell) for cell in _touching(char, grids[where[0]]))
        else:
            placed[where[0]].setdefault(where[1], []).append(char)
    blocks: list[tuple[float, list[Item]]] = []
    for index, grid in enumerate(grids):
        tables += 1
        rows: list[Item] = []
        for r, row_cells in enumerate(grid["rows"]):
            cells = []
            for cell in row_cells:
                text = UNREADABLE if (index, cell) in spoiled else \
                    _text(placed[index].get(cell, []), grid["cells"][cell][2], "\n" if len(row_cells) == 1 else " ")
                if not text.strip() and pictured(grid["cells"][cell], pictures):
                    text = PICTURE  # a picture and no text: not read, and no blank
                cells.append((text, f"page {number} table {tables} row {r + 1} col {cell[1] + 1}"))
            rows.append(GridRow(tuple(cells)))
        blocks.append((grid["top"], rows))
    for line, y in _lines(loose):
        blocks.append((y, [GridText(line, f"page {number} line at {round(height - y)}")]))
    blocks.sort(key=lambda block: -block[0])  # top to bottom
    return [item for _, items in blocks for item in items], len(chars), tables, recognised


# --- ruling lines -----------------------------------------------------------------------------

def _rulings(page, number: int) -> tuple[list, list]:
    """Horizontal (y, x0, x1) and vertical (x, y0, y1) segments in page coordinates; a page drawing more lines than
    :data:`MAX_LINES`, or more path segments than :data:`MAX_PATH_SEGMENTS`, is refused as soon as it is seen to.
    A long narrow box (a border drawn as a filled rectangle, as thick as Word's thickest) is the line along its middle
    (:func:`govspec.extract.pdf_grid.bar`)."""
    horizontal: list[tuple[float, float, float]] = []
    vertical: list[tuple[float, float, float]] = []
    segments = 0
    for obj in page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_PATH], max_depth=1):
        segments += max(1, pdfium_c.FPDFPath_CountSegments(obj.raw))
        if segments > MAX_PATH_SEGMENTS:  # a content stream of a few KB can draw millions (12 s for 1,000,000)
            raise InstanceError(f"page {number} draws more than {MAX_PATH_SEGMENTS} path segments: refused",
                                zh=f"第 {number} 页绘有超过 {MAX_PATH_SEGMENTS} 段路径：拒绝读取")
        if len(horizontal) + len(vertical) > MAX_LINES:
            raise _too_many_lines(number)
        if _add(bar(obj.get_bounds()), horizontal, vertical):
            continue
        for points in _subpaths(obj.raw, obj.get_matrix()):
            if len(points) == 5 and points[0] == points[-1] and _add(bar(_box(points)), horizontal, vertical):
                continue  # a rectangle drawn as a thick line, among others in one path
            for (x0, y0), (x1, y1) in zip(points, points[1:]):
                if abs(y0 - y1) <= 0.5 and abs(x0 - x1) > THIN:
                    horizontal.append((y0, min(x0, x1), max(x0, x1)))
                elif abs(x0 - x1) <= 0.5 and abs(y0 - y1) > THIN:
                    vertical.append((x0, min(y0, y1), max(y0, y1)))
    if len(horizontal) + len(vertical) > MAX_LINES:
        raise _too_many_lines(number)
    return horizontal, vertical


def _add(line: tuple | None, horizontal: list, vertical: list) -> bool:
    if line is None:
        return False
    (horizontal if line[0] == "h" else vertical).append(line[1:])
    return True


def _box(points: list) -> tuple[float, float, float, float] | None:
    """The box a closed path of four corners draws, when its sides are horizontal and vertical."""
    sides = zip(points, points[1:])
    if not all(abs(x0 - x1) <= 0.5 or abs(y0 - y1) <= 0.5 for (x0, y0), (x1, y1) in sides):
        return None
    xs, ys = [x for x, _ in points], [y for _, y in points]
    return min(xs), min(ys), max(xs), max(ys)


def _too_many_lines(number: int) -> InstanceError:
    return InstanceError(f"page {number} draws more than {MAX_LINES} lines: refused",
                         zh=f"第 {number} 页绘有超过 {MAX_LINES} 条线：拒绝读取")


def _subpaths(handle, matrix) -> list[list[tuple[float, float]]]:
    """The path's pieces, each its points in page coordinates (a closed piece ends at its first point again)."""
    out: list[list[tuple[float, float]]] = []
    x, y = ctypes.c_float(), ctypes.c_float()
    for i in range(pdfium_c.FPDFPath_CountSegments(handle)):
        segment = pdfium_c.FPDFPath_GetPathSegment(handle, i)
        pdfium_c.FPDFPathSegment_GetPoint(segment, x, y)
        point = (matrix.a * x.value + matrix.c * y.value + matrix.e, matrix.b * x.value + matrix.d * y.value + matrix.f)
        if pdfium_c.FPDFPathSegment_GetType(segment) == pdfium_c.FPDF_SEGMENT_MOVETO or not out:
            out.append([])
        out[-1].append(point)
        if pdfium_c.FPDFPathSegment_GetClose(segment):
            out[-1].append(out[-1][0])
            out.append([out[-1][0]])  # what follows a close starts where the closed piece did
    return [[point for i, point in enumerate(points) if i == 0 or point != points[i - 1]] for points in out]


# --- characters -------------------------------------------------------------------------------

def _chars(page, number: int, scanned: bool = False) -> tuple[list[tuple], str, list[int]]:
    """(character, left, bottom, right, top, loose box) of every character printed on the page: the tight
    box (the glyph's ink) says which cell holds it; the loose box (the font's advance and height) says where
    lines break and where a visible space stands between two characters.  On a ``scanned`` page, invisible
    text (an OCR layer over the image) is not read: it is given apart, second.  Third, how many of the characters
    are written at each quarter turn (:func:`govspec.extract.pdf_turn.quarter`)."""
    text = page.get_textpage()
    try:
        count = text.count_chars()
        if count > MAX_PAGE_CHARS:  # a content stream of a few KB can unpack to millions (39 s and 1.7 GB for 3M)
            raise InstanceError(f"page {number} prints {count} characters (limit {MAX_PAGE_CHARS}): refused",
                                zh=f"第 {number} 页有 {count} 个字符（上限 {MAX_PAGE_CHARS}）：拒绝读取")
        out = []
        recognised: list[str] = []
        turns = [0, 0, 0, 0]
        for i in range(count):
            if pdfium_c.FPDFText_IsGenerated(text.raw, i):
                continue
            if scanned and _invisible(text, i):
                code = pdfium_c.FPDFText_GetUnicode(text.raw, i)
                recognised.append(chr(code) if code >= 32 and code not in (0xFFFE, 0xFFFF) else " ")
                continue
            code = pdfium_c.FPDFText_GetUnicode(text.raw, i)
            left, bottom, right, top = text.get_charbox(i)
            if (code == 0 or code < 32 and not chr(code).isspace()) and right > left and top > bottom:
                character = UNKNOWN  # printed, but the document does not say which character: never dropped
            elif code < 32 or code in (0xFFFE, 0xFFFF):
                continue
            else:
                character = chr(code)
            out.append((character, left, bottom, right, top, text.get_charbox(i, loose=True)))
            if not character.isspace() and (turned := quarter(pdfium_c.FPDFText_GetCharAngle(text.raw, i))) is not None:
                turns[turned] += 1
        return out, "".join(recognised), turns
    finally:
        text.close()


def _invisible(text, index: int) -> bool:
    obj = pdfium_c.FPDFText_GetTextObject(text.raw, index)
    return bool(obj) and pdfium_c.FPDFTextObj_GetTextRenderMode(obj) == pdfium_c.FPDF_TEXTRENDERMODE_INVISIBLE


def _inside(char: tuple, box: tuple, slack: float = 1.0) -> bool:
    _, left, bottom, right, top = char[:5]
    return left >= box[0] - slack and right <= box[2] + slack and bottom >= box[1] - slack and top <= box[3] + slack


def _locate(char: tuple, grids: list) -> tuple[int, tuple | None] | None:
    """(grid, cell) holding the character; (grid, None) if it is in a table but not inside one cell."""
    cx, cy = (char[1] + char[3]) / 2, (char[2] + char[4]) / 2
    for index, grid in enumerate(grids):
        left, bottom, right, top = grid["box"]
        if not (left <= cx <= right and bottom <= cy <= top):
            continue
        for cell, box in grid["cells"].items():
            if _inside(char, box):
                return index, cell
        return index, None
    return None


def _touching(char: tuple, grid: dict) -> list:
    _, left, bottom, right, top = char[:5]
    return [cell for cell, box in grid["cells"].items()
            if left < box[2] and right > box[0] and bottom < box[3] and top > box[1]]


def _middle(char: tuple) -> float:
    loose = char[5]
    return (loose[1] + loose[3]) / 2


def _height(char: tuple) -> float:
    loose = char[5]
    return max(loose[3] - loose[1], 1.0)


def _group_lines(chars: list) -> list[list]:
    """Characters in lines, top to bottom: one line while their middles are within half a character."""
    lines: list[list] = []
    for char in sorted(chars, key=lambda c: -_middle(c)):
        if lines and abs(_middle(lines[-1][0]) - _middle(char)) <= _height(char) / 2:
            lines[-1].append(char)
        else:
            lines.append([char])
    for line in lines:
        line.sort(key=lambda c: c[5][0])
    return lines


def _line_text(line: list) -> str:
    text = line[0][0]
    for previous, char in zip(line, line[1:]):
        gap = char[5][0] - previous[5][2]
        text += (" " if gap > 0.3 * min(_height(char), _height(previous)) else "") + char[0]
    return text


def _text(chars: list, right: float | None = None, breaks: str = " ") -> str:
    """A cell's text: its lines top to bottom, ``breaks`` where a line breaks (a space; a line break in a row that is
    one cell across, whose lines are read as lines of text are), a space where characters stand apart.

    A line of digits that fills its cell to the right edge and goes on at the next line is one number
    the layout wrapped (a narrow column): those lines are one text.  Any other break stays a break, so
    two numbers on two lines are never joined into one."""
    out = ""
    previous = None
    for line in _group_lines(chars):
        text = _line_text(line)
        if previous is not None:
            full = right is not None and right - previous[-1][5][2] <= max(previous[-1][5][2] - previous[-1][5][0], 2.0)
            wrapped = full and _DIGITS.fullmatch(out.strip()) and _DIGITS.fullmatch(text.strip())
            out += "" if wrapped else breaks
        out += text
        previous = line
    return out


def _lines(chars: list) -> list[tuple[str, float]]:
    """Characters outside tables as lines of text, each with its height on the page."""
    return [(_line_text(line), _middle(line[0])) for line in _group_lines(chars)]
