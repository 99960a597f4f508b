"""What ``govspec spec list`` and ``govspec spec show`` print: a spec as data or as text."""

from __future__ import annotations

from govspec.rules.syntax import to_text
from govspec.spec.compiler import CompiledSpec

SPEC_VIEW_VERSION = 1


def spec_summary(spec: CompiledSpec) -> dict:
    s = spec.spec
    return {
        "id": s.id, "version": s.version, "ref": s.ref, "title": dict(s.title), "issued_by": s.issued_by,
        "report_years": {"from": s.years[0], "to": s.years[1]},
        "cells": len(spec.cells), "rules": len(spec.rules), "checks": len(spec.checks), "source": s.source,
    }


def spec_list_json(specs) -> dict:
    return {"govspec_specs": SPEC_VIEW_VERSION, "specs": [spec_summary(s) for s in specs]}


def spec_list_text(specs) -> str:
    lines = []
    for spec in specs:
        s = spec.spec
        years = f"{s.years[0]}–{s.years[1] or ''}"
        lines.append(f"{s.ref:<28} {years:<11} {s.issued_by or '':<22} {len(spec.cells):>4} cells "
                     f"{len(spec.rules):>3} rules  {s.title['zh']}")
    return "\n".join(lines) + "\n"


def cell_json(cell) -> dict:
    return {
        "id": cell.id, "table": cell.table.id, "block": cell.block.id, "row": cell.row.id, "column": cell.column.id,
        "type": cell.type, "unit": cell.column.unit,
        "labels": {"zh": cell.label_path("zh"), "en": cell.label_path("en")},
    }


def rule_json(spec: CompiledSpec, rule) -> dict:
    d = rule.decl
    checks = [c for c in spec.checks if c.rule is rule]
    return {
        "id": d.id, "title": dict(d.title), "basis": d.basis, "severity": d.severity, "on_blank": d.on_blank,
        "table": d.table, "for_each": dict([d.for_each]) if d.for_each else None, "check": d.check,
        "canonical": to_text(rule.ast), "tolerance": str(d.tolerance), "message": dict(d.message),
        "applied_to": [c.binding for c in checks if c.binding], "checks": len(checks),
    }


def spec_json(spec: CompiledSpec) -> dict:
    s = spec.spec
    return {
        "govspec_spec_view": SPEC_VIEW_VERSION, **spec_summary(spec),
        "blank": dict(s.blank) if s.blank else None,
        "sections": [{"id": x.id, "label": x.label, "en": x.en, "aliases": list(x.aliases)} for x in s.sections],
        "tables": [{"id": t.id, "section": t.section, "label": t.label, "en": t.en,
                    "blocks": [b.id for b in t.blocks if b.id]} for t in s.tables],
        "cells": [cell_json(c) for c in spec.cells],
        "rules": [rule_json(spec, r) for r in spec.rules],
    }


def spec_text(spec: CompiledSpec, lang: str = "zh") -> str:
    s = spec.spec
    lines = [f"{s.ref}  {s.title[lang]}", f"  {s.issued_by or ''}  report years {s.years[0]}–{s.years[1] or ''}",
             f"  {len(spec.cells)} cells, {len(spec.rules)} rules ({len(spec.checks)} checks)", "", "Cells:"]
    for cell in spec.cells:
        p = cell.label_path(lang)
        path = " > ".join(x for x in [p["table"], p["block"], *p["row_groups"], p["row"], *p["column_groups"],
                                      p["column"]] if x)
        unit = f" ({cell.column.unit})" if cell.column.unit else ""
        lines.append(f"  {cell.id:<58} {cell.type + unit:<14} {path}")
    lines += ["", "Rules:"]
    for rule in spec.rules:
        d = rule.decl
        each = f" for each of {d.for_each[0]} {d.for_each[1]}" if d.for_each else ""
        lines.append(f"  {d.id} [{d.severity}, {d.basis}, on_blank={d.on_blank}]{each}: {d.title[lang]}")
        lines.append(f"      {d.check}")
    return "\n".join(lines) + "\n"
