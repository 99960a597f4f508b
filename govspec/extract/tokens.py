"""Published text as tokens: text lines, Markdown tables and HTML grids cut into cells, each cell a
:class:`Token` that knows where it was read and whether it looks like a value, a blank mark or text.

Labels are compared in one normal form (:func:`norm`): simplified characters, NFKC, no spaces,
quotes or pinyin glosses.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import replace
from functools import lru_cache

from govspec.extract.gridtables import grid_table_rows, is_border, undrawn
from govspec.io.chinese import simplified  # traditional characters (mirror sites), for matching labels
from govspec.io.values import normalise
from govspec.records import record

_PINYIN = re.compile(r"[(（][a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü]{1,7}[)）]")  # in either form of brackets: real pages print （）
_QUOTES = str.maketrans("", "", "“”\"'‘’「」")
# A printed character the document does not name (a glyph of a font without its Unicode map: the page shows it,
# its text does not say what it is).  Kept where it stands, so that no number and no name is read without it:
# labels are compared without it (:func:`norm`), as they were when it was dropped.
UNKNOWN = "\ufffd"
# a value: digits with separators (never white space: "1 2" is two values or none, not 12), a unit, or 增/减
_NUMBERISH = re.compile(r"^[+\-−－]?[\d０-９][\d０-９,，.．]*\s*(万元|元|亿元|件|个|项|条|次)?$|^(增|减)[\d０-９]+$")
# govspec's own marks in what it writes (``govspec render``): "✗ 3" is the value 3, marked
_MARKDOWN = re.compile(r"^#{1,6}|^\*{1,2}|\*{1,2}$|^__(?=[^_])|(?<=[^_])__$")  # headings, bold (``**``, ``__``)
_GOVSPEC_MARK = re.compile(r"^(?:✗|!)\s*(?=\S)")
_GOVSPEC_FINDING = re.compile(r"^-\s+(?:✗|!|·)\s+`")  # a line of render's findings list
_MARKS = {"/", "-", "—", "——", "_", "无", "－", "一"}
# a page's number on a line of its own, as printed documents set it (GB/T 9704: "— 5 —"; "- 5 -", "第 5 页 共 6 页"):
# furniture of the page, never cells — "- 5 -" would read as a blank, 5 and a blank
_PAGE_NUMBER = re.compile(r"^(?:[-—－–]{1,2}\s*\d{1,4}\s*[-—－–]{1,2}|第\s*\d{1,4}\s*页(?:\s*[,，/]?\s*共\s*\d{1,4}\s*页)?)$")


@lru_cache(maxsize=8192)  # a table repeats its cells' texts (0, 无, a label in every copy of a header)
def norm(text: str) -> str:
    """A label as govspec compares it: simplified, NFKC, no spaces, quotes or pinyin glosses."""
    if not text:
        return ""  # an empty cell: most cells of a table copied with its range's empty ones
    text = _PINYIN.sub("", simplified(text))
    text = unicodedata.normalize("NFKC", text).translate(_QUOTES)
    text = re.sub(r"\s+", "", text).replace("．", ".")
    text = re.sub(r"(?<=[0-9一二三四五六七八九十)])、", ".", text).replace("、", "")  # 1、→1.  复议、提起→复议提起
    text = _MARKDOWN.sub("", text)  # "### 四、…", "**第二十条第（一）项**", "__四、…__": the label without its Markdown
    return text.replace(UNKNOWN, "").strip("|:：")  # a character the document does not name: not compared


@record
class Token:
    text: str
    norm: str
    where: str          # "line 12" or "table 1 row 3 col 2"
    line: int           # a row of the source: the text line, or the table row
    kind: str           # "value" | "empty" | "text" | "gap" (a line holding a single "|")
    positional: bool    # in a row of several cells (a pipe line or an HTML row)
    last: bool = False  # the last token of the source
    ends_pipe: bool = False  # one cell per line, written "cell |"
    header: bool = False  # a cell of a Markdown table's header row (the row above "|---|")
    # a cell of a grid that leaves out a cell merged away by a span (a page's, a document's, a workbook's table): an
    # empty cell after a row's label is a cell of its own — in text (``|`` or tabs) it may be a merged label's remainder
    spans: bool = False
    # the cell's place in its line, counted from 1, where text sets a table's rows as lines of cells (``|``, tabs, a
    # line of CSV): a header's place is its column's (:mod:`govspec.extract.columns`); 0 where unknown
    column: int = 0


_STRUCK = re.compile(r"~~(.+?)~~")
_EMPHASIS = re.compile(r"^(\*\*|__|\*|_|`)(?=\S)(.+?)(?<=\S)\1$")


def _shown(cell: str) -> str:
    """A Markdown table's cell as it shows: without the emphasis around it (``**3119**``, ``*0*``, ``__3__``,
    ```21```: converters write a page's bold or italic so) and without its struck text (``~~1360~~ 1362``: a number
    corrected in place shows 1362, as a page's ``<del>`` does).  A cell of struck text only stays as it is: no value,
    never a blank.  Emphasis inside a cell's text (``1**2**``) is left as it is: not a value."""
    text = cell.strip()
    if "~~" in text:
        shown = _STRUCK.sub(" ", text).strip()
        text = shown if shown else text
    while len(text) > 2 and (match := _EMPHASIS.match(text)):
        text = match.group(2).strip()
    return text


def unmark(text: str) -> str:
    """A cell as govspec writes it with a mark (``✗ 3``, ``! 12``): the value without the mark."""
    stripped = text.strip()
    bare = _GOVSPEC_MARK.sub("", stripped)
    return bare if bare != stripped and _NUMBERISH.match(bare) else stripped


# how pandas writes a cell with no value (``to_markdown``: nan; ``to_string``, ``print``: NaN; a nullable column: <NA>)
_MISSING = frozenset({"nan", "NaN", "<NA>"})


def kind_of(text: str) -> str:
    stripped = text.strip()
    if not stripped or stripped in _MISSING:
        return "empty"
    if stripped in _MARKS or _NUMBERISH.match(stripped):
        return "value"
    if len(stripped) <= 2 and normalise(stripped) in _MARKS:
        return "value"  # a mark in its full-width form, as real pages print it (／ ＿ ﹣): as read_text reads marks
    return "text"


_SEPARATOR = re.compile(r"\|?\s*:?-{3,}.*")
# in a Markdown table's cell: a line break (``<br>``, the only one a cell can hold) or a space written as an entity —
# a space apart (a label compares without spaces; digits on either side are never joined: ``1<br>2`` is no value)
_MARKUP_IN_CELL = re.compile(r"<br\s*/?>|&nbsp;|&#160;|&ensp;|&emsp;", re.IGNORECASE)
# Markdown's escapes: a converter writes ``1\.属于国家秘密`` (a list's number otherwise), ``\_`` or ``\-`` for a blank
# mark, ``\|`` for a pipe inside a cell (no cell's edge) — the characters themselves
_ESCAPED = re.compile(r"\\([!-/:-@\[-`{-~])")
_PIPE = "\ufffe"  # an escaped pipe while a line is cut into cells


def _unescaped(line: str) -> str:
    return _ESCAPED.sub(lambda m: _PIPE if m.group(1) == "|" else m.group(1), line)


def tokens_from_text(text: str) -> list[Token]:
    out: list[Token] = []
    text = undrawn(text)
    lines = text.splitlines()
    separators = {i + 1 for i, raw in enumerate(lines) if "-" in raw and _SEPARATOR.fullmatch(raw.strip())}
    headers = {number - 1 for number in separators if number > 1 and "|" in lines[number - 2]}
    edges = _bare_edges(lines, separators)
    tabbed = tab_rows(lines)
    gridded = grid_table_rows(lines) if "+" in text else {}
    for number, raw in enumerate(lines, 1):
        line = gridded.get(number, raw).strip()
        if not line or _SEPARATOR.fullmatch(line) or _GOVSPEC_FINDING.match(line) or is_border(line):
            continue
        if line == "|":
            out.append(Token("", "", f"line {number}", number, "gap", False))
            continue
        if "\\" in line:
            line = _unescaped(line)
            if "|" not in line:
                line = line.replace(_PIPE, "|")
        if "|" not in line:
            out.extend(tab_row(tabbed[number], number) if number in tabbed else spaced_row(line, number))
            continue
        if "<" in line or "&" in line:  # Markdown's line break in a cell, and entities, as a converter writes them
            line = _MARKUP_IN_CELL.sub(" ", line)
        cells = [cell.replace(_PIPE, "|") for cell in line.split("|")]
        leading, trailing = edges.get(number, (False, False))
        if line.startswith("|") and not leading:
            cells = cells[1:]
        if line.endswith("|") and not trailing:
            cells = cells[:-1]
        filled = [c for c in cells if c.strip()]
        first_row = number - 1 in separators  # the first row under a table's "|---|": a row of cells, blank or not
        if not filled and not first_row:
            continue  # a line of pipes only: merged-cell filler
        positional = len(cells) > 1 or first_row
        ends_pipe = not positional and line.endswith("|")
        for place, cell in enumerate(cells if positional else filled, 1):
            cell = unmark(_shown(cell))
            out.append(Token(cell, norm(cell), f"line {number}", number, kind_of(cell), positional,
                             ends_pipe=ends_pipe, header=number in headers, column=place if positional else 0))
    return mark_last(out)


def _bare_edges(lines: list[str], separators: set[int]) -> dict[int, tuple[bool, bool]]:
    """For each line of a Markdown table whose separator row has no pipe at either end (``---|---``, or ``---`` under
    a header of one cell: html2text writes tables without outer pipes), whether a pipe at the line's start and at its
    end parts an empty cell from the next, rather than closing the row — so when some of the table's rows start (end)
    without one: html2text writes an empty last cell as ``…| 1|`` and an empty first one as ``| 2| …``, which a closing
    pipe would drop, moving every value after it a column (the row left out, a cell short).  Lines by number, from 1."""
    edges: dict[int, tuple[bool, bool]] = {}
    for separator in sorted(separators):  # the separator's line number, from 1
        text = lines[separator - 1].strip()
        if text.startswith("|") or text.endswith("|"):
            continue  # outer pipes: a pipe at either end of a row closes it (``---`` alone: a table of one column)
        rows = [separator - 1] if separator > 1 and "|" in lines[separator - 2] else []  # the header's line
        number = separator + 1  # then the lines under the separator, up to a blank line (a row of one cell, as a
        while number <= len(lines) and lines[number - 1].strip() and number not in separators:  # block's, has no pipe)
            rows.append(number)
            number += 1
        texts = [text for text in (lines[number - 1].strip() for number in rows) if "|" in text]
        edge = (any(not t.startswith("|") for t in texts), any(not t.endswith("|") for t in texts))
        edges.update((number, edge) for number in rows)
    return edges


def tab_rows(lines: list[str]) -> dict[int, list[str]]:
    """The lines (by number) whose cells are set apart by tabs, each cell's text — a table copied out of Excel, WPS,
    Word or a browser, where each tab is a cell's edge, as ``|`` is: an empty cell (two tabs) keeps its place, so no
    value moves into it.  A line is one when a tab stands between its words and it holds a value or an empty cell
    (a line of text alone — a header, a paragraph with a tab in it — is read as before, :func:`spaced_row`), or when
    its tabs stand only at its ends and it has as many as such a line with values: a copied range is a rectangle,
    each line as wide as the next (``行政处罚`` and 14 tabs, a blank cell and the range's empty ones).  Tabs before a
    line's words alone are its indent.  Excel writes a cell holding a line break or a quote in quotes: a row whose
    cell runs over lines (``"商业`` / ``企业"``) is the row of its first line, and the lines after it have no cells
    of their own (an empty list); a line of text alone is read as before, line by line."""
    found: dict[int, list[str]] = {}
    edges: dict[int, list[str]] = {}
    widths = set()
    runs: dict[int, int] = {}  # a record's first line: how many lines its quoted cell ran on over
    for number, raw, cells in _records(lines):
        kinds = {kind_of(cell) for cell in cells}
        if "\t" not in raw.strip():
            edges[number] = cells
        elif kinds != {"text"}:
            found[number] = cells
            if "value" in kinds:
                widths.add(len(cells))
        if "\n" in raw:
            runs[number] = raw.count("\n")
    found.update((number, cells) for number, cells in edges.items() if len(cells) in widths)
    for number, more in runs.items():  # a row read whose cell ran over lines: those lines are its own
        if number in found:
            found.update((number + k, []) for k in range(1, more + 1))
    return found


MAX_CELL_LINES = 10  # lines one cell Excel quoted may run over (a header's label broken in two or three)


def _records(lines: list[str]):
    """(number, text, cells) of each line holding a tab and no ``|``; a cell Excel quoted for its line breaks makes
    one record of the lines it runs over, when it opens at its line's end and closes within :data:`MAX_CELL_LINES`."""
    number = 0
    while number < len(lines):
        raw = lines[number]
        number += 1
        if "\t" not in raw or "|" in raw:
            continue
        if raw.count('"') % 2 and raw.rsplit("\t", 1)[-1].lstrip().startswith('"'):
            end = number
            while end < len(lines) and end - number < MAX_CELL_LINES and "|" not in lines[end]:
                end += 1
                text = "\n".join(lines[number - 1:end])
                if text.count('"') % 2 == 0:
                    cells = _quoted_cells(text)
                    if cells is not None:
                        yield number, text, cells
                        number = end
                        break
            else:
                yield number, raw, _cells(raw)
            continue
        yield number, raw, _cells(raw)


def _quoted_cells(text: str) -> list[str] | None:
    """The cells of a row whose quoted cells hold line breaks, read as Excel wrote them; None where they do not read
    so (a cell longer than the csv module takes, a NUL): the lines are then read one by one."""
    import csv  # here: only a cell running over lines needs it
    try:
        return [unmark(cell.strip()) for cell in next(csv.reader([text], dialect="excel-tab"))]
    except csv.Error:
        return None


def _cells(raw: str) -> list[str]:
    return [unmark(_unquoted(cell.strip())) for cell in raw.rstrip("\r\n").split("\t")]


def tab_row(cells: list[str], number: int) -> list[Token]:
    """The tokens of a line whose cells :func:`tab_rows` found, each in its place (``line 12 col 3``)."""
    return [Token(cell, norm(cell), f"line {number} col {column}", number, kind_of(cell), True, column=column)
            for column, cell in enumerate(cells, 1)]


def _unquoted(cell: str) -> str:
    return cell[1:-1].replace('""', '"') if len(cell) > 1 and cell[0] == cell[-1] == '"' else cell


def spaced_row(line: str, number: int, where: str | None = None) -> list[Token]:
    """A line without ``|``: one cell, or a row whose cells are separated by white space; none for a page's number.

    ``0 0 0`` is a row of values; ``规章 0 0 0`` (text copied out of PDFs, pages that set tables in
    spaces) is a label followed by its values — each value one cell, never joined.  A line that shows ``NaN`` is a
    sheet's row as pandas prints it (``to_string``), every cell shown and ``NaN`` where one holds no value: each part a
    cell in its place, as in a line of ``|``.  Anything else is one text cell."""
    where = where or f"line {number}"
    if _PAGE_NUMBER.match(line):
        return []
    parts = line.split()
    kinds = [kind_of(p) for p in parts]
    if "empty" in kinds:
        return [Token(p, norm(p), f"{where} col {k}", number, kind, True, column=k)
                for k, (p, kind) in enumerate(zip(parts, kinds), 1)]
    if len(parts) > 1 and all(kind == "value" for kind in kinds):  # "0 0 0 …": a row of values
        return [Token(p, norm(p), where, number, "value", True) for p in parts]
    tail = len(parts)
    while tail > 0 and kinds[tail - 1] == "value":
        tail -= 1
    if 0 < tail < len(parts):
        label = " ".join(parts[:tail])
        return [Token(label, norm(label), where, number, "text", True)] + \
            [Token(p, norm(p), where, number, "value", True) for p in parts[tail:]]
    return [Token(line, norm(line), where, number, kind_of(line), False)]


def after(tokens: list[Token], start: int):
    """tokens[start:], one at a time, without copying the list or stepping over the tokens before ``start`` (which
    ``itertools.islice`` does: asked at every row of a long text, that was quadratic)."""
    return map(tokens.__getitem__, range(start, len(tokens)))


def mark_last(out: list[Token]) -> list[Token]:
    if out:
        out[-1] = replace(out[-1], last=True)  # every other field as it is (a field once left out here was lost)
    return out


def same_line(tokens: list[Token], start: int, line: int) -> list[Token]:
    """The tokens from ``start`` on that are of row ``line``."""
    out = []
    for token in after(tokens, start):
        if token.line != line:
            break
        out.append(token)
    return out


def alone(tokens: list[Token], i: int) -> bool:
    """Whether ``tokens[i]`` is the only token of its row (a table's row that is one cell across)."""
    line = tokens[i].line
    return (i == 0 or tokens[i - 1].line != line) and (i + 1 == len(tokens) or tokens[i + 1].line != line)


class Lines:
    """The tokens of each line of the source, gathered once, when first asked (by section 四's reading: a text repeating
    its heading asked once per heading, each time over the whole text)."""

    def __init__(self, tokens: list[Token]) -> None:
        self._tokens = tokens
        self._by: dict[int, list[Token]] | None = None

    def on(self, line: int) -> list[Token]:
        if self._by is None:
            self._by = {}
            for token in self._tokens:
                self._by.setdefault(token.line, []).append(token)
        return self._by.get(line, [])
