"""Known print variants of the spec (``variants:``) in checks: a row group printed as one row.

When a report prints a row group as one row (2021 tables with the 2019-style single row
``（六）其他处理``), its rows are not printed: the instance lists them as ``unseen`` and gives the printed
row under ``variants`` (``{"applications.other_handling": {"natural_person": 67, …}}``).  A check that
reads those rows only through their sum — all of them, each with the same weight, as the column totals
do — is evaluated with the printed value standing for the sum.  A check that reads them apart (each
row's own total) stays not checkable.  Nothing is split or guessed.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from govspec.check.cells import params
from govspec.findings import Finding
from govspec.io.instance import EXPECTED, cell_value, show
from govspec.io.values import CellText, read_text
from govspec.spec.compiler import Check, CompiledSpec

Sums = dict[tuple[str, ...], Any]  # the cells of a group's rows in one column → the printed value


def read_variants(spec: CompiledSpec, given: Mapping) -> tuple[Sums, list[Finding]]:
    """The printed values of group-as-row variants, by the cells each stands for; findings about bad ones."""
    sums: Sums = {}
    findings: list[Finding] = []
    known = {v.key: v for v in spec.spec.variants if v.kind == "group_as_row"}
    for key, columns in given.items():
        variant = known.get(key)
        if variant is None or not isinstance(columns, dict):
            findings.append(Finding("unknown-key", "warning", location=f"variants.{key}", params=params(
                name=f"variants.{key}", suggestion="")))
            continue
        for column, raw in columns.items():
            cells = tuple(f"{variant.table}.{row}.{column}" for row in variant.rows)
            if not all(c in spec.cell_index for c in cells):
                findings.append(Finding("unknown-key", "warning", location=f"variants.{key}.{column}",
                                        params=params(name=f"variants.{key}.{column}", suggestion="")))
                continue
            cell = spec.cell_index[cells[0]]
            if isinstance(raw, CellText):
                raw = read_text(raw.text, cell.type, cell.column.unit, spec.spec.placeholders).value
            if raw is None:
                continue
            value, problem = cell_value(raw, cell.type)
            if problem:
                findings.append(Finding("wrong-type", "error", cells, location=f"variants.{key}.{column}", params=params(
                    label={"zh": variant.label, "en": variant.group}, expected=EXPECTED[cell.type], found=show(raw))))
                continue
            sums[cells] = value
    return sums, findings


def stand_in(check: Check, values: Mapping, invalid: frozenset, sums: Sums) -> tuple[dict, frozenset] | None:
    """The values and unusable cells with which ``check`` can be evaluated, the printed sums standing for
    the rows they sum; None when it still cannot be."""
    comparison = check.comparison
    if comparison is None:
        return None
    weights = (comparison.left - comparison.right).coefficients
    read = set(check.cells)
    used = []
    for cells, total in sums.items():
        if not read & set(cells):
            continue
        if not all(c in invalid for c in cells) or len({weights.get(c, 0) for c in cells}) != 1 or not weights.get(cells[0]):
            return None  # the rows are read apart, or some of them are printed: the sum cannot stand in
        used.append((cells, total))
    covered = {c for cells, _ in used for c in cells}
    if not used or any(c in invalid and c not in covered for c in read):
        return None
    values = dict(values)
    for cells, total in used:
        values[cells[0]] = total
        values.update((c, 0) for c in cells[1:])
    return values, frozenset(invalid - covered)
