"""Published text as tokens: text lines, Markdown tables and HTML grids cut into cells, each cell a
:class:`Token` that knows where it was read and whether it looks like a value, a blank mark or text.

Labels are compared in one normal form (:func:`norm`): simplified characters, NFKC, no spaces,
quotes or pinyin glosses.
"""

from __future__ import annotations

import html.parser
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from govspec.io.decoding import decode
from govspec.io.instance import read_bytes

try:  # traditional characters (mirror sites) → simplified, for matching labels
    from zhconv import convert as to_simplified
except ImportError:  # pragma: no cover - zhconv is a dependency; without it traditional labels do not match
    def to_simplified(text: str, _locale: str) -> str:
        return text

_PINYIN = re.compile(r"\([a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü]{1,7}\)")
_QUOTES = str.maketrans("", "", "“”\"'‘’「」")
# a value: digits with separators (never white space: "1 2" is two values or none, not 12), a unit, or 增/减
_NUMBERISH = re.compile(r"^[+\-−－]?[\d０-９][\d０-９,，.．]*\s*(万元|元|亿元|件|个|项|条|次)?$|^(增|减)[\d０-９]+$")
# govspec's own marks in what it writes (``govspec render``): "✗ 3" is the value 3, marked
_MARKDOWN = re.compile(r"^#{1,6}|^\*{1,2}|\*{1,2}$")
_GOVSPEC_MARK = re.compile(r"^(?:✗|!)\s+(?=\S)")
_GOVSPEC_FINDING = re.compile(r"^-\s+(?:✗|!|·)\s+`")  # a line of render's findings list
_MARKS = {"/", "-", "—", "——", "_", "无", "－", "一"}


def norm(text: str) -> str:
    """A label as govspec compares it: simplified, NFKC, no spaces, quotes or pinyin glosses."""
    text = _PINYIN.sub("", to_simplified(text, "zh-cn"))
    text = unicodedata.normalize("NFKC", text).translate(_QUOTES)
    text = re.sub(r"\s+", "", text).replace("．", ".")
    text = re.sub(r"(?<=[0-9一二三四五六七八九十)])、", ".", text).replace("、", "")  # 1、→1.  复议、提起→复议提起
    text = _MARKDOWN.sub("", text)  # "### 四、…", "**第二十条第（一）项**": the label without its Markdown
    return text.strip("|:：")


@dataclass(frozen=True)
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


def unmark(text: str) -> str:
    """A cell as govspec writes it with a mark (``✗ 3``, ``! 12``): the value without the mark."""
    stripped = text.strip()
    bare = _GOVSPEC_MARK.sub("", stripped)
    return bare if bare != stripped and _NUMBERISH.match(bare) else stripped


def _kind(text: str) -> str:
    stripped = text.strip()
    if not stripped:
        return "empty"
    if stripped in _MARKS or _NUMBERISH.match(stripped):
        return "value"
    return "text"


_SEPARATOR = re.compile(r"\|?\s*:?-{3,}.*")


def tokens_from_text(text: str) -> list[Token]:
    out: list[Token] = []
    lines = text.splitlines()
    separators = {i + 1 for i, raw in enumerate(lines) if "-" in raw and _SEPARATOR.fullmatch(raw.strip())}
    headers = {number - 1 for number in separators if number > 1 and "|" in lines[number - 2]}
    for number, raw in enumerate(lines, 1):
        line = raw.strip()
        if not line or _SEPARATOR.fullmatch(line) or _GOVSPEC_FINDING.match(line):
            continue
        if line == "|":
            out.append(Token("", "", f"line {number}", number, "gap", False))
            continue
        if "|" not in line:
            out.extend(_spaced_row(line, number))
            continue
        cells = line.split("|")
        if line.startswith("|"):
            cells = cells[1:]
        if line.endswith("|"):
            cells = cells[:-1]
        filled = [c for c in cells if c.strip()]
        first_row = number - 1 in separators  # the first row under a table's "|---|": a row of cells, blank or not
        if not filled and not first_row:
            continue  # a line of pipes only: merged-cell filler
        positional = len(cells) > 1 or first_row
        ends_pipe = not positional and line.endswith("|")
        for cell in (cells if positional else filled):
            cell = unmark(cell)
            out.append(Token(cell, norm(cell), f"line {number}", number, _kind(cell), positional,
                             ends_pipe=ends_pipe, header=number in headers))
    return _mark_last(out)


def _spaced_row(line: str, number: int) -> list[Token]:
    """A line without ``|``: one cell, or a row whose cells are separated by white space.

    ``0 0 0`` is a row of values; ``规章 0 0 0`` (text copied out of PDFs, pages that set tables in
    spaces) is a label followed by its values — each value one cell, never joined.  Anything else is one
    text cell."""
    where = f"line {number}"
    parts = line.split()
    if len(parts) > 1 and all(_kind(p) == "value" for p in parts):  # "0 0 0 …": a row of values
        return [Token(p, norm(p), where, number, "value", True) for p in parts]
    tail = len(parts)
    while tail > 0 and _kind(parts[tail - 1]) == "value":
        tail -= 1
    if 0 < tail < len(parts) and _kind(parts[tail - 1]) == "text":
        label = " ".join(parts[:tail])
        return [Token(label, norm(label), where, number, "text", True)] + \
            [Token(p, norm(p), where, number, "value", True) for p in parts[tail:]]
    return [Token(line, norm(line), where, number, _kind(line), False)]


def _mark_last(out: list[Token]) -> list[Token]:
    if out:
        last = out[-1]
        out[-1] = Token(last.text, last.norm, last.where, last.line, last.kind, last.positional, True, last.ends_pipe)
    return out


_VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
_SEPARATE = {"br", "p", "div", "li", "sup", "sub", "tr", "table", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6"}
_GOVSPEC_OWN = {"sym", "findings", "govspec-verdict"}  # what govspec render adds around the values


def _hidden(attrs: dict) -> bool:
    style = re.sub(r"\s+", "", (attrs.get("style") or "").lower())
    classes = set((attrs.get("class") or "").split())
    return "hidden" in attrs or "display:none" in style or "visibility:hidden" in style or bool(classes & _GOVSPEC_OWN)


class _Html(html.parser.HTMLParser):
    """HTML → text lines and table rows; cells keep the grid position their spans give them.

    Hidden content (``display:none``, ``hidden``) is not read, as a browser does not show it; nor are
    the marks and findings list that ``govspec render`` adds.  Inside a cell, line breaks, paragraphs and
    superscripts separate text: ``1<br>2`` is never read as 12."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.items: list = []       # ("text", str) | ("row", table, row, [(col, text)])
        self.tables = 0
        self.stack: list = []       # per open table: {"row": n, "spans": {col: rows left}, "cells": [...]}
        self.cell: list | None = None
        self.text: list = []
        self.skip = 0               # depth inside an element that is not read

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if self.skip:
            if tag not in _VOID:
                self.skip += 1
            return
        if _hidden(attrs) and tag not in _VOID:
            self.skip = 1
            return
        if tag in _SEPARATE and self.cell is not None:
            self.cell[3].append(" ")
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
            self.cell = [table["col"], _int(attrs.get("colspan")), _int(attrs.get("rowspan")), []]
        elif tag in ("br", "p", "div") and self.cell is None:
            self._flush_text()

    def handle_endtag(self, tag):
        if self.skip:
            if tag not in _VOID:
                self.skip -= 1
            return
        if tag in _SEPARATE and self.cell is not None:
            self.cell[3].append(" ")
        if tag in ("td", "th") and self.cell is not None and self.stack:
            table = self.stack[-1]
            col, colspan, rowspan, parts = self.cell
            table["cells"].append((col, "".join(parts)))
            for c in range(col, col + colspan):
                if rowspan > 1:
                    table["spans"][c] = rowspan
            table["col"] = col + colspan
            self.cell = None
        elif tag == "tr" and self.stack and self.stack[-1]["cells"] is not None:
            table = self.stack[-1]
            table["row"] += 1
            self.items.append(("row", table["id"], table["row"], table["cells"]))
            table["cells"] = None
            table["spans"] = {c: n - 1 for c, n in table["spans"].items() if n - 1 > 0}
        elif tag == "table" and self.stack:
            self.stack.pop()
        elif tag in ("p", "div", "h1", "h2", "h3", "h4", "li") and self.cell is None:
            self._flush_text()

    def handle_data(self, data):
        if self.skip:
            return
        if self.cell is not None:
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


def _int(value) -> int:
    try:
        return max(1, int(value))
    except (TypeError, ValueError):
        return 1


def tokens_from_html(text: str) -> list[Token]:
    parser = _Html()
    parser.feed(text)
    parser.close()
    out: list[Token] = []
    line = 0
    for item in parser.items:
        line += 1
        if item[0] == "text":
            for part in item[1].splitlines():
                if part.strip():
                    out.append(Token(part.strip(), norm(part), f"text {line}", line, _kind(part), False))
            continue
        _, table, row, cells = item
        for col, cell in cells:
            out.append(Token(cell.strip(), norm(cell), f"table {table} row {row} col {col + 1}", line,
                             _kind(cell), len(cells) > 1))
    return _mark_last(out)


def read_source(path: str | Path) -> tuple[list[Token], str]:
    """Tokens of a published report (text, Markdown or HTML), and its kind."""
    raw = read_bytes(path)
    text, _ = decode(raw, str(path))
    lower = str(path).lower()
    if lower.endswith((".html", ".htm")) or re.search(r"<\s*(table|html|body|td)\b", text[:5000], re.I):
        return tokens_from_html(text), "html"
    return tokens_from_text(text), "text"

