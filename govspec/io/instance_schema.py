"""Export the JSON Schema (draft 2020-12) of a spec version's instances.

The schema holds the structure, the types and signs of cells, and the required keys, with no
unknown keys allowed.  It cannot hold the identities (勾稽关系) — its description says so — so a
document it accepts may still break rules that only govspec checks.
"""

from __future__ import annotations

from govspec.io.instance import REPORT_KEYS
from govspec.spec.compiler import CompiledSpec

DRAFT = "https://json-schema.org/draft/2020-12/schema"
_DECIMAL_STRING = r"^\s*\+?\d+(\.\d+)?\s*$"

CELL_SCHEMAS: dict[str, dict] = {
    "count": {"type": ["integer", "null"], "minimum": 0},
    "signed_count": {"type": ["integer", "null"]},
    "money": {"anyOf": [{"type": "number", "minimum": 0}, {"type": "string", "pattern": _DECIMAL_STRING},
                        {"type": "null"}]},
}


def instance_schema(spec: CompiledSpec) -> dict:
    tables: dict = {}
    for cell in spec.cells:
        rows = tables.setdefault(cell.table.id, {})
        columns = rows.setdefault(cell.row.id, {})
        columns[cell.column.id] = {**CELL_SCHEMAS[cell.type], "title": cell.short_label("zh"),
                                   **({"description": f"单位：{cell.column.unit}"} if cell.column.unit else {})}
    table_schemas = {
        table_id: {"type": "object", "additionalProperties": False, "properties": {
            row_id: {"type": "object", "additionalProperties": False, "properties": columns}
            for row_id, columns in rows.items()}}
        for table_id, rows in tables.items()}
    s = spec.spec
    report: dict = {
        "type": "object", "additionalProperties": False,
        "properties": {key: {"type": ["string", "null"]} for key in REPORT_KEYS},
    }
    report["properties"]["year"] = {"type": ["integer", "null"], "minimum": 1900, "maximum": 2200}
    date = {"type": ["string", "null"], "description": "a date: 2025-01-20, 2025-1-20, 2025/1/20, 2025.1.20 or 2025年1月20日",
            "pattern": (r"^\s*(\d{4}-\d{1,2}-\d{1,2}|\d{4}/\d{1,2}/\d{1,2}|\d{4}\.\d{1,2}\.\d{1,2}"
                        r"|\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日)\s*$")}
    report["properties"]["published"] = report["properties"]["dated"] = date
    return {
        "$schema": DRAFT,
        "$id": f"urn:govspec:instance:{s.id}@{s.version}",
        "title": f"{s.title['zh']} — {s.ref} instance",
        "description": (f"Instances of {s.ref} ({s.issued_by or ''}). This schema checks structure, cell types "
                        "and signs only. It cannot express the identities (勾稽关系) between cells; validate "
                        "with govspec for those. 本模式只检查结构、类型和符号，不能表达勾稽关系。"),
        "type": "object",
        "additionalProperties": False,
        "required": ["tables"],
        "properties": {
            "spec": {"const": s.id},
            "version": {"const": s.version},
            "report": report,
            "tables": {"type": "object", "additionalProperties": False, "properties": table_schemas},
            "unseen": {"type": "array", "items": {"enum": [c.id for c in spec.cells]}, "uniqueItems": True,
                       "description": "cells the published source did not show (not read, or not placed)"},
            "variants": {"type": "object", "additionalProperties": False, "properties": {
                v.key: {"type": "object", "additionalProperties": False,
                        "description": f"{v.label}: {v.note.get('zh', '')}",
                        "properties": {c.id: CELL_SCHEMAS[c.type] for c in s.table(v.table).block_of(v.rows[0]).columns}}
                for v in s.variants}},
        },
    }
