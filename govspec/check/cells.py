"""The cells of one report: the usable values, blanks, cells not seen in the source, and findings about
values that cannot be used (unknown keys, wrong types, negative counts, units converted)."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from types import MappingProxyType
from typing import Any

from govspec.errors import InstanceError, did_you_mean
from govspec.findings import Finding
from govspec.io.instance import EXPECTED, MAX_UNKNOWN_KEYS, cell_value, json_type, show
from govspec.io.values import MAX_DIGITS, MAX_VALUE, NOT_SEEN, CellText, plain_digits, read_text
from govspec.records import record
from govspec.spec.compiler import CompiledSpec


@record(init=False)
class CellData:
    """Its ``__init__`` stores the fields directly, as a finding's does (:mod:`govspec.findings`)."""

    values: Mapping[str, Any]  # cell id → int | Decimal
    invalid: frozenset               # cells whose value cannot be used: unusable, or not seen in the source
    present: frozenset               # cells with a value that is not blank (usable or not)
    findings: tuple[Finding, ...]
    unseen: frozenset = frozenset()  # of ``invalid``: the cells the published source did not show

    def __init__(self, values: Mapping[str, Any], invalid: frozenset, present: frozenset,
                 findings: tuple[Finding, ...], unseen: frozenset = frozenset()) -> None:
        fields = self.__dict__
        fields["values"], fields["invalid"], fields["present"] = values, invalid, present
        fields["findings"], fields["unseen"] = findings, unseen


def params(**kwargs) -> Mapping:
    return MappingProxyType(kwargs)


def _label(cell) -> dict:
    return {"zh": cell.short_label("zh"), "en": cell.short_label("en")}


def read_cells(spec: CompiledSpec, tables: Mapping, unseen=()) -> CellData:
    """The usable values of an instance's cells, and findings about the ones that are not.

    ``unseen`` cells were not visible in the published source (cut off, or not placeable): like
    invalid ones, every rule that reads them is not checkable.
    """
    values: dict = {}
    invalid: set = set(c for c in unseen if c in spec.cell_index)
    present: set = set()
    findings: list[Finding] = []
    table_ids = [t.id for t in spec.spec.tables]
    plain_rows = _plain_rows(spec)
    placeholders = spec.spec.placeholders
    unknown = 0  # keys the spec does not know (:func:`_one_more_unknown`)
    for table_id, rows in tables.items():
        where = f"tables.{table_id}"
        if table_id not in table_ids:
            unknown = _one_more_unknown(spec, unknown)
            findings.append(Finding("unknown-table", "error", location=where,
                                    params=params(name=table_id, suggestion=did_you_mean(table_id, table_ids))))
            continue
        table = spec.spec.table(table_id)
        if not isinstance(rows, dict):
            findings.append(_shape(where, rows))
            invalid.update(c.id for c in spec.cells if c.table.id == table_id)
            continue
        for row_id, columns in rows.items():
            if row_id not in table._row_blocks:
                unknown = _one_more_unknown(spec, unknown)
                row_ids = [r.id for r in table.rows]
                findings.append(Finding("unknown-row", "error", location=f"{where}.{row_id}", params=params(
                    table=table_id, name=row_id, suggestion=did_you_mean(row_id, row_ids))))
                continue
            if not isinstance(columns, dict):
                findings.append(_shape(f"{where}.{row_id}", columns))
                invalid.update(c.id for c in spec.cells if c.table.id == table_id and c.row.id == row_id)
                continue
            row_cells = spec.row_cells.get((table_id, row_id), {})
            plain = plain_rows.get((table_id, row_id), {})
            for column_id, raw in columns.items():
                if type(raw) is int:  # the common case: a plain integer, read with what its cell's column says
                    found = plain.get(column_id)
                    if found is not None and (0 <= raw < MAX_VALUE or found[2] and -MAX_VALUE < raw < 0):
                        values[found[0]] = Decimal(raw) if found[1] else raw
                        continue
                elif raw is NOT_SEEN:
                    continue
                elif type(raw) is CellText:  # text read from a file: plain digits are what read_text makes of them
                    text = raw.text
                    found = plain.get(column_id)
                    if found is not None and plain_digits(text, placeholders) and len(text) <= MAX_DIGITS:
                        values[found[0]] = Decimal(text) if found[1] else int(text)
                        continue
                cell = row_cells.get(column_id)
                cell_id = f"{table_id}.{row_id}.{column_id}"
                if cell is None:
                    unknown = _one_more_unknown(spec, unknown)
                    column_ids = [c.id for c in table.block_of(row_id).columns]
                    findings.append(Finding("unknown-column", "error", location=f"tables.{cell_id}", params=params(
                        row=f"{table_id}.{row_id}", name=column_id, suggestion=did_you_mean(column_id, column_ids))))
                    continue
                position = None
                if isinstance(raw, CellText):
                    position = raw.position
                    reading = read_text(raw.text, cell.type, cell.column.unit, spec.spec.placeholders)
                    if reading.note and reading.note["kind"] == "unit":
                        findings.append(Finding("value-converted", "info", (cell_id,), location=f"tables.{cell_id}",
                                                position=position, params=params(
                                                    label=_label(cell), text=reading.note["text"],
                                                    value=reading.note["value"], unit=reading.note["to"])))
                    raw = reading.value
                if raw is None:
                    continue
                present.add(cell_id)
                value, problem = cell_value(raw, cell.type)
                if problem:
                    invalid.add(cell_id)
                    findings.append(Finding("wrong-type", "error", (cell_id,), location=f"tables.{cell_id}",
                                            position=position, params=params(
                                                label=_label(cell), expected=EXPECTED[cell.type], found=show(raw))))
                    continue
                if value < 0 and cell.type != "signed_count":
                    findings.append(Finding("negative-value", "error", (cell_id,), location=f"tables.{cell_id}",
                                            position=position, params=params(label=_label(cell), value=str(value))))
                values[cell_id] = value
    return CellData(MappingProxyType(values), frozenset(invalid), frozenset(present.union(values)), tuple(findings),
                    frozenset(c for c in unseen if c in spec.cell_index))


_PLAIN: dict = {}


def _plain_rows(spec: CompiledSpec) -> dict:
    """For each row of the spec, its cells as a plain integer is read into them: column id → (cell id, money,
    signed), worked out once per spec (a cell's column read for every value cost some 40 µs a report)."""
    found = _PLAIN.get(spec)
    if found is None:
        found = _PLAIN[spec] = {key: {column: (cell.id, cell.column.type == "money",
                                               cell.column.type == "signed_count") for column, cell in row.items()}
                                for key, row in spec.row_cells.items()}
    return found


def _one_more_unknown(spec: CompiledSpec, count: int) -> int:
    """``count`` keys of ``tables`` the spec does not know, and one more; more than :data:`MAX_UNKNOWN_KEYS` are
    refused: each is a finding with a did-you-mean, and a file of 20 MB can hold millions of them (a minute and
    4 GB).  Such a document is not a report of this template."""
    if count >= MAX_UNKNOWN_KEYS:
        raise InstanceError(f"'tables' holds more than {MAX_UNKNOWN_KEYS} keys that are no table, row or column of "
                            f"{spec.spec.ref}: not a report of this template", key="tables",
                            zh=f"'tables' 中有超过 {MAX_UNKNOWN_KEYS} 个键不是 {spec.spec.ref} 的表、行或列：不是该模板的报告")
    return count + 1


def _shape(where: str, value) -> Finding:
    found = {"zh": json_type(value, "zh"), "en": json_type(value)}
    return Finding("not-an-object", "error", location=where, params=params(where=where, found=found))


