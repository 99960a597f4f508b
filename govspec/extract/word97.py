"""Old Word files (.doc: Word 97–2003, and WPS saving in that format), read from the binary format itself ([MS-DOC]).

The text of the document's main story is taken from its pieces (the piece table, in the table stream), and each
paragraph's properties from the formatting the file keeps for the paragraph's mark: whether it is in a table, how deep,
and whether it ends a cell or a row.  So a table is read as the grid it draws — its rows, and each row's cells in order
— as a .docx is, and never from the text's marks alone (an empty cell and the end of a row are written alike).  The
row's own definition of its cells (``sprmTDefTable``: where each cell's edges are, and which cells are merged away)
gives each cell its grid column and leaves out a cell merged away into the one above (``fVertMerge`` without
``fVertRestart``, or ``sprmTVertMerge``) or into the one before it (``fMerged``), as ``w:vMerge`` and ``w:gridSpan``
do in a .docx.  A row whose cells hold tables lays a report out: what they hold is read as a body is.

Read as the document reads: a field shows its result, not its code; text hidden (``sprmCFVanish``) or deleted with
changes tracked (``sprmCFRMarkDel``) is not read, and text struck out (``sprmCFStrike``, ``sprmCFDStrike``: a number
corrected in place) is kept apart as a .docx's is; each parts the text around it, so digits are never joined across it.
Only the properties written on the text itself are weighed, not those a style gives it.  A picture (a special
character) in a cell with no text makes the cell a picture, no blank.  Text boxes, headers, footers and notes are other
stories, not read.  Files written by Word 6 or Word 95 (an older layout), and files protected by a password, are refused
with the command that converts them.
"""

from __future__ import annotations

import struct
from bisect import bisect_right
from collections.abc import Iterator, Mapping
from pathlib import Path

from govspec.errors import InstanceError
from govspec.extract.grid import GridRow, GridText, Item, cell_text, shown_as
from govspec.extract.limits import MAX_TEXT_CHARS
from govspec.extract.ole2 import Compound
from govspec.extract.reasons import CONVERT
from govspec.extract.word97_formatting import (
    DEF_TABLE,
    HUGE_PAPX,
    IN_TABLE,
    INNER_CELL,
    INNER_TTP,
    ITAP,
    TTP,
    VERT_MERGE,
    flag,
    integer,
    look,
    parsed,
    runs,
)

WORD97, FIRST_NFIB = 0xA5EC, 0xC1  # a Word 97 file's signature; earlier numbers are Word 6 and Word 95
ENCRYPTED, TABLE_STREAM_1 = 0x0100, 0x0200  # FIB flags
CELL_MARK, PARAGRAPH_MARK = "\x07", "\r"
BREAKS = "\x0c\x0e"  # page or section break, column break: a paragraph's end, never a table's
FIELD_BEGIN, FIELD_SEPARATOR, FIELD_END = "\x13", "\x14", "\x15"
PICTURES = "\x01\x08"  # special characters anchoring a picture or a drawn object
SHOWN_AS = {"\x0b": " ", "\t": " ", "\xa0": " ", "\x1e": "-", "\x1f": ""}  # line break, tab, hyphens
LAYOUT_DEPTH = 8  # tables within tables read as layout this deep (as in a .docx)
MAX_DEPTH = 64  # tables within tables, as deep as Word nests them (63): deeper is a damaged file


def read_doc(raw: bytes, source: str) -> list[Item]:
    """The paragraphs and table rows of an old Word file, in order."""
    items: list[Item] = []
    try:
        document = _Document(Compound(raw), source)
        _Tables(items).build(list(document.paragraphs()))
    except (struct.error, IndexError, ValueError, UnicodeDecodeError, OverflowError):
        raise InstanceError("the old Word file (.doc) is damaged: its text or formatting cannot be followed",
                            zh="旧版 Word 文件（.doc）已损坏：无法读取其文字或格式", source=source) from None
    return items


def is_word_document(raw: bytes) -> bool:
    """Whether an OLE2 file holds a Word document (a ``WordDocument`` stream)."""
    try:
        return Compound(raw).stream("WordDocument") is not None
    except (struct.error, IndexError, ValueError):
        return False


class _Paragraph:
    __slots__ = ("text", "struck", "picture", "depth", "cell_end", "row_end", "row")

    def __init__(self, text: str, struck: str, picture: bool, properties: Mapping, mark: str) -> None:
        self.text, self.struck, self.picture = text, struck, picture
        depth = integer(properties.get(ITAP)) if ITAP in properties else int(flag(properties.get(IN_TABLE)))
        if depth > MAX_DEPTH:
            raise ValueError("tables nested deeper than Word nests them")
        self.depth = max(0, depth)
        if self.depth > 1:
            self.cell_end, self.row_end = flag(properties.get(INNER_CELL)), flag(properties.get(INNER_TTP))
        else:
            self.row_end = self.depth == 1 and mark == CELL_MARK and flag(properties.get(TTP))
            self.cell_end = self.depth == 1 and mark == CELL_MARK and not self.row_end
        self.row = (properties.get(DEF_TABLE), properties.get(VERT_MERGE, [])) if self.row_end else None


class _Document:
    """The main story of a Word 97 file: its text by pieces, with the formatting of paragraphs and characters."""

    def __init__(self, container: Compound, source: str) -> None:
        words = container.stream("WordDocument")
        if words is None:
            raise ValueError("no WordDocument stream")
        ident, nfib = struct.unpack_from("<HH", words, 0)
        flags = struct.unpack_from("<H", words, 0x0A)[0]
        if ident != WORD97 or nfib < FIRST_NFIB:
            raise _refused("written by Word 6 or Word 95 (an older layout of .doc)",
                           "由 Word 6 或 Word 95 写成（更旧的 .doc 格式）", source)
        if flags & ENCRYPTED:
            raise _refused("protected by a password", "设有密码保护", source)
        table = container.stream("1Table" if flags & TABLE_STREAM_1 else "0Table")
        if table is None:
            raise ValueError("no table stream")
        self.words, self.table, self.data = words, table, container.stream("Data") or b""
        csw = struct.unpack_from("<H", words, 32)[0]
        long_words = 34 + 2 * csw + 2
        cslw = struct.unpack_from("<H", words, long_words - 2)[0]
        self.length = struct.unpack_from("<i", words, long_words + 12)[0]  # ccpText: the main story's characters
        if not 0 <= self.length <= MAX_TEXT_CHARS:
            raise ValueError("a main story longer than a report's text")
        pairs = long_words + 4 * cslw + 2

        def pair(index: int) -> tuple[int, int]:
            return struct.unpack_from("<II", words, pairs + 8 * index)
        self.pieces, self.grpprls = self._pieces(*pair(33))
        self.paragraph_runs = runs(words, table, *pair(13), paragraphs=True)
        self.character_runs = runs(words, table, *pair(12), paragraphs=False)
        self._starts = [run[0] for run in self.paragraph_runs]
        self._char_starts = [run[0] for run in self.character_runs]

    def _pieces(self, at: int, length: int) -> tuple[list[tuple[int, int, int, bool, int]], list[bytes]]:
        """The piece table (``Clx``): each piece's characters (from, to), where its text lies, whether it is 8-bit text,
        and its property modifier; and the property lists (``Prc``) modifiers may name."""
        clx = self.table[at:at + length]
        grpprls: list[bytes] = []
        position = 0
        while clx[position] == 1:  # a Prc: a property list that pieces name by index
            size = struct.unpack_from("<H", clx, position + 1)[0]
            grpprls.append(clx[position + 3:position + 3 + size])
            position += 3 + size
        if clx[position] != 2:
            raise ValueError("no piece table")
        size = struct.unpack_from("<I", clx, position + 1)[0]
        plc = clx[position + 5:position + 5 + size]
        count = (len(plc) - 4) // 12
        cps = struct.unpack_from(f"<{count + 1}i", plc, 0)
        pieces = []
        for index in range(count):
            fc, prm = struct.unpack_from("<IH", plc, 4 * (count + 1) + 8 * index + 2)
            compressed = bool(fc & 0x40000000)
            start = (fc & 0x3FFFFFFF) // 2 if compressed else fc
            if cps[index + 1] < cps[index]:
                raise ValueError("pieces out of order")
            pieces.append((cps[index], cps[index + 1], start, compressed, prm))
        return pieces, grpprls

    def _characters(self) -> Iterator[tuple[str, int, int]]:
        """The main story's characters, each with where it lies in the WordDocument stream and its piece's index."""
        for index, (first, last, start, compressed, _prm) in enumerate(self.pieces):
            if first >= self.length:
                break
            count = min(last, self.length) - first
            width = 1 if compressed else 2
            chunk = self.words[start:start + count * width]
            if len(chunk) != count * width:
                raise ValueError("a piece beyond the stream")
            text = chunk.decode("cp1252", "replace") if compressed else chunk.decode("utf-16-le", "replace")
            fc = start
            for char in text:
                yield char, fc, index
                fc += width * (2 if char > "\uffff" else 1)  # a character beyond the BMP: two UTF-16 units

    def _properties(self, fc: int, piece: int) -> Mapping:
        """The properties of the paragraph whose mark lies at ``fc``: its run's, then its piece's modifier's."""
        at = bisect_right(self._starts, fc) - 1
        found = parsed(self.paragraph_runs[at][2]) if at >= 0 and fc < self.paragraph_runs[at][1] else {}
        prm = self.pieces[piece][4]
        if prm & 1 and (prm >> 1) < len(self.grpprls):  # a modifier naming a property list
            found = {**found, **parsed(self.grpprls[prm >> 1])}
        huge = found.get(HUGE_PAPX)
        if huge is not None and len(huge) >= 4:  # properties too long for their page, kept in the Data stream
            at = struct.unpack_from("<I", huge)[0]
            size = struct.unpack_from("<H", self.data, at)[0]
            found = {**found, **parsed(self.data[at + 2:at + 2 + size])}
        return found

    def _look(self, fc: int) -> tuple[bool, bool, bool]:
        """How a character at ``fc`` shows: hidden (or deleted), struck out, special."""
        at = bisect_right(self._char_starts, fc) - 1
        if at < 0 or fc >= self.character_runs[at][1]:
            return False, False, False
        return look(self.character_runs[at][2])

    def paragraphs(self) -> Iterator[_Paragraph]:
        shown: list[str] = []
        struck: list[str] = []
        picture = False
        fields: list[bool] = []  # for each open field: whether its result is being read (after its separator)
        for char, fc, piece in self._characters():
            if char in (CELL_MARK, PARAGRAPH_MARK) or char in BREAKS:
                mark = char if char in (CELL_MARK, PARAGRAPH_MARK) else PARAGRAPH_MARK
                properties = self._properties(fc, piece) if char not in BREAKS else {}
                yield _Paragraph("".join(shown), "".join(struck), picture, properties, mark)
                shown, struck, picture = [], [], False
                continue
            if char == FIELD_BEGIN:
                fields.append(False)
                continue
            if char == FIELD_SEPARATOR:
                if fields:
                    fields[-1] = True
                continue
            if char == FIELD_END:
                if fields:
                    fields.pop()
                continue
            if not all(fields):
                continue  # a field's code: not what the document shows
            hidden, strike, special = self._look(fc)
            if not hidden and (special or char < " "):
                picture = picture or (special and char in PICTURES)
                shown.append(SHOWN_AS.get(char, ""))
            else:
                shown_as(SHOWN_AS.get(char, char), hidden, strike, shown, struck)
        if shown:
            yield _Paragraph("".join(shown), "".join(struck), picture, {}, PARAGRAPH_MARK)


class _Cell:
    __slots__ = ("parts", "picture")

    def __init__(self) -> None:
        self.parts: list = []  # paragraphs (text, struck) and tables (lists of rows)
        self.picture = False


class _Tables:
    """Paragraphs into the body's items: text outside tables, and tables as rows of cells (nested ones within)."""

    def __init__(self, items: list[Item]) -> None:
        self.items = items
        self.count = 0

    def build(self, paragraphs: list[_Paragraph]) -> None:
        stack: list[dict] = []  # open tables, outermost first: {"number", "rows", "cells", "cell"}
        for paragraph in paragraphs:
            depth = paragraph.depth
            while len(stack) > depth:  # a table ended: into the cell that holds it, or the body
                self._close(stack)
            while len(stack) < depth:
                self.count += 1
                stack.append({"number": self.count, "rows": [], "cells": [], "cell": _Cell()})
            if not stack:
                if paragraph.text.strip():
                    self.items.append(GridText(paragraph.text, f"paragraph {len(self.items) + 1}"))
                continue
            table = stack[-1]
            if paragraph.row_end:
                table["rows"].append((table["cells"], paragraph.row))
                table["cells"], table["cell"] = [], _Cell()
                continue
            cell = table["cell"]
            cell.parts.append((paragraph.text, paragraph.struck))
            cell.picture = cell.picture or paragraph.picture
            if paragraph.cell_end:
                table["cells"].append(cell)
                table["cell"] = _Cell()
        while stack:
            self._close(stack)

    def _close(self, stack: list[dict]) -> None:
        table = stack.pop()
        if table["cells"]:  # cells after the last row's end (a damaged file): a row of their own
            table["rows"].append((table["cells"], None))
        if stack:
            stack[-1]["cell"].parts.append(table)
        else:
            self._emit(table, 0)

    def _emit(self, table: dict, depth: int) -> None:
        edges = sorted({edge for _cells, row in table["rows"] for edge in _edges(row)})
        for index, (cells, row) in enumerate(table["rows"], 1):
            if depth < LAYOUT_DEPTH and any(isinstance(part, dict) for cell in cells for part in cell.parts):
                for cell in cells:  # a row laying a report out: what its cells hold read as a body is
                    for part in cell.parts:
                        if isinstance(part, dict):
                            self._emit(part, depth + 1)
                        elif part[0].strip():
                            self.items.append(GridText(part[0], f"paragraph {len(self.items) + 1}"))
                continue
            placed = _placed(cells, row, edges)
            self.items.append(GridRow(tuple((_cell_text(cell), f"table {table['number']} row {index} col {column}")
                                            for cell, column in placed)))


def _edges(row) -> list[int]:
    """The left edges of a row's cells, from its definition (``sprmTDefTable``), or none."""
    if row is None or row[0] is None:
        return []
    operand = row[0]
    count = operand[2]
    return list(struct.unpack_from(f"<{count + 1}h", operand, 3))[:count]


def _placed(cells: list[_Cell], row, edges: list[int]) -> list[tuple[_Cell, int]]:
    """The cells a row shows, each with its grid column: a cell merged away into the one above or before it left out.
    Without a definition that names every cell, each cell is its own column, none merged away."""
    left = _edges(row)
    if len(left) != len(cells):
        return [(cell, column) for column, cell in enumerate(cells, 1)]
    operand = row[0]
    count = operand[2]
    flags = []
    for index in range(count):
        at = 3 + 2 * (count + 1) + 20 * index
        flags.append(struct.unpack_from("<H", operand, at)[0] if at + 2 <= len(operand) else 0)
    for merge in row[1]:  # sprmTVertMerge: a cell's vertical merge set apart from its definition
        if len(merge) >= 3 and merge[1] < count:
            flags[merge[1]] = (flags[merge[1]] & ~0x60) | ((merge[2] & 1) << 5) | ((merge[2] & 2) << 5)
    placed = []
    for index, cell in enumerate(cells):
        merged_away = flags[index] & 0x02 or (flags[index] & 0x20 and not flags[index] & 0x40)
        if not merged_away:
            placed.append((cell, edges.index(left[index]) + 1))
    return placed


def _cell_text(cell: _Cell) -> str:
    texts, struck = [], []
    for part in cell.parts:
        if isinstance(part, dict):  # a table deeper than read as layout: its text as the cell's
            part = (" ".join(_cell_text(inner) for cells, _row in part["rows"] for inner in cells), "")
        texts.append(part[0])
        struck.append(part[1])
    return cell_text(" ".join(texts), [" ".join(struck)], cell.picture)  # a paragraph's struck text apart


def _refused(why: str, why_zh: str, source: str) -> InstanceError:
    command = CONVERT.format(to="docx", name=Path(source).name)
    return InstanceError(f"an old Word file (.doc) {why}, which govspec does not read: convert it first, then validate "
                         f"the converted file: {command}", zh=f"旧版 Word 文件（.doc）{why_zh}，govspec 不直接读取："
                         f"请先转换，再校验转换后的文件：{command}", source=source)
