"""The spec's labels as extraction reads them: which normalised text names a section, block, row or
header, and which template version (or shipped extension) a text's own labels show."""

from __future__ import annotations

import itertools
import re
from dataclasses import field

from govspec.extract.tokens import Token, norm
from govspec.records import record
from govspec.spec import loader
from govspec.spec.compiler import CompiledSpec

SPEC_ID = "gov-info-disclosure"
_DIGITS_AFTER = re.compile(r"(?<=\D)[\d.,]+$")


@record(frozen=False)
class Labels:
    """Normalised labels of one spec version: what each known piece of text means."""

    spec: CompiledSpec
    rows: dict = field(default_factory=dict)      # norm -> (table id, row id)
    blocks: dict = field(default_factory=dict)    # norm -> block id (section 二)
    headers: set = field(default_factory=set)     # column and group labels, stubs: text, not values
    sections: dict = field(default_factory=dict)  # norm -> table id
    variants: dict = field(default_factory=dict)  # norm -> Variant: a row group printed as one row
    groups: dict = field(default_factory=dict)    # (table id, row id) -> the normalised label of the row's group


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
                group = block.row_groups.get(row.group) if row.group else None
                if group is not None:
                    found.groups[(table.id, row.id)] = norm(group.label)
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
            following = itertools.islice(tokens, i + 1, i + 200)
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

