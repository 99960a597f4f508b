"""HTML pages: tables read as the grid they draw (spans counted), text outside them in reading order."""

from __future__ import annotations

import html.parser
import re

from govspec.errors import InstanceError
from govspec.extract.grid import INVISIBLE, GridRow, GridText, cell_text, checked, tokens_from_grid
from govspec.extract.metadata import META
from govspec.extract.stylesheet import BLOCK_DISPLAYS, BOX_DISPLAYS, StyleSheet, own_display, own_style_hides, style_sheet
from govspec.extract.tokens import Token

MAX_COLUMNS = 16_384  # Excel's: a report's table has a few dozen
_VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
# elements shown as blocks (the HTML standard's block-level elements, line breaks, rules) and sub- and superscripts:
# what they hold is never run into the text around it (``<section>1</section><section>2</section>``, as article
# editors lay a page out, is 1 over 2, never 12), nor what an element the page's styles display as a block or a box
# holds; outside tables a block is a line of its own, a sub- or superscript or a box is set apart in its line
_IN_LINE = frozenset({"sup", "sub"})
_BLOCKS = frozenset({
    "address", "article", "aside", "blockquote", "br", "caption", "center", "dd", "details", "dialog", "dir", "div",
    "dl", "dt", "fieldset", "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header",
    "hgroup", "hr", "legend", "li", "listing", "main", "menu", "nav", "ol", "optgroup", "option", "p", "plaintext",
    "pre", "search", "section", "summary", "table", "tbody", "tfoot", "thead", "tr", "ul", "xmp"})
_SEPARATE = _BLOCKS | _IN_LINE
_GOVSPEC_OWN = {"sym", "findings", "govspec-verdict"}  # what govspec render adds around the values
_NOT_SHOWN = {"script", "style", "template"}  # elements whose content a browser never shows as text
_SHOWS_VALUE = {"text", "number", "search", "tel", "url", "email", "date"}  # <input> types that show their value
_PICTURES = {"img", "svg", "canvas", "object", "embed", "iframe", "video", "picture"}  # shown, but not as text
_STRUCK = {"del", "s", "strike"}  # content the page marks as removed or no longer so (a corrected number)
_CELL_EDGES = {"td", "th", "tr", "table"}  # where struck-out content left open ends, as in a browser


def _hidden(tag: str, attrs: dict) -> str | None:
    """How the element hides itself: "display" (it takes no place: ``display:none``, ``hidden``, a script, govspec's
    own marks), "visibility" (it keeps its place and shows nothing: ``visibility:hidden``, fully transparent), or
    None."""
    classes = set((attrs.get("class") or "").split())
    if tag in _NOT_SHOWN or "hidden" in attrs or classes & _GOVSPEC_OWN:
        return "display"
    return own_style_hides(attrs.get("style") or "")


def _struck(tag: str, attrs: dict) -> bool:
    return tag in _STRUCK or "line-through" in _style(attrs)


def _style(attrs: dict) -> str:
    return re.sub(r"\s+", "", (attrs.get("style") or "").lower())


class _Html(html.parser.HTMLParser):
    """HTML → text lines and table rows; cells keep the grid position their spans give them.

    Hidden content (``display:none``, ``hidden``, scripts, styles, templates; hidden by a rule of the page's own
    style sheets, :mod:`govspec.extract.stylesheet`) is not read, as a browser does not show it; nor are the marks
    and findings list that ``govspec render`` adds.  A cell hidden by ``visibility`` (or fully transparent) keeps
    its column, as in a browser, and what it holds is withheld (left out, and said).  The value a form's text field shows
    (``<input value="5">``) is read as the text it is, unless the field is hidden.  Content struck out
    (``<del>``, ``<s>``, ``<strike>``, ``line-through``) is not read either: a number corrected in place,
    ``<del>94</del>4``, is 4 — never 944; a cell holding nothing else is given as ``~~94~~``, which is no value
    (it is left out, and said), never read as blank.  Hidden or struck-out content left open in a cell ends at
    the cell's edge, as a browser ends it: the cells after it keep their columns.  Blocks (line breaks, rules,
    paragraphs, sections and every other block-level element, and what the page's styles display as a block: a line
    of its own outside tables), sub- and superscripts and boxes set in the line (``inline-block``) separate text,
    and so do hidden content and comments: ``1<br>2``, ``<section>1</section><section>2</section>`` and
    ``1<!---->2`` are never read as 12.  Spans are held to a browser's (``colspan`` at most 1,000,
    ``rowspan`` 65,534), and a table to :data:`MAX_COLUMNS` columns: a few hundred bytes of HTML could otherwise
    claim a hundred million columns."""

    def __init__(self, sheet: StyleSheet | None = None) -> None:
        super().__init__(convert_charrefs=True)
        self.sheet = sheet          # what the page's own style sheets hide (govspec.extract.stylesheet)
        self.items: list = []       # ("text", str) | ("row", table, row, [(col, text)])
        self.tables = 0
        self.too_wide = False       # a row reached past MAX_COLUMNS: the page is refused
        self.stack: list = []       # per open table: {"row": n, "spans": {col: rows left}, "cells": [...]}
        self.cell: list | None = None
        self.text: list = []
        self.region: str | None = None  # inside content "hidden" (not read) or "struck" out (kept apart)
        self.depth = 0              # elements open in that region
        self.inline = False         # that region was opened inside a cell, by an element that is no part of a table
        self.nested = 0             # tables opened inside that region
        self.styled: dict[str, list[bool]] = {}  # tag -> its elements open that the page's styles display as blocks
        # (True) or as boxes in the line (False), the last opened last
        self.published: list[str] = []  # <meta name="PubDate" content="…">: the day the site says it published the page

    def _open(self, region: str, tag: str) -> None:
        """A region not read (hidden) or kept apart (struck out) begins at ``tag``."""
        self.region, self.depth = region, 1
        self.inline, self.nested = self.cell is not None and tag not in _CELL_EDGES, 0
        self._gap()  # what is not shown still parts the text around it: 1<i hidden>9</i>0 is not 10

    def _cell_edge(self, tag: str, start: bool) -> bool:
        """``tag`` is an edge of the cell in which a region was left open (``<td>1<span hidden>9</td>``): as in a
        browser, the edge closes the region, so that no cell loses its column.  Tables opened inside the region
        have edges of their own."""
        if tag == "table" and (start or self.nested):
            self.nested += 1 if start else -1
            return False
        if not self.inline or self.nested or tag not in _CELL_EDGES:
            return False
        self.region, self.depth, self.inline = None, 0, False
        return True

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "meta" and (attrs.get("name") or "").lower() == "pubdate" and attrs.get("content"):
            self.published.append(attrs["content"][:40])  # 政府网站's metadata (PubDate), shown by no browser
        if self.region and not self._cell_edge(tag, True):
            if tag not in _VOID:
                self.depth += 1
            return
        hidden, display = _hidden(tag, attrs), None
        if self.sheet is not None:
            hidden_by_sheet, display = self.sheet.weigh(tag, attrs)
            hidden = hidden or hidden_by_sheet
        elif tag not in _SEPARATE:
            display = own_display(attrs.get("style") or "")
        if hidden and not (hidden == "visibility" and tag in ("td", "th")):
            if tag in _VOID:
                self._gap()  # a field or a break not shown shows no value, and still parts the text around it
                return
            if tag == "tr" and self.stack:  # a row not shown is still a row the cells spanning rows above count
                _row_passed(self.stack[-1])
            self._open("hidden", tag)
            return
        if tag not in _VOID and tag not in _CELL_EDGES and _struck(tag, attrs):
            self._open("struck", tag)
            return
        block = tag in _BLOCKS or display in BLOCK_DISPLAYS
        if block or tag in _IN_LINE or display in BOX_DISPLAYS:
            self._part(block)
            if tag not in _SEPARATE and tag not in _VOID:
                self.styled.setdefault(tag, []).append(block)  # parts the text again where it ends
        if tag == "input" and (attrs.get("type") or "text").lower() in _SHOWS_VALUE and attrs.get("value"):
            self._gap()  # a form's field shows its value (pages that publish the filled-in form): read as text
            self.handle_data(attrs["value"])
            self._gap()
            return
        if tag == "table":
            self._flush_text()
            self.tables += 1
            self.stack.append({"id": self.tables, "row": 0, "spans": {}, "cells": None})
        elif tag == "tr" and self.stack:
            self.stack[-1]["cells"] = []
            self.stack[-1]["col"] = 0
        elif tag in ("td", "th") and self.stack and self.stack[-1]["cells"] is not None:
            table = self.stack[-1]
            while table["spans"].get(table["col"], 0) > 0:
                table["col"] += 1
            self.cell = [table["col"], _span(attrs.get("colspan"), 1000), _span(attrs.get("rowspan"), 65534), [], table,
                         [], _struck(tag, attrs), bool(hidden), False]  # ..., the text struck out, the whole cell
            # struck out, the cell shown empty (visibility: it keeps its column, and what it holds is withheld), and
            # whether it shows a picture
        elif tag in _PICTURES and self.cell is not None:
            self.cell[8] = True

    def handle_endtag(self, tag):
        if self.region and not self._cell_edge(tag, False):
            if tag not in _VOID:
                self.depth -= 1
                if not self.depth:
                    if self.region == "struck":
                        self._gap()
                    self.region = None
            return
        if tag in _SEPARATE:
            if self.cell is not None or tag not in ("tr", "table"):
                self._part(tag in _BLOCKS)
        elif self.styled.get(tag):  # an element the styles display as a block or a box ends (the last of its tag)
            self._part(self.styled[tag].pop())
        if tag in ("td", "th") and self.cell is not None:
            col, colspan, rowspan, parts, table, struck, _, invisible, picture = self.cell  # its own table's cell
            if table["cells"] is None:  # its row was closed meanwhile (broken markup): the cell is not placed
                self.cell = None
                return
            if col + colspan > MAX_COLUMNS:
                self.too_wide, self.cell = True, None
                return
            text = cell_text("".join(parts), struck, picture)
            table["cells"].append((col, INVISIBLE if invisible and text.strip() else "" if invisible else text))
            if rowspan > 1:
                for c in range(col, col + colspan):
                    table["spans"][c] = rowspan
            table["col"] = col + colspan
            self.cell = None
        elif tag == "tr" and self.stack and self.stack[-1]["cells"] is not None:
            table = self.stack[-1]
            table["row"] += 1
            self.items.append(("row", table["id"], table["row"], table["cells"]))
            table["cells"] = None
            _row_passed(table)
        elif tag == "table" and self.stack:
            self.stack.pop()

    def _part(self, block: bool) -> None:
        """What a block (``block``), a sub- or superscript or a box in the line holds is parted from the text around
        it: in a cell by a space; outside tables by a line break (a block) or a space."""
        if self.cell is not None or not block:
            (self.cell[3] if self.cell is not None else self.text).append(" ")
        else:
            self._flush_text()

    def handle_comment(self, data):
        self._gap()

    def _gap(self):
        if self.cell is not None:
            self.cell[3].append(" ")

    def handle_data(self, data):
        if self.region == "hidden":
            return
        struck = self.region == "struck"
        if self.cell is not None and (struck or self.cell[6]):
            self.cell[5].append(data)
        elif struck:
            return  # struck out outside a table: not read
        elif self.cell is not None:
            self.cell[3].append(data)
        else:
            self.text.append(data)

    def _flush_text(self):
        text = "".join(self.text).strip()
        if text:
            self.items.append(("text", text))
        self.text = []

    def close(self):
        super().close()
        self._flush_text()


def _row_passed(table: dict) -> None:
    """A row of ``table`` has passed: the cells spanning rows above it span one row fewer."""
    table["spans"] = {c: n - 1 for c, n in table["spans"].items() if n - 1 > 0}


def _span(value, most: int) -> int:
    """A ``colspan`` or ``rowspan`` as a browser reads it: 1 when it is not a number above 0, at most ``most``."""
    try:
        return min(max(1, int(value)), most)
    except (TypeError, ValueError):
        return 1


def html_blocks(text: str) -> list:
    """A page's text lines and table rows, in order: ``("text", str)`` or ``("row", table, row, [(column, text)])``,
    each cell at the grid column its spans give it (numbered from 0), a cell covered by a span left out."""
    return _parsed(text).items


def _parsed(text: str) -> _Html:
    parser = _Html(style_sheet(text))
    parser.feed(text)
    parser.close()
    if parser.too_wide:
        raise InstanceError(f"a table of the page is wider than {MAX_COLUMNS} columns: refused",
                            zh=f"网页中的表格超过 {MAX_COLUMNS} 列：拒绝读取")  # the reader of the file names it
    return parser


def tokens_from_html(text: str) -> list[Token]:
    """The page's tokens; first, the day its metadata says the site published it (``<meta name="PubDate">``, which
    government sites carry), as a line ``PubDate：…`` read from ``meta PubDate`` — a fact of the page, which the reader
    of the report's own facts weighs with the date the page shows (:mod:`govspec.extract.metadata`)."""
    parser = _parsed(text)
    items: list = [GridText(f"PubDate：{content}", META) for content in parser.published]
    for line, item in enumerate(parser.items, 1):
        if item[0] == "text":
            items.append(GridText(item[1], f"text {line}"))
        else:
            _, table, row, cells = item
            items.append(GridRow(tuple((cell, f"table {table} row {row} col {col + 1}") for col, cell in cells)))
    return tokens_from_grid(checked(items))
