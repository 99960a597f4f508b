"""The spec's labels as extraction reads them: which normalised text names a section, block, row or
header, which template version (or shipped extension) a text's own labels show, and which row a text (with the
next few, for a label broken over lines) names."""

from __future__ import annotations

import itertools
import re
from dataclasses import field

from govspec.extract.tokens import Token, after, kind_of, norm, same_line, spaced_row
from govspec.records import record
from govspec.spec import loader
from govspec.spec.compiler import CompiledSpec

SPEC_ID = "gov-info-disclosure"
_DIGITS_AFTER = re.compile(r"(?<=\D)[\d.,]+$")
_DIGIT = re.compile(r"\d")


@record(frozen=False)
class Labels:
    """Normalised labels of one spec version: what each known piece of text means."""

    spec: CompiledSpec
    rows: dict = field(default_factory=dict)      # norm -> (table id, row id)
    blocks: dict = field(default_factory=dict)    # norm -> block id (section 二)
    headers: set = field(default_factory=set)     # column and group labels, stubs: text, not values
    sections: dict = field(default_factory=dict)  # norm -> table id
    variants: dict = field(default_factory=dict)  # norm -> Variant: a row group printed as one row
    groups: dict = field(default_factory=dict)    # (table id, row id) -> normalised labels of its groups, outermost first


def labels(spec: CompiledSpec) -> Labels:
    found = Labels(spec)
    for variant in spec.spec.variants:
        if variant.kind == "group_as_row":
            found.variants[norm(variant.label)] = variant
    for section in spec.spec.sections:
        for label in (section.label, *section.aliases):
            found.sections[norm(label)] = next((t.id for t in spec.spec.tables if t.section == section.id), None)
    for table in spec.spec.tables:
        for block in table.blocks:
            if block.id and block.label:
                found.blocks[norm(block.label)] = block.id
            for row in block.rows:
                for row_label in (row.label, *row.aliases):
                    if row_label:
                        found.rows.setdefault(norm(row_label), (table.id, row.id))
                chain: list[str] = []
                group = block.row_groups.get(row.group) if row.group else None
                while group is not None and len(chain) < 8:
                    chain.insert(0, norm(group.label))
                    group = block.row_groups.get(group.parent) if group.parent else None
                if chain:
                    found.groups[(table.id, row.id)] = tuple(chain)
            for column in block.columns:
                for label in (column.label, *column.aliases):
                    found.headers.add(norm(label))
            for group in (*block.column_groups.values(), *block.row_groups.values()):
                found.headers.add(norm(group.label))
            if block.stub:
                found.headers.add(norm(block.stub))
    return found


def section_headings(specs: list[CompiledSpec]) -> frozenset[str]:
    """The headings of the sections of ``specs`` (``一、总体情况`` … ``六、其他需要报告的事项``, with their aliases),
    normalised."""
    return frozenset().union(*(_headings(spec.spec.sections) for spec in specs))


def _headings(sections) -> frozenset[str]:
    """The headings of ``sections``, with their aliases, normalised."""
    return frozenset(norm(label) for section in sections for label in (section.label, *section.aliases))


def rows_begin(tokens: list[Token], names: Labels) -> dict[str | None, int]:
    """Where the rows of each table may begin (table id -> token index): after its section's heading, and after the
    heading that opens the report's body (``一、总体情况``), where the text shows them — a whole page puts its navigation
    before the report.  Key None: the body's opening heading alone."""
    spec = names.spec.spec
    tabled = [i for i, section in enumerate(spec.sections) if any(t.section == section.id for t in spec.tables)]
    opening = _headings(spec.sections[:min(tabled, default=0)])
    begin: dict[str | None, int] = {}
    for at, token in enumerate(tokens):
        if token.kind == "text" and token.norm in opening:
            begin.setdefault(None, at)
        elif token.kind == "text" and names.sections.get(token.norm) is not None:
            begin.setdefault(names.sections[token.norm], at)
    return begin


def _markers(spec: CompiledSpec) -> set:
    """Labels that only this version has: column headers and rows of its tables."""
    out: set[str] = set()
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
        # the cell; and, for a header line of labels set apart by spaces (PDF text), each of its labels
        texts = {_DIGITS_AFTER.sub("", token.norm) or token.norm}  # "行政许可3960181": a label run into values
        if " " in token.text.strip():
            texts.update(norm(part) for part in token.text.split())
        for text in texts:
            if len(text) < 3:
                continue
            for spec, marks in own.items():
                if any(m not in shared and (text == m or (len(text) >= 4 and m.startswith(text))) for m in marks):
                    votes[spec] += 1
    best = max(votes.values(), default=0)
    winners = [s for s, v in votes.items() if v == best]
    return winners[0] if best > 0 and len(winners) == 1 else None


def has_tables(tokens: list[Token], specs: list[CompiledSpec]) -> bool:
    """Does the text show any table of these specs: a block, row or column label, or a table's section
    heading followed by a row of values — not a heading alone (a report may keep the headings of sections
    whose tables it leaves out)?"""
    known: set[str] = set()
    headings: set[str] = set()
    for spec in specs:
        names = labels(spec)
        known.update(names.blocks, names.rows, (h for h in names.headers if len(h) >= 4))
        headings.update(k for k, v in names.sections.items() if v)
    for i, token in enumerate(tokens):
        if token.kind != "text":
            continue
        if token.norm in known or _DIGITS_AFTER.sub("", token.norm) in known:
            return True
        if token.norm in headings:
            following = map(tokens.__getitem__, range(i + 1, min(i + 200, len(tokens))))
            values = itertools.takewhile(lambda t: t.norm not in headings, following)
            if sum(1 for t in values if t.kind == "value") >= 5:
                return True
    return False


def extension_of(tokens: list[Token], spec: CompiledSpec) -> CompiledSpec:
    """A shipped extension of ``spec`` whose added rows the text shows (e.g. 湖北's 其他主动公开文件)."""
    present = {t.norm for t in tokens if t.kind == "text"}
    base = set(labels(spec).rows)
    for other in loader.shipped():
        if other.spec.extends == spec.spec.ref:
            added = set(labels(other).rows) - base
            if added & present:
                return other
    return spec


MAX_PIECES = 24  # lines a row's label may be broken over (each piece goes on the label: the longest has 36 characters)
MAX_SET_BEFORE = 3  # pieces of group labels a line may set before a piece of a row's label (a group, its parent, one more)
MAX_TRIES = 256  # ways of reading a label's pieces tried from one place (a label read needs some 24 × 4 at most)


def match_row(tokens: list[Token], i: int, names: Labels):
    """(table, row) if tokens[i] (possibly with the next few text tokens) is a row label; and how many tokens."""
    token = tokens[i]
    if token.kind != "text":
        return None, 0
    if token.norm in names.rows:
        return names.rows[token.norm], 1
    joined = token.norm
    at = i
    for _ in range(1, MAX_PIECES):  # a long label broken over lines (a narrow cell: a few characters a line)
        at = _past_empty_row(tokens, at + 1)
        if at >= len(tokens) or tokens[at].kind != "text":
            break
        joined += tokens[at].norm
        if joined in names.rows:
            return names.rows[joined], at - i + 1
        if not any(label.startswith(joined) for label in names.rows):
            break
    # the label of the row's group, or pieces of the labels of its groups (broken over lines beside its rows, as text
    # copied out of a PDF sets them), before the row's label: "(三)不予公开1.属于国家秘密", "法提供 2.没有现成信息需要
    # 另行制作", "办 (三)不 4.保护第三方合法权益"
    for label, target in names.rows.items():
        if len(label) >= 4 and token.norm.endswith(label):
            before = token.norm[: -len(label)]
            if before in names.headers or _pieces(before, names.groups.get(target, ())):
                return target, 1
    # a label followed by filling instructions in brackets: "规章(设区的市、自治州人民政府应提供相关数据)"
    bare = token.norm
    while bare.endswith(")") and "(" in bare:
        bare = bare[:bare.rindex("(")]
        if bare in names.rows:
            return names.rows[bare], 1
    # a merged cell's label once for each column it covers, set in spaces (pandas's to_string): "一、… 一、… 一、…"
    parts = token.text.split()
    once = [part for part, _ in itertools.groupby(parts)]
    if len(once) < len(parts):
        text = " ".join(once)
        return match_row([Token(text, norm(text), token.where, token.line, "text", token.positional)], 0, names)[0], 1
    return None, 0


def _past_empty_row(tokens: list[Token], j: int) -> int:
    """Past the cells at tokens[j] when they are empty and all the rest of their line, which goes on to text on the next
    line: a table row cut in two, a label's first piece over empty cells and the rest of it over the row's values
    (``|1、申请人无正当理由逾期不补| | |…`` / ``|正、行政机关不再处理其政府信息公开申请|67|3|…``, as a PDF's table
    converted to Markdown may set a row whose label a cell wraps); else j.  The empty cells hold nothing: the row's
    cells are those on the line of its label's last piece."""
    k = j
    while k < len(tokens) and tokens[k].kind == "empty" and tokens[k].line == tokens[j].line:
        k += 1
    if k == j or k >= len(tokens) or tokens[k].line == tokens[j].line or tokens[k].kind != "text" or \
            tokens[j - 1].line != tokens[j].line:
        return j
    return k


def past_group_pieces(tokens: list[Token], k: int, groups: tuple) -> int:
    """Past the text at tokens[k] when it is pieces of the labels of ``groups`` (a row's groups, outermost first) set
    before values on the same line: text laid out as the page is sets a group's label down the column beside its rows,
    a character a line, and a row's values a line below its label (``年  3.危及“三安全一稳定”`` / ``度  5  0  0 …``);
    else k."""
    j = k
    while j < len(tokens) and tokens[j].kind == "text" and tokens[j].line == tokens[k].line:
        j += 1
    if j == k or j >= len(tokens) or tokens[j].kind != "value" or tokens[j].line != tokens[k].line:
        return k
    return j if _pieces("".join(t.norm for t in tokens[k:j]), groups) else k


def _pieces(text: str, groups: tuple) -> bool:
    """Whether ``text`` is pieces of the labels of ``groups``, in order (outermost first), each piece part of its own
    group's label, one piece at most for each."""
    if not text:
        return True
    if len(text) > sum(map(len, groups)):  # longer than the labels it would be pieces of (a hostile line: no work)
        return False
    return any(text[:k] in group and _pieces(text[k:], groups[number + 1:])
               for number, group in enumerate(groups) for k in range(min(len(text), len(group)), 0, -1))


def pieces_set_aside(tokens: list[Token], names: Labels) -> tuple[list[Token], set[int]]:
    """Rows whose values a line of text follows with pieces of the labels of the row's groups — text laid out as the
    page is may set a group's label, a few characters a line down the column beside its rows, after a row's values
    (``4.保护第三方合法权益  6  0  0  0  0  0  6   （三）不``) — as the row's label and values, the pieces set aside; and
    where, among the tokens given back, lines stand that are a row's label and values followed by any other text: left as
    they were, and not read (:data:`reasons.TEXT_AFTER_VALUES` says why)."""
    out: list[Token] = []
    text_after: set[int] = set()
    for token in tokens:
        split = _values_then_text(token, names)
        if split is not None and _pieces(norm(split[2]), names.groups.get(split[3], ())):
            out.extend(spaced_row(f"{split[0]} {split[1]}", token.line, token.where))
        else:
            if split is not None:
                text_after.add(len(out))
            out.append(token)
    return out, text_after


def _values_then_text(token: Token, names: Labels):
    """(label, values, text after them, row) when a line of text is a row's label, its values and more text."""
    if token.kind != "text" or token.positional or not _DIGIT.search(token.text):
        return None
    parts = token.text.split()
    end = len(parts)
    while end > 0 and kind_of(parts[end - 1]) == "text":
        end -= 1
    start = end
    while start > 0 and kind_of(parts[start - 1]) == "value":
        start -= 1
    if start == 0 or start == end or end == len(parts):
        return None
    label = " ".join(parts[:start])
    target, _ = match_row([Token(label, norm(label), token.where, token.line, "text", True)], 0, names)
    return None if target is None else (label, " ".join(parts[start:end]), " ".join(parts[end:]), target)


_RUN_TOGETHER = re.compile(r"^[\d.,]+$")
_RUN_TOGETHER_TEXT = re.compile(r"[^\s\d.,][\d.,]+$")  # digits right after the label, no space between


def run_together(token: Token, names: Labels) -> str | None:
    """The row label a text starts with when its values follow with nothing between (``行政许可3960181``):
    the digits of several cells cannot be told apart, so the row is refused, never split."""
    if token.kind != "text" or not _RUN_TOGETHER_TEXT.search(token.text.strip()):
        return None
    for label in sorted(names.rows, key=len, reverse=True):
        if len(label) >= 2 and token.norm.startswith(label) and _RUN_TOGETHER.match(token.norm[len(label):]):
            return label
    return None


def is_label(token: Token, names: Labels) -> bool:
    """Text that names a row, block, section or header: never a cell's value."""
    return token.kind == "text" and (token.norm in names.rows or token.norm in names.blocks or
                                     token.norm in names.sections or token.norm in names.headers)


def rejoined(tokens: list[Token], names: Labels) -> list[Token]:
    """Row labels broken over lines, made one label where their row's values stand: text laid out as the page is (a
    PDF's text in layout mode) sets a label of three lines beside its values, which stand on the middle line —
    ``1、申请人无正当理由逾期不补`` / ``正、行政机关不再处理其政府信 67 3 0 0 1 0 71`` / ``息公开申请`` — and the pieces of
    its groups' labels in the column before it (``（五）不 3.要求提供公开出版 28 15 …`` / ``予处理 物``), or on a line of
    their own between the label's pieces (``2、申请人逾期未按收费通知要`` / ``他处理`` / ``求缴纳费用… 6 0 …``).  Only when the
    pieces of the row's label, in order, are exactly that label, the values stand between two of them (on a piece's
    line or on a line of their own) or after the last, and each piece set before them is part of the label of one of
    that row's groups; anything else is left as it was (a label broken over lines with nothing else is read by
    :func:`match_row`)."""
    out: list[Token] = []
    i = 0
    while i < len(tokens):
        found = _broken(tokens, i, names, (), [], (), [MAX_TRIES])
        if found is None:
            out.append(tokens[i])
            i += 1
            continue
        label, values, i = found
        out.append(label)
        out.extend(values)
    return out


def _broken(tokens: list[Token], j: int, names: Labels, read: tuple, values: list[Token], set_before: tuple,
            tries: list[int]):
    """The label whose pieces go on at tokens[j] (``read``: the pieces so far, each ``(token, its text in the
    label)``), the values between them, and where reading goes on; None when they make no row's label (or after
    ``tries`` ways of reading them: text made to branch at every piece costs no more than that)."""
    tries[0] -= 1
    if j >= len(tokens) or len(read) >= MAX_PIECES or tries[0] < 0:
        return None
    part = tokens[j]
    if part.kind != "text" or (read and part.line <= read[-1][0].line) or (values and part.line <= values[0].line):
        return None
    joined = "".join(text for _, text in read)
    chunks = part.text.split()
    ways = min(len(chunks), MAX_SET_BEFORE + 1)  # the piece itself, or what follows pieces set before it
    if read and len(chunks) <= MAX_SET_BEFORE:
        ways += 1  # between a label's pieces, a line that is pieces of its groups' labels alone (``他处理``)
    for k in range(ways):
        text, before = (part.norm, ()) if k == 0 else (norm(" ".join(chunks[k:])), tuple(norm(c) for c in chunks[:k]))
        whole, pieces = joined + text, set_before + before
        if not any(known.startswith(whole) for known in names.rows):
            continue
        if whole in names.rows and not read:
            return None  # a whole label on its line, pieces before it or not: read by match_row
        if whole in names.rows and (values or pieces) and \
                all(any(piece in group for group in names.groups.get(names.rows[whole], ())) for piece in pieces):
            label = Token(" ".join(token.text.strip() for token, _ in (*read, (part, text))), whole, read[0][0].where,
                          values[0].line if values else part.line, "text", True)
            return label, values, j + 1
        k_next, found = j + 1, values
        if not values and k_next < len(tokens) and tokens[k_next].kind == "value":
            found = _run_of_values(tokens, k_next)
            if found[0].line != part.line and k_next + len(found) < len(tokens) \
                    and tokens[k_next + len(found)].line == found[0].line:
                continue  # values on a line of their own must be all of it
            k_next += len(found)
        further = _broken(tokens, k_next, names, (*read, (part, text)), found, pieces, tries)
        if further is not None or tries[0] < 0:
            return further  # read; or the ways to try are spent: no other way is tried
    return None


def _run_of_values(tokens: list[Token], j: int) -> list[Token]:
    """The values from tokens[j] on, on its line."""
    line = tokens[j].line
    return list(itertools.takewhile(lambda t: t.kind == "value" and t.line == line, after(tokens, j)))


def repeated(tokens: list[Token], i: int) -> bool:
    """Whether the next cell shows the same label: a merged cell's text repeated in each cell it covers (converters
    and exports that fill merged cells), not a row of its own — on tokens[i]'s line, or, one cell a paragraph
    (docx2python), on the next."""
    if i + 1 >= len(tokens) or tokens[i + 1].kind != "text" or tokens[i + 1].norm != tokens[i].norm:
        return False
    same_row = tokens[i + 1].line == tokens[i].line and tokens[i].positional
    return same_row or not (tokens[i].positional or tokens[i + 1].positional)


def unknown_row(tokens: list[Token], i: int, names: Labels) -> bool:
    """Is tokens[i] the first cell of a table row that holds values but names no row the spec knows?"""
    token = tokens[i]
    if token.kind != "text" or not token.positional or (i > 0 and tokens[i - 1].line == token.line):
        return False
    if is_label(token, names) or token.norm in names.variants or run_together(token, names):
        return False
    rest = same_line(tokens, i + 1, token.line)
    if any(match_row(tokens, i + 1 + k, names)[0] is not None for k in range(len(rest))):
        return False  # a group's label cell before the row's own label: the row is read by its label
    return any(t.kind == "value" for t in rest)
