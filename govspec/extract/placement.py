"""Placing values: rows found by their labels, values taken after them only when each can be tied
to exactly one row and one column; anything else is left out with the reason.  Nothing is guessed."""

from __future__ import annotations

import itertools
from collections import Counter

from govspec.extract import reasons
from govspec.extract.columns import HeaderPlaces, RowHeader, line_spans, merged_copies, window
from govspec.extract.extraction import Extraction
from govspec.extract.grid import HIDDEN, INVISIBLE, PICTURE, UNCALCULATED, UNREADABLE
from govspec.extract.labels import (
    SPEC_ID,
    Labels,
    detect_template,
    extension_of,
    has_tables,
    is_label,
    labels,
    match_row,
    past_group_pieces,
    pieces_set_aside,
    rejoined,
    repeated,
    rows_begin,
    run_together,
    section_headings,
    unknown_row,
)
from govspec.extract.metadata import report_metadata
from govspec.extract.tokens import Lines, Token, after, alone, norm, same_line
from govspec.io.values import read_text
from govspec.spec import loader
from govspec.spec.compiler import CompiledSpec


def _values_after(tokens: list[Token], i: int, n: int, cell_pipes: bool = False, names: Labels | None = None,
                  header=None, groups: tuple = ()):
    """The n value tokens of the row whose label ends at tokens[i-1]; (tokens or None, reason, cut).  ``cell_pipes``:
    one cell a line, ``cell |``; a line of ``|`` alone an empty cell (one more at the end of a row, padding).
    ``header``: the places of the row's columns in their header lines, asked when the row's cells can be cut to its
    columns more than one way (:func:`~govspec.extract.columns.window`).  ``groups``: the labels of the row's groups,
    pieces of which may stand before its cells on the line after its label (:func:`past_group_pieces`)."""
    label = tokens[i - 1]
    if label.positional:
        same = same_line(tokens, i, label.line)
        if same:  # the row's cells are on the label's line: place them by position
            if names is not None and _wrapped_below(tokens, i + len(same), n, names):
                return None, reasons.WRAPPED_BELOW, False
            return _row(same, n, i + len(same) >= len(tokens), names, header)
    else:
        # the label on a line of its own, its cells in a row of their own on the next line: a table cut into
        # fragments (PDF to Markdown, past the fragment's own header row), or values set in spaces
        k = i
        while k < len(tokens) and tokens[k].header and names is not None and not is_label(tokens[k], names):
            k += 1
        k = past_group_pieces(tokens, k, groups)
        if k < len(tokens) and tokens[k].positional and not tokens[k].header and tokens[k].kind != "text":
            same = same_line(tokens, k, tokens[k].line)
            return _row(same, n, k + len(same) >= len(tokens), names, header)
    found: list[Token] = []
    cells: list[Token] = []  # values only; values and gaps ("|" lines) in order
    j = i
    while j < len(tokens) and len(found) < n:
        token = tokens[j]
        if token.kind == "value":
            found.append(token)
            cells.append(token)
        elif token.kind == "gap":
            cells.append(token)
        elif token.kind == "text":
            if token.header and names is not None and not is_label(token, names):
                j += 1  # a table fragment's own header ("数据1 | 数据2"): not a cell of this row
                continue
            if token.last:  # the text stops inside a value: keep the values before it
                return found, None, True
            break
        j += 1
    pipes = cell_pipes or bool(found and all(t.ends_pipe for t in found))
    if pipes and cells and cells[0].kind == "gap" and not label.ends_pipe:  # "label" over "|": its own pipe
        cells = cells[1:]
    if len(found) == n:
        if _more_values(tokens, j, found):
            return None, reasons.too_many_values(n), False
        if pipes and len(cells) > n:  # empty cells written "|" among the values: a cell too many, and which, unknown
            return None, reasons.cells_in_row(len(cells), n), False
        return found, None, False
    if j >= len(tokens):
        return found, None, True  # the text stops inside this row: keep what is visible
    # One cell per line written "cell |": a line holding only "|" is an empty cell (one more at the end, padding).
    if pipes and (len(cells) == n or (len(cells) == n + 1 and cells[-1].kind == "gap")):
        cells = cells[:n]
        return [Token(t.text, t.norm, t.where, t.line, "empty" if t.kind == "gap" else t.kind, False)
                for t in cells], None, False
    return None, reasons.too_few_values(len(found), n), False


def _more_values(tokens: list[Token], j: int, found: list[Token]) -> bool:
    """Whether values go on at tokens[j], after a row's cells ``found``, before the next label: whose they are cannot be
    told (a table set down column by column) — unless fewer than the row's run to the end of the text (it stops there:
    a label cut short), or the row has one cell and they repeat its value (a merged cell given once for each column it
    covers, one cell a paragraph: docx2python)."""
    values = list(itertools.takewhile(lambda t: t.kind == "value", after(tokens, j)))
    if len(found) == 1 and all(t.text == found[0].text for t in values):
        return False
    return bool(values) and (j + len(values) < len(tokens) or len(values) >= len(found))


def _wrapped_below(tokens: list[Token], k: int, n: int, names: Labels) -> bool:
    """Whether the line after a row holds fewer values than the row has cells and no label of its own — digits of a
    number its cell wrapped (``3119`` set as ``311`` over ``9``, in text laid out as the page is), which cell's
    cannot be told."""
    below = same_line(tokens, k, tokens[k].line) if k < len(tokens) else []
    values = sum(t.kind == "value" for t in below)
    return 0 < values < n and not any(match_row(tokens, k + m, names)[0] or is_label(t, names)
                                      for m, t in enumerate(below))


def _row(same: list[Token], n: int, at_end: bool, names: Labels | None, header=None):
    """The n cells of one row of the source, each in its column; (cells or None, reason, cut).  ``header``: see
    :func:`~govspec.extract.columns.window`."""
    if n == 1 and len(same) > 1 and all(t.kind == "value" and t.text == same[0].text for t in same):
        return same[-1:], None, False  # a merged cell given once for each column it covers: a row of one cell, it
    if len(same) > n and isinstance(header, RowHeader):
        same = merged_copies(same, header.spans()) or same
    same = window(list(same), n, header)
    if len(same) == n and all(t.kind != "text" for t in same):
        return same, None, False
    if len(same) == n and names is not None and not any(is_label(t, names) for t in same):
        return same, None, False  # n cells, each in its column: text in one is left out when placed
    if len(same) < n and all(t.kind != "text" for t in same) and at_end:
        return same, None, True
    return None, reasons.cells_in_row(len(same), n), False


def extract_tokens(tokens: list[Token], source: str, specs: list[CompiledSpec] | None = None) -> Extraction:
    specs = specs or [s for s in loader.shipped() if s.id == SPEC_ID]
    spec = detect_template(tokens, specs)
    report, said = report_metadata(tokens, section_headings(specs))
    basis = "headers"
    if spec is None and "year" in report and has_tables(tokens, specs):
        # the visible tables are the same in every version (section 四): the report year decides
        spec = next((s for s in specs if s.spec.governs(report["year"])), None)
        basis = "year"
    if spec is not None:
        spec = extension_of(tokens, spec)
    result = Extraction(source, spec, template_basis=basis if spec else None)
    result.report, result.report_provenance = report, said
    if spec is None:
        return result
    names = labels(spec)
    tokens, text_after = pieces_set_aside(rejoined(tokens, names), names)
    section_of = {t.id: t for t in spec.spec.tables}
    singles = [t for t in tokens if t.kind == "value" and not t.positional]
    cell_pipes = bool(singles) and all(t.ends_pipe for t in singles) and any(t.kind == "gap" for t in tokens)
    current_block = None
    current_table = None
    begin = rows_begin(tokens, names)
    heads = HeaderPlaces(tokens)
    lines = Lines(tokens)
    review_groups = [norm(g.label) for t in spec.spec.tables if t.id == "review_litigation"
                     for g in t.blocks[0].column_groups.values() if g.parent is None]
    i = 0
    while i < len(tokens):
        token = tokens[i]
        if token.norm in names.sections and token.kind == "text":
            current_table = names.sections[token.norm]
            if current_table == "review_litigation":
                i = _review(tokens, i + 1, result, spec, names, cell_pipes, lines)
                continue
        elif current_table != "review_litigation" and _opens_review(tokens, i, review_groups):
            current_table = "review_litigation"  # section 四's table without its heading (tables taken out alone)
            i = _review(tokens, i, result, spec, names, cell_pipes, lines)
            continue
        if token.norm in names.blocks:
            current_block = names.blocks[token.norm]
            current_table = "proactive_disclosure"
        (target, used) = match_row(tokens, i, names)
        if target is not None and used == 1 and repeated(tokens, i):
            i += 1  # the label again in the cells its merge covers: the row is read from its last copy
            continue
        if target is None and token.norm in names.variants:
            i += 1 + _variant_row(tokens, i, names.variants[token.norm], spec, result, cell_pipes, names)
            continue
        if target is None:
            if token.text in WITHHELD and any(t.kind == "value" for t in same_line(tokens, i + 1, token.line)):
                leave_out(result, token.where, "", reasons.first(WITHHELD[token.text]))
            elif token.text in WITHHELD and token.text != PICTURE and alone(tokens, i):
                # a table's row that is one cell across, its text withheld (a picture there is a page's picture, as a
                # logo in a layout table: not weighed)
                leave_out(result, token.where, "", reasons.whole_row(WITHHELD[token.text]))
            elif current_table and unknown_row(tokens, i, names):
                leave_out(result, token.where, token.text, reasons.UNKNOWN_ROW)
            if run_together(token, names):
                leave_out(result, token.where, token.text, reasons.RUN_TOGETHER)
            elif i in text_after:
                leave_out(result, token.where, token.text, reasons.TEXT_AFTER_VALUES)
            i += 1
            continue
        table_id, row_id = target
        table = section_of[table_id]
        block = table.block_of(row_id)
        if i < max(begin.get(table_id, i), begin.get(None, 0)):
            leave_out(result, token.where, token.text, reasons.BEFORE_HEADING)
            i += used
            continue
        if block.id and current_block is not None and block.id != current_block:
            leave_out(result, token.where, token.text, reasons.outside_block(block.label))
            i += used
            continue
        columns = [c for c in block.columns if f"{row_id}.{c.id}" not in block.absent]
        values, reason, cut = _values_after(tokens, i + used, len(columns), cell_pipes, names,
                                            RowHeader(heads, i, columns), names.groups.get(target, ()))
        if values is None:
            leave_out(result, token.where, token.text, reason)
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


def _opens_review(tokens: list[Token], i: int, groups: list[str]) -> bool:
    """Whether tokens[i] begins the first header row of section 四's table, its column groups' labels (行政复议,
    行政诉讼) the texts of one row — each once, or once for each column it covers (pandas's read_html) —: the table where
    tools that take tables out alone (pdfplumber, camelot, read_html) leave the heading over it behind."""
    token = tokens[i]
    if not groups or token.kind != "text" or not token.norm.startswith(groups[0]) or (i and tokens[i - 1].line == token.line):
        return False
    texts = [t.norm for t in same_line(tokens, i, token.line) if t.kind == "text"] if token.positional else \
        [norm(part) for part in token.text.split()]  # a line of text: its words set apart by spaces (to_string)
    return [text for text, _ in itertools.groupby(texts)] == groups


# cells whose text is withheld (:mod:`govspec.extract.grid`), and why (:func:`reasons.first` says it of a row label)
WITHHELD = {UNREADABLE: reasons.UNREADABLE, HIDDEN: reasons.HIDDEN_CELL, UNCALCULATED: reasons.UNCALCULATED,
            INVISIBLE: reasons.INVISIBLE_CELL, PICTURE: reasons.PICTURE_CELL}


def leave_out(result: Extraction, where: str, text: str, reason: tuple[str, str]) -> None:
    """Record text that is not placed, with why, in English and Chinese (:mod:`govspec.extract.reasons`)."""
    result.left_out.append({"where": where, "text": text, "reason": reason[0], "reason_zh": reason[1]})


def _place(result: Extraction, spec: CompiledSpec, table_id: str, row_id: str, columns, values) -> None:
    for column, token in zip(columns, values):
        cell_id = f"{table_id}.{row_id}.{column.id}"
        if token.kind == "empty":
            _put(result, cell_id, None, token)
            continue
        reading = read_text(token.text, column.type, column.unit, spec.spec.placeholders)
        if not reading.understood:
            withheld = WITHHELD.get(token.text)
            leave_out(result, token.where, "" if withheld else token.text, withheld or reasons.not_a_value(cell_id))
            continue
        _put(result, cell_id, reading.value, token)


def _put(result: Extraction, cell_id: str, value, token: Token) -> None:
    """Place one value; a cell the text shows twice with different values (two conflicting copies of a
    table on one page) is placed neither way: it is left out with both readings."""
    if cell_id in result.conflicts:
        return
    if cell_id in result.values and result.values[cell_id] != value:
        first = result.provenance[cell_id]
        leave_out(result, token.where, token.text, reasons.shown_twice(cell_id, first["text"], first["where"]))
        del result.values[cell_id], result.provenance[cell_id]
        result.conflicts.add(cell_id)
        return
    result.values[cell_id] = value
    result.provenance[cell_id] = {"where": token.where, "text": token.text}


def _variant_row(tokens: list[Token], i: int, variant, spec: CompiledSpec, result: Extraction, cell_pipes: bool,
                 names: Labels) -> int:
    """A row group printed as one row with values (``（六）其他处理`` in a 2021 table): its values are the sums
    of the group's rows, which are not printed.  A group label without values is a heading.  Returns how
    many tokens after the label were used."""
    block = spec.spec.table(variant.table).block_of(variant.rows[0])
    columns = list(block.columns)
    values, _, cut = _values_after(tokens, i + 1, len(columns), cell_pipes, names)
    if not values or cut or not any(t.kind == "value" for t in values):
        return 0  # a heading over its rows
    for column, token in zip(columns, values):
        reading = read_text(token.text, column.type, column.unit, spec.spec.placeholders)
        if token.kind == "empty" or not reading.understood:
            continue
        result.variants.setdefault(variant.key, {})[column.id] = reading.value
        result.variant_provenance[f"{variant.key}.{column.id}"] = {"where": token.where, "text": token.text}
    return len(values)


def _columns_cut(header: list[Token], columns: list) -> bool:
    """Whether section 四's header lost its last column — the first column named in every group, the last in all but
    one: a table wider than its page, cut at the edge (合计 or 其它结果 in every group is another wording, no cut)."""
    words = "".join(t.norm for t in header if t.kind == "text")
    wanted = Counter(norm(c.label) for c in columns)
    first, last = norm(columns[0].label), norm(columns[-1].label)
    return words.count(first) == wanted[first] and words.count(last) == wanted[last] - 1


def _blank_review(tokens: list[Token], start: int, end: int, result: Extraction, spec: CompiledSpec,
                  columns: list) -> int:
    """Section 四 with no value at all (a blank template): the grid row under its headers whose cells are all
    empty, as many as the columns (after its empty label cell), read as blanks.  Not when such a row has cells
    withheld (hidden, unreadable): it may be the value row, so no other row is taken for it — it is left out,
    with why.  Returns ``end``."""
    n = len(columns)
    lines: dict[int, list[Token]] = {}
    for token in tokens[start:end]:
        if token.positional:
            lines.setdefault(token.line, []).append(token)
    rows = [row for row in lines.values() if row[0].line != tokens[start].line and len(row) in (n, n + 1)
            and all(t.kind == "empty" or t.text in WITHHELD for t in row)]
    withheld = next((t for row in rows for t in row if t.text in WITHHELD), None)
    if withheld is not None:
        leave_out(result, withheld.where, "", WITHHELD[withheld.text])
    elif rows:
        _place(result, spec, "review_litigation", "cases", columns, rows[0][-n:])
    return end


def _review(tokens: list[Token], i: int, result: Extraction, spec: CompiledSpec, names: Labels,
            cell_pipes: bool, lines: Lines) -> int:
    """Section 四: header words, then the one value row of 15 cells (its row label is empty).  A row of fewer cells is
    left out even where the text ends in it: a whole report may end there (its last table), and a blank cell that one
    value a line does not show cannot be told from a cut (the values after it would be read one cell early)."""
    columns = list(spec.spec.table("review_litigation").blocks[0].columns)
    n = len(columns)
    while 0 < i < len(tokens) and tokens[i].line == tokens[i - 1].line and tokens[i].kind == "empty":
        i += 1  # the empty cells of the heading's own row (a heading set in a table's row, its cells merged)
    start, seen_header = i, False
    # a first header cell that is empty: the table has a stub column (the row label's, empty in every row), and the
    # value row's first cell, empty, is the stub's — not a blank value (were a column lost, the others would shift)
    stub = start < len(tokens) and tokens[start].kind == "empty" and tokens[start].positional
    while i < len(tokens) and tokens[i].kind != "value":  # header words (and the empty cells of header rows)
        if tokens[i].kind == "text" and tokens[i].norm in names.sections:
            return _blank_review(tokens, start, i, result, spec, columns)
        seen_header = seen_header or tokens[i].kind == "text"
        i += 1
    if i >= len(tokens):
        return _blank_review(tokens, start, i, result, spec, columns) if seen_header else i
    while i > 0 and tokens[i - 1].kind == "gap":  # "|" lines just before the values: blank cells or the label
        i -= 1
    if tokens[i].positional:
        line = tokens[i].line
        # every cell of the value row keeps its column: a text cell ("?") is left out when placed, not dropped
        on_line = lines.on(line)
        row = [t for t in on_line if not is_label(t, names)]
        if stub and row and row[0].kind == "empty":
            row.pop(0)
        if len(row) > n:  # a merged cell given once, the places it covers left empty (markdownify): by the header line
            header = next((t.line for t in reversed(tokens[start:i]) if t.kind == "text"), None)
            row = merged_copies(row, line_spans(lines.on(header), columns) if header is not None else None) or row
        row = window(row, n)
        values = row if len(row) == n else None
        consumed = len(on_line)
        if values is not None and _wrapped_below(tokens, i + len(same_line(tokens, i, line)), n, names):
            leave_out(result, tokens[i].where, tokens[i].text, reasons.WRAPPED_BELOW)
            return i + consumed
    else:
        cells, j = [], i  # type: list[Token], int
        while j < len(tokens) and tokens[j].kind != "text" and len(cells) < n + 2:
            if tokens[j].kind == "value" or (cell_pipes and tokens[j].kind == "gap"):
                cells.append(tokens[j])
            j += 1
        if cells and cells[0].kind == "gap" and len(cells) > n:  # the empty row label, written "|"
            cells = cells[1:]
        elif cells and cells[0].kind == "gap" and len(cells) == n:  # "|" then one value short: the empty label and a
            cells = []  # value lost, or a blank first value and no label — which, nothing tells (left out)
        if len(cells) == n + 1 and cells[-1].kind == "gap":  # padding after the row
            cells = cells[:-1]
        values = cells if len(cells) == n else None
        values = [Token(t.text, t.norm, t.where, t.line, "empty" if t.kind == "gap" else t.kind, False)
                  for t in values] if values is not None else None
        consumed = j - i
    if values is None:
        leave_out(result, tokens[i].where, tokens[i].text, reasons.review_row(n))
        return i + 1
    if _columns_cut(tokens[start:i], columns):
        leave_out(result, tokens[i].where, tokens[i].text, reasons.COLUMNS_CUT)
        return i + max(consumed, 1)
    _place(result, spec, "review_litigation", "cases", columns, values)
    return i + max(consumed, 1)

