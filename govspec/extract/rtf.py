"""RTF documents (what Word and WPS save as "Rich Text Format", and what reporting systems export as "Word", often
named .doc), read as the grid their tables draw, as a .docx is.

A table row is defined (``\\trowd``) by its cells' right edges (``\\cellx``), each with how it is merged: into the cell
before it (``\\clmrg``) or the one above (``\\clvmrg``) — such a cell is left out, and the others keep their grid column
(the table's edges, as ``w:gridSpan`` and ``w:vMerge`` give them in a .docx).  Its cells' text ends at ``\\cell``, the
row at ``\\row``; a paragraph outside tables at ``\\par``.  Text is read as the document shows it: a field's result, not
its code; no hidden text (``\\v``), no text deleted with changes tracked (``\\deleted``); text struck out (``\\strike``,
``\\striked1``: a number corrected in place) kept apart as in a .docx — each parts the digits around it.  Characters
come as Unicode (``\\u``, its fallback skipped) or as bytes of the document's or the font's code page (``\\ansicpg936``,
``\\fcharset134``: GBK).  Destinations that are not the body's text (font and colour tables, styles, pictures, headers,
footers, notes, text boxes' shapes) are not read.  A table within a table's cell is read as that cell's text.
"""

from __future__ import annotations

import re

from govspec.errors import InstanceError
from govspec.extract.grid import GridRow, GridText, Item, cell_text, shown_as

TOKEN = re.compile(rb"\\([a-zA-Z]{1,32})(-?\d{1,10})? ?|\\'([0-9a-fA-F]{2})|\\(.)|([{}])|([^\\{}\r\n]+)|[\r\n]+", re.S)
SKIPPED = {b"fonttbl", b"colortbl", b"stylesheet", b"info", b"pict", b"object", b"header", b"headerl", b"headerr",
           b"headerf", b"footer", b"footerl", b"footerr", b"footerf", b"footnote", b"annotation", b"listtable",
           b"listoverridetable", b"rsidtbl", b"generator", b"xmlnstbl", b"themedata", b"colorschememapping",
           b"latentstyles", b"datastore", b"nonshppict", b"shp", b"fldinst", b"bkmkstart", b"bkmkend", b"revtbl",
           b"pgdsctbl", b"filetbl", b"mmathPr", b"userprops", b"docvar", b"template", b"shpinst"}
CHARSETS = {0: "cp1252", 128: "cp932", 129: "cp949", 134: "gbk", 136: "big5", 161: "cp1253", 162: "cp1254",
            177: "cp1255", 178: "cp1256", 186: "cp1257", 204: "cp1251", 222: "cp874", 238: "cp1250"}
SHOWN = {b"tab": " ", b"line": " ", b"emspace": " ", b"enspace": " ", b"qmspace": " ", b"lquote": "\u2018",
         b"rquote": "\u2019", b"ldblquote": "\u201c", b"rdblquote": "\u201d", b"bullet": "\u2022", b"endash": "\u2013",
         b"emdash": "\u2014"}
SYMBOLS = {b"~": " ", b"_": "-", b"-": "", b"{": "{", b"}": "}", b"\\": "\\"}
PICTURES = {b"pict", b"shppict", b"object"}  # destinations that show a picture or an embedded object
NOT_BODY = SKIPPED | PICTURES  # destinations whose text is not the body's
MAX_GROUPS = 10_000  # groups open at once: Word nests a few dozen; deeper is no document of Word's


def is_rtf(raw: bytes) -> bool:
    return raw.lstrip()[:5] == b"{\\rtf"


class _State:
    __slots__ = ("skip", "hidden", "strike", "font", "uc")

    def __init__(self) -> None:
        self.skip, self.hidden, self.strike = False, False, False
        self.font: int | None = None
        self.uc = 1

    def copy(self) -> _State:
        other = _State()
        other.skip, other.hidden, other.strike, other.font, other.uc = \
            self.skip, self.hidden, self.strike, self.font, self.uc
        return other


class _Reader:
    def __init__(self) -> None:
        self.items: list[Item] = []
        self.codepage = "cp1252"
        self.fonts: dict[int, str] = {}
        self.shown: list[str] = []
        self.struck: list[str] = []
        self.pending = bytearray()  # bytes given as \'hh, decoded together (a GBK character is two of them)
        self.pending_font: int | None = None  # the font of the first byte pending
        self.in_table = False
        self.cells: list[str] = []  # the row's cells so far
        self.cell: list[tuple[str, str, bool]] = []   # the current cell's paragraphs (text, struck, picture)
        self.definition: list[tuple[int, str]] = []  # the row's cells: (right edge, "merged" when merged away, else "")
        self.merge = ""
        self.left = 0
        self.table: list[tuple[list, list, int]] | None = None  # rows of the open table: (cells, definition, left)
        self.tables = 0
        self.skip_chars = 0
        self.state = _State()
        self.picture = False  # the current paragraph shows a picture

    # --- text --------------------------------------------------------------------------------------------------

    def flush(self) -> None:
        if self.pending:
            codepage = self.fonts.get(self.pending_font, self.codepage) if self.pending_font is not None else \
                self.codepage
            self.text(bytes(self.pending).decode(codepage, "replace"), self.state)
            self.pending.clear()

    def text(self, text: str, state: _State) -> None:
        if not state.skip and text:
            shown_as(text, state.hidden, state.strike, self.shown, self.struck)

    def paragraph(self) -> tuple[str, str, bool]:
        """The paragraph read so far: its text, its text struck out, and whether it shows a picture."""
        self.flush()
        found = (_paired("".join(self.shown)), _paired("".join(self.struck)), self.picture)
        self.shown, self.struck, self.picture = [], [], False
        return found

    # --- structure ---------------------------------------------------------------------------------------------

    def end_paragraph(self) -> None:
        text, struck, picture = self.paragraph()
        if self.in_table:
            self.cell.append((text, struck, picture))
            return
        self.close_table()
        if text.strip():
            self.items.append(GridText(text, f"paragraph {len(self.items) + 1}"))

    def end_cell(self) -> None:
        self.cell.append(self.paragraph())
        self.cells.append(cell_text(" ".join(text for text, _, _ in self.cell), [" ".join(s for _, s, _ in self.cell if s)],
                                    any(picture for _, _, picture in self.cell)))
        self.cell = []

    def end_row(self) -> None:
        self.paragraph()  # what stands between the last cell and the row's end is no cell's
        if self.table is None:
            self.table = []
        self.table.append((self.cells, self.definition, self.left))
        self.cells, self.cell = [], []

    def close_table(self) -> None:
        if self.cells or self.cell:  # cells without a row's end (a damaged file): a row of their own
            if self.cell:
                self.end_cell()
            self.end_row()
        if not self.table:
            self.table = None
            return
        self.tables += 1
        edges = sorted({edge for _, definition, left in self.table for edge in _lefts(definition, left)})
        for number, (cells, definition, left) in enumerate(self.table, 1):
            lefts = _lefts(definition, left)
            named = len(definition) == len(cells)
            row = []
            for index, text in enumerate(cells):
                if named and definition[index][1]:
                    continue  # merged into the cell before it or the one above
                column = edges.index(lefts[index]) + 1 if named else index + 1
                row.append((text, f"table {self.tables} row {number} col {column}"))
            self.items.append(GridRow(tuple(row)))
        self.table = None


def _paired(text: str) -> str:
    """``text`` with a character beyond the BMP written as two ``\\u`` halves (a surrogate pair) made one again."""
    if not any("\ud800" <= char <= "\udfff" for char in text):
        return text
    return text.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "replace")


def _lefts(definition: list[tuple[int, str]], left: int) -> list[int]:
    """The left edges of a row's cells: the row's own left edge, then each cell's right edge."""
    return [left, *(right for right, _ in definition[:-1])]


def read_rtf(raw: bytes, source: str) -> list[Item]:
    """The paragraphs and table rows of an RTF document, in order."""
    reader = _Reader()
    stack: list[_State] = []
    state = reader.state
    starting = False  # just after "{" (or "{\\*"): the word that follows may name a destination
    fonts: list[tuple[int, int]] = []  # (font, charset) while the font table is read
    in_fonts = 0
    font: int | None = None
    position = 0
    while position < len(raw):
        match = TOKEN.match(raw, position)
        if match is None:  # a backslash ending the file
            break
        position = match.end()
        word, number, hexa, symbol, brace, chunk = match.groups()
        if match.lastindex is None:
            continue  # a line break of the file: no text, and the bytes of a character may go on after it
        if hexa is None and reader.pending:
            reader.flush()
        destination, starting = starting, False
        if brace is not None:
            if brace == b"{":
                if len(stack) >= MAX_GROUPS:
                    raise InstanceError(f"the RTF document opens more than {MAX_GROUPS} groups at once, which no word "
                                        "processor writes: refused", source=source,
                                        zh=f"RTF 文档同时打开的编组超过 {MAX_GROUPS} 个（文字处理软件不会如此）：拒绝读取")
                stack.append(state)
                state = reader.state = state.copy()
                starting = True
                in_fonts += 1 if in_fonts else 0
            else:
                if in_fonts:
                    in_fonts -= 1
                    if not in_fonts:
                        reader.fonts = {f: CHARSETS.get(c, reader.codepage) for f, c in fonts}
                state = reader.state = stack.pop() if stack else state
            reader.skip_chars = 0
        elif hexa is not None:
            if reader.skip_chars:
                reader.skip_chars -= 1
            elif not state.skip:
                if not reader.pending:
                    reader.pending_font = state.font
                reader.pending.append(int(hexa, 16))
        elif chunk is not None:
            if not state.skip:
                text = chunk.decode(reader.fonts.get(state.font, reader.codepage) if state.font is not None
                                    else reader.codepage, "replace")
                dropped = min(reader.skip_chars, len(text))
                reader.skip_chars -= dropped
                reader.text(text[dropped:], state)
        elif symbol is not None:
            if symbol == b"*" and destination:
                state.skip, starting = True, True  # an optional destination: not read, whatever it names
            elif symbol in (b"\n", b"\r"):
                if not state.skip:
                    reader.end_paragraph()
            elif not state.skip:
                reader.text(SYMBOLS.get(symbol, ""), state)
        elif word is not None:
            value = int(number) if number is not None else None
            if destination and word in NOT_BODY:
                if word in PICTURES and stack and not stack[-1].skip:  # in text read (its group's may be starred)
                    reader.picture = True  # a picture where text stands: what it shows is not read
                if word == b"fonttbl":
                    in_fonts, fonts = 1, []
                state.skip = True
            elif in_fonts:
                if word == b"f" and value is not None:
                    font = value
                elif word == b"fcharset" and value is not None and font is not None:
                    fonts.append((font, value))
            elif word == b"bin" and value is not None and value > 0:
                position += value  # binary data (a picture's): its bytes are no text, nor braces
            else:
                _control(reader, state, word, value)
    reader.flush()
    reader.in_table = False
    reader.end_paragraph()
    reader.close_table()
    return reader.items


def _control(reader: _Reader, state: _State, word: bytes, value: int | None) -> None:
    """What a control word of the body does."""
    if word == b"u" and value is not None:
        if not state.skip:
            reader.text(chr(value % 65536) if value < 0 else chr(min(value, 0x10FFFF)), state)
        reader.skip_chars = state.uc
        return
    if reader.skip_chars:
        reader.skip_chars -= 1  # a control word is one character of a \u's fallback
        return
    if word == b"ansicpg" and value is not None:
        reader.codepage = _codepage(value)
    elif word == b"f" and value is not None:
        state.font = value
    elif word == b"uc" and value is not None:
        state.uc = max(0, value)
    elif word in (b"v", b"deleted"):
        state.hidden = value != 0
    elif word in (b"strike", b"striked"):
        state.strike = value != 0
    elif word == b"plain":
        state.hidden = state.strike = False
    elif state.skip:
        return
    elif word in SHOWN:
        reader.text(SHOWN[word], state)
    elif word in (b"par", b"sect", b"page"):
        reader.end_paragraph()
    elif word == b"pard":
        reader.in_table = False
    elif word == b"intbl":
        reader.in_table = True
    elif word == b"cell":
        reader.in_table = True
        reader.end_cell()
    elif word == b"row":
        reader.end_row()
    elif word in (b"nestcell", b"nestrow"):
        reader.text(" ", state)  # a table within a cell: read as the cell's text
    elif word == b"trowd":
        reader.definition, reader.merge, reader.left = [], "", 0
    elif word == b"trleft" and value is not None:
        reader.left = value
    elif word in (b"clmrg", b"clvmrg"):
        reader.merge = "merged"
    elif word == b"cellx" and value is not None:
        reader.definition.append((value, reader.merge))
        reader.merge = ""


def _codepage(number: int) -> str:
    import codecs
    name = "gbk" if number == 936 else f"cp{number}"
    try:
        codecs.lookup(name)
    except LookupError:
        return "cp1252"
    return name
