"""Reading reports as they are published (text, Markdown, HTML) into instances, with provenance.

Driven by the spec's own labels and aliases: sections, 第二十条 blocks, rows and column headers are
found by their normalised labels, whatever the layout (one table row per line with ``|``, one cell
per line, cells separated by blank lines, HTML tables).  A value is placed only when its row and
column are certain; anything else is left out, with the reason.  Nothing is guessed.
"""

from __future__ import annotations

import html.parser
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from govspec.spec import loader
from govspec.spec.compiler import CompiledSpec
from govspec.errors import InstanceError
from govspec.io.instance import Instance, read_bytes
from govspec.io.decoding import decode
from govspec.io.values import CellText, read_text

try:  # traditional characters (mirror sites) → simplified, for matching labels
    from zhconv import convert as _to_simplified
except ImportError:  # pragma: no cover - zhconv is a dependency; without it traditional labels do not match
    def _to_simplified(text: str, _locale: str) -> str:
        return text

SPEC_ID = "gov-info-disclosure"
EXTENSIONS = (".txt", ".md", ".markdown", ".html", ".htm")
_PINYIN = re.compile(r"\([a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü]{1,7}\)")
_QUOTES = str.maketrans("", "", "“”\"'‘’「」")
_NUMBERISH = re.compile(r"^[+\-−－]?[\d０-９][\d０-９,，.．\s]*(万元|元|亿元|件|个|项|条|次)?$|^(增|减)[\d０-９]+$")
_MARKS = {"/", "-", "—", "——", "_", "无", "－", "一"}
_TITLE = re.compile(r"^\s*([^\s，。,、;；:：]{2,40}?)\s*(\d{4})\s*年(?:度)?(?:政府)?(?:信息公开|政务公开)")
_DATE = re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日")


def norm(text: str) -> str:
    """A label as govspec compares it: simplified, NFKC, no spaces, quotes or pinyin glosses."""
    text = _PINYIN.sub("", _to_simplified(text, "zh-cn"))
    text = unicodedata.normalize("NFKC", text).translate(_QUOTES)
    text = re.sub(r"\s+", "", text).replace("．", ".")
    text = re.sub(r"(?<=[0-9一二三四五六七八九十)])、", ".", text).replace("、", "")  # 1、→1.  复议、提起→复议提起
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


def _kind(text: str) -> str:
    stripped = text.strip()
    if not stripped:
        return "empty"
    if stripped in _MARKS or _NUMBERISH.match(stripped):
        return "value"
    return "text"


def tokens_from_text(text: str) -> list[Token]:
    out: list[Token] = []
    for number, raw in enumerate(text.splitlines(), 1):
        line = raw.strip()
        if not line or re.fullmatch(r"\|?\s*:?-{3,}.*", line):
            continue
        if line == "|":
            out.append(Token("", "", f"line {number}", number, "gap", False))
            continue
        if "|" not in line:
            numbers = line.split()
            if len(numbers) > 1 and all(_kind(n) == "value" for n in numbers):  # "0 0 0 …": a row of values
                out.extend(Token(n, norm(n), f"line {number}", number, "value", True) for n in numbers)
            else:
                out.append(Token(line, norm(line), f"line {number}", number, _kind(line), False))
            continue
        cells = line.split("|")
        if line.startswith("|"):
            cells = cells[1:]
        if line.endswith("|"):
            cells = cells[:-1]
        filled = [c for c in cells if c.strip()]
        if not filled:
            continue  # a line of pipes only: merged-cell filler
        positional = len(cells) > 1
        ends_pipe = not positional and line.endswith("|")
        for cell in (cells if positional else filled):
            out.append(Token(cell.strip(), norm(cell), f"line {number}", number, _kind(cell), positional,
                             ends_pipe=ends_pipe))
    return _mark_last(out)


def _mark_last(out: list[Token]) -> list[Token]:
    if out:
        last = out[-1]
        out[-1] = Token(last.text, last.norm, last.where, last.line, last.kind, last.positional, True, last.ends_pipe)
    return out


class _Html(html.parser.HTMLParser):
    """HTML → text lines and table rows; cells keep the grid position their spans give them."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.items: list = []       # ("text", str) | ("row", table, row, [(col, text)])
        self.tables = 0
        self.stack: list = []       # per open table: {"row": n, "spans": {col: rows left}, "cells": [...]}
        self.cell: list | None = None
        self.text: list = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
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


# --- the spec's labels ------------------------------------------------------------------------

@dataclass
class Labels:
    """Normalised labels of one spec version: what each known piece of text means."""

    spec: CompiledSpec
    rows: dict = field(default_factory=dict)      # norm -> (table id, row id)
    blocks: dict = field(default_factory=dict)    # norm -> block id (section 二)
    headers: set = field(default_factory=set)     # column and group labels, stubs: text, not values
    sections: dict = field(default_factory=dict)  # norm -> table id


def labels(spec: CompiledSpec) -> Labels:
    found = Labels(spec)
    for section in spec.spec.sections:
        for label in (section.label, *section.aliases):
            table = next((t.id for t in spec.spec.tables if t.section == section.id), None)
            found.sections[norm(label)] = table
    for table in spec.spec.tables:
        for block in table.blocks:
            if block.id:
                found.blocks[norm(block.label)] = block.id
            for row in block.rows:
                for label in (row.label, *row.aliases):
                    if label:
                        found.rows.setdefault(norm(label), (table.id, row.id))
            for column in block.columns:
                for label in (column.label, *column.aliases):
                    found.headers.add(norm(label))
            for group in (*block.column_groups.values(), *block.row_groups.values()):
                found.headers.add(norm(group.label))
            if block.stub:
                found.headers.add(norm(block.stub))
    return found


def _markers(spec: CompiledSpec) -> set:
    """Labels that only this version has: column headers and rows of its tables."""
    out = set()
    for table in spec.spec.tables:
        for block in table.blocks:
            out.update(norm(c.label) for c in block.columns)
            out.update(norm(r.label) for r in block.rows if r.label)
    return out


def detect_template(tokens: list[Token], candidates: list[CompiledSpec]) -> CompiledSpec | None:
    """The version whose own labels the text's table headers and rows use; None if no table shows."""
    own = {spec: _markers(spec) for spec in candidates}
    shared = set.intersection(*own.values()) if own else set()
    votes = {spec: 0 for spec in candidates}
    for token in tokens:
        if token.kind != "text" or len(token.norm) < 3:
            continue
        for spec, marks in own.items():
            if any(m not in shared and (token.norm == m or (len(token.norm) >= 4 and m.startswith(token.norm)))
                   for m in marks):
                votes[spec] += 1
    best = max(votes.values(), default=0)
    winners = [s for s, v in votes.items() if v == best]
    return winners[0] if best > 0 and len(winners) == 1 else None


# --- extraction --------------------------------------------------------------------------------

@dataclass
class Extraction:
    source: str
    spec: CompiledSpec | None
    values: dict = field(default_factory=dict)      # cell id -> value (None = printed blank)
    provenance: dict = field(default_factory=dict)  # cell id -> {"where", "text"}
    left_out: list = field(default_factory=list)    # {"where", "text", "reason"}
    incomplete: list = field(default_factory=list)  # table ids the text stops inside
    report: dict = field(default_factory=dict)
    template_basis: str | None = None               # "headers" (the tables' own labels) or "year"

    def document(self, text_cells: bool = False) -> dict:
        """The instance: the cells found (a printed blank is null); cells never seen are listed in
        ``unseen``.  With ``text_cells`` the values are :class:`CellText` carrying where they were read."""
        tables: dict = {}
        for cell_id, value in self.values.items():
            table, row, column = cell_id.split(".")
            if text_cells:
                where = self.provenance[cell_id]
                value = CellText(where["text"], f"{self.source}: {where['where']}")
            tables.setdefault(table, {}).setdefault(row, {})[column] = value
        unseen = [c.id for c in self.spec.cells if c.id not in self.values]
        return {"spec": self.spec.id, "version": self.spec.version, "report": dict(self.report),
                "tables": tables, "unseen": unseen}


def _match_row(tokens: list[Token], i: int, names: Labels):
    """(table, row) if tokens[i] (possibly with the next few text tokens) is a row label; and how many tokens."""
    token = tokens[i]
    if token.kind != "text":
        return None, 0
    if token.norm in names.rows:
        return names.rows[token.norm], 1
    joined = token.norm
    for extra in range(1, 4):  # a long label broken over lines
        if i + extra >= len(tokens) or tokens[i + extra].kind != "text":
            break
        joined += tokens[i + extra].norm
        if joined in names.rows:
            return names.rows[joined], extra + 1
        if not any(label.startswith(joined) for label in names.rows):
            break
    # a group label and the row label in one cell: "(三)不予公开1.属于国家秘密"
    for label, target in names.rows.items():
        if len(label) >= 4 and token.norm.endswith(label) and token.norm[: -len(label)] in names.headers:
            return target, 1
    return None, 0


def _values_after(tokens: list[Token], i: int, n: int, cell_pipes: bool = False):
    """The n value tokens of the row whose label ends at tokens[i-1]; (tokens or None, reason, cut).

    ``cell_pipes``: the text writes one cell per line as ``cell |``, so a line holding only ``|`` is an
    empty cell (and one more at the end of a row is padding)."""
    label = tokens[i - 1]
    if label.positional:
        same = []
        j = i
        while j < len(tokens) and tokens[j].line == label.line:
            same.append(tokens[j])
            j += 1
        if same:  # the row's cells are on the label's line: place them by position
            while len(same) > n and same and same[-1].kind == "empty":
                same.pop()
            while len(same) > n and same and same[0].kind == "empty":
                same.pop(0)
            if len(same) == n and all(t.kind != "text" for t in same):
                return same, None, False
            if len(same) < n and all(t.kind != "text" for t in same) and j >= len(tokens):
                return same, None, True
            return None, f"{len(same)} cells in the row where {n} are expected", False
    found, cells = [], []  # values only; values and gaps ("|" lines) in order
    j = i
    while j < len(tokens) and len(found) < n:
        token = tokens[j]
        if token.kind == "value":
            found.append(token)
            cells.append(token)
        elif token.kind == "gap":
            cells.append(token)
        elif token.kind == "text":
            if token.last:  # the text stops inside a value: keep the values before it
                return found, None, True
            break
        j += 1
    if len(found) == n:
        return found, None, False
    if j >= len(tokens):
        return found, None, True  # the text stops inside this row: keep what is visible
    # One cell per line written "cell |": a line holding only "|" is an empty cell (the last may be padding).
    if (cell_pipes or (found and all(t.ends_pipe for t in found))) and len(cells) in (n, n + 1):
        cells = cells[:n]
        return [Token(t.text, t.norm, t.where, t.line, "empty" if t.kind == "gap" else t.kind, False)
                for t in cells], None, False
    return None, (f"{len(found)} values before the next label where {n} are expected: "
                  "a blank cell cannot be placed"), False


def _has_tables(tokens: list[Token], specs: list[CompiledSpec]) -> bool:
    """Does the text show any table of these specs (a block, row or table heading label)?"""
    known = set()
    for spec in specs:
        names = labels(spec)
        known.update(names.blocks, names.rows, (k for k, v in names.sections.items() if v))
    return any(t.norm in known for t in tokens if t.kind == "text")


def _extension(tokens: list[Token], spec: CompiledSpec) -> CompiledSpec:
    """A shipped extension of ``spec`` whose added rows the text shows (e.g. 湖北's 其他主动公开文件)."""
    present = {t.norm for t in tokens if t.kind == "text"}
    base = set(labels(spec).rows)
    for other in loader.shipped():
        if other.spec.extends == spec.spec.ref:
            added = set(labels(other).rows) - base
            if added & present:
                return other
    return spec


def extract_tokens(tokens: list[Token], source: str, specs: list[CompiledSpec] | None = None) -> Extraction:
    specs = specs or [s for s in loader.shipped() if s.id == SPEC_ID]
    spec = detect_template(tokens, specs)
    report = _metadata(tokens)
    basis = "headers"
    if spec is None and "year" in report and _has_tables(tokens, specs):
        # the visible tables are the same in every version (section 四): the report year decides
        spec = next((s for s in specs if s.spec.governs(report["year"])), None)
        basis = "year"
    if spec is not None:
        spec = _extension(tokens, spec)
    result = Extraction(source, spec, template_basis=basis if spec else None)
    result.report = report
    if spec is None:
        return result
    names = labels(spec)
    section_of = {t.id: t for t in spec.spec.tables}
    singles = [t for t in tokens if t.kind == "value" and not t.positional]
    cell_pipes = bool(singles) and all(t.ends_pipe for t in singles) and any(t.kind == "gap" for t in tokens)
    current_block = None
    current_table = None
    i = 0
    while i < len(tokens):
        token = tokens[i]
        if token.norm in names.sections and token.kind == "text":
            current_table = names.sections[token.norm]
            if current_table == "review_litigation":
                i = _review(tokens, i + 1, result, spec, names, cell_pipes)
                continue
        if token.norm in names.blocks:
            current_block = names.blocks[token.norm]
            current_table = "proactive_disclosure"
        (target, used) = _match_row(tokens, i, names)
        if target is None:
            i += 1
            continue
        table_id, row_id = target
        table = section_of[table_id]
        block = table.block_of(row_id)
        if block.id and current_block is not None and block.id != current_block:
            result.left_out.append({"where": token.where, "text": token.text,
                                    "reason": f"row label outside its block {block.label}"})
            i += used
            continue
        columns = [c for c in block.columns if f"{row_id}.{c.id}" not in block.absent]
        values, reason, cut = _values_after(tokens, i + used, len(columns), cell_pipes)
        if values is None:
            result.left_out.append({"where": token.where, "text": token.text, "reason": reason})
        else:
            _place(result, spec, table_id, row_id, columns, values)
            if cut:
                result.incomplete.append(table_id)
        i += used + (len(values) if values else 0)
    if tokens and current_table and not result.incomplete:
        last_table = current_table
        seen = {c.split(".")[0] for c in result.values}
        if last_table in seen and any(c.table.id == last_table and c.id not in result.values for c in spec.cells):
            result.incomplete.append(last_table)
    return result


def _place(result: Extraction, spec: CompiledSpec, table_id: str, row_id: str, columns, values) -> None:
    for column, token in zip(columns, values):
        cell_id = f"{table_id}.{row_id}.{column.id}"
        if token.kind == "empty":
            result.values[cell_id] = None
            result.provenance[cell_id] = {"where": token.where, "text": token.text}
            continue
        reading = read_text(token.text, column.type, column.unit, spec.spec.placeholders)
        if not reading.understood:
            result.left_out.append({"where": token.where, "text": token.text,
                                    "reason": f"not a value for {cell_id}"})
            continue
        result.values[cell_id] = reading.value
        result.provenance[cell_id] = {"where": token.where, "text": token.text}


def _review(tokens: list[Token], i: int, result: Extraction, spec: CompiledSpec, names: Labels,
            cell_pipes: bool = False) -> int:
    """Section 四: header words, then the one value row of 15 cells (its row label is empty)."""
    columns = list(spec.spec.table("review_litigation").blocks[0].columns)
    n = len(columns)
    while i < len(tokens) and tokens[i].kind != "value":  # header words (and the empty cells of header rows)
        if tokens[i].kind == "text" and tokens[i].norm in names.sections:
            return i
        i += 1
    if i >= len(tokens):
        return i
    while i > 0 and tokens[i - 1].kind == "gap":  # "|" lines just before the values: blank cells or the label
        i -= 1
    if tokens[i].positional:
        line = tokens[i].line
        row = [t for t in tokens if t.line == line and t.kind != "text"]
        while len(row) > n and row[-1].kind == "empty":
            row.pop()
        while len(row) > n and row[0].kind == "empty":
            row.pop(0)
        values, cut = (row, False) if len(row) == n else (None, False)
        if values is None and row and tokens[-1].line == line:
            values, cut = row, True
        consumed = sum(1 for t in tokens if t.line == line)
    else:
        cells, j = [], i
        while j < len(tokens) and tokens[j].kind != "text" and len(cells) < n + 2:
            if tokens[j].kind == "value" or (cell_pipes and tokens[j].kind == "gap"):
                cells.append(tokens[j])
            j += 1
        if cells and cells[0].kind == "gap" and len(cells) > n:  # the empty row label, written "|"
            cells = cells[1:]
        if len(cells) == n + 1 and cells[-1].kind == "gap":  # padding after the row
            cells = cells[:-1]
        cut = j >= len(tokens) and len(cells) < n
        values = cells if len(cells) == n or cut else None
        values = [Token(t.text, t.norm, t.where, t.line, "empty" if t.kind == "gap" else t.kind, False)
                  for t in values] if values is not None else None
        consumed = j - i
    if values is None:
        result.left_out.append({"where": tokens[i].where, "text": tokens[i].text,
                                "reason": f"the value row of section 四 does not have {n} placeable cells"})
        return i + 1
    _place(result, spec, "review_litigation", "cases", columns, values)
    if cut:
        result.incomplete.append("review_litigation")
    return i + max(consumed, 1)


def _metadata(tokens: list[Token]) -> dict:
    report: dict = {}
    for token in tokens[:40]:
        title = _to_simplified(token.text, "zh-cn").replace(" ", "")
        match = _TITLE.search(title)
        if match and len(title) <= 60 and "年度报告" in title:
            agency = match.group(1).strip("《》“”\"")
            if agency and not agency[0].isdigit():
                report.setdefault("agency", agency)
            report.setdefault("year", int(match.group(2)))
            break
    for token in reversed(tokens[-15:]):
        match = _DATE.fullmatch(token.text.replace(" ", ""))
        if match:
            report["published"] = f"{int(match[1]):04d}-{int(match[2]):02d}-{int(match[3]):02d}"
            break
    return report


def read_source(path: str | Path) -> tuple[list[Token], str]:
    """Tokens of a published report (text, Markdown or HTML), and its kind."""
    raw = read_bytes(path)
    text, _ = decode(raw, str(path))
    lower = str(path).lower()
    if lower.endswith((".html", ".htm")) or re.search(r"<\s*(table|html|body|td)\b", text[:5000], re.I):
        return tokens_from_html(text), "html"
    return tokens_from_text(text), "text"


def extract_file(path: str | Path) -> Extraction:
    tokens, _ = read_source(path)
    return extract_tokens(tokens, str(path))


def findings(result: Extraction) -> tuple:
    """What the extraction itself has to say, as findings (docs/finding-codes.md)."""
    from types import MappingProxyType

    from govspec.findings import Finding

    out = []
    for table_id in dict.fromkeys(result.incomplete):
        table = result.spec.spec.table(table_id)
        last = max((p["where"] for c, p in result.provenance.items() if c.startswith(table_id + ".")),
                   default="?", key=_where_order)
        out.append(Finding("table-incomplete", "warning", location=f"tables.{table_id}",
                           position=f"{result.source}: {last}", params=MappingProxyType(
                               {"table": table.label, "table_en": table.en, "where": last})))
    for item in result.left_out:
        out.append(Finding("value-not-placed", "warning", position=f"{result.source}: {item['where']}",
                           params=MappingProxyType({"where": item["where"], "text": item["text"][:40],
                                                    "reason": item["reason"]})))
    return tuple(out)


def _where_order(where: str):
    return [int(n) for n in re.findall(r"\d+", where)]


def extract_instance(path: str):
    """A published report as an :class:`~govspec.io.instance.Instance` for the validator."""
    result = extract_file(path)
    if result.spec is None:
        raise InstanceError("no table of a known template found in the text (the sections 二, 三, 四 with "
                            "their official labels)", source=str(path))
    return Instance(str(path), result.document(text_cells=True), findings(result))


def as_json(result: Extraction) -> dict:
    """``govspec extract``'s record of one report: the instance, where each value came from, what was left out."""
    document = result.document() if result.spec else None
    if document is not None:
        document["tables"] = {t: {r: {c: _json_value(v) for c, v in cols.items()} for r, cols in rows.items()}
                              for t, rows in document["tables"].items()}
    return {"source": result.source,
            "template": result.spec.spec.ref if result.spec else None,
            "template_basis": result.template_basis,
            "instance": document,
            "provenance": result.provenance,
            "left_out": result.left_out,
            "incomplete": list(dict.fromkeys(result.incomplete))}


def _json_value(value):
    from decimal import Decimal
    return format(value, "f") if isinstance(value, Decimal) else value
