"""Reading reports as they are published (text, Markdown, HTML, PDF, Word, Excel) into instances, with provenance.

Driven by the spec's own labels and aliases: sections, 第二十条 blocks, rows and column headers are
found by their normalised labels, whatever the layout (one table row per line with ``|``, one cell
per line, cells separated by blank lines, HTML tables).  A value is placed only when its row and
column are certain; anything else is left out, with the reason.  Nothing is guessed.

The steps: :mod:`~govspec.extract.tokens` (text → cells), :mod:`~govspec.extract.labels` (which
labels, which template), :mod:`~govspec.extract.placement` (cells → values of cells),
:mod:`~govspec.extract.metadata` (agency, year, date); this module gives the results to the rest.
"""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path
from types import MappingProxyType

from govspec.errors import InstanceError
from govspec.extract import reasons
from govspec.extract.labels import detect_template, labels
from govspec.extract.placement import Extraction, extract_tokens, leave_out
from govspec.extract.sources import Part, joined, read_parts
from govspec.extract.tokens import Token, norm, tokens_from_text
from govspec.extract.webpage import tokens_from_html
from govspec.findings import Finding
from govspec.io.instance import Instance
from govspec.io.kinds import PUBLISHED

EXTENSIONS = PUBLISHED  # the names of published reports (govspec.io.kinds)

__all__ = ["EXTENSIONS", "Extraction", "Token", "as_json", "detect_template", "extract_file", "extract_instance",
           "extract_instances", "extract_parts", "extract_tokens", "findings", "labels", "norm", "tokens_from_html",
           "tokens_from_text"]


def extract_parts(path: str | Path) -> list[Extraction]:
    """Every report in a published file, by its content.  A workbook gives one per sheet that holds anything —
    a workbook of several bodies' reports, a sheet each — unless its sheets hold the sections of one report
    between them (:func:`_one_report`)."""
    parts = read_parts(path)
    out = [_extracted(part, path) for part in parts]
    if len(parts) > 1 and _sections_apart(out):
        whole = _extracted(joined(parts), path)
        if _one_report(whole, out):
            return [whole]
    return out


def _extracted(part: Part, path: str | Path) -> Extraction:
    result = extract_tokens(part.tokens, str(path) + part.suffix)
    result.kind, result.note = part.kind, part.note
    for where, text, reason in part.not_read:
        leave_out(result, where, text, reason)
    return result


def _tables(result: Extraction) -> set[str]:
    return {key.split(".", 1)[0] for key in (*result.values, *result.variants, *result.conflicts)}


def _sections_apart(sheets: list[Extraction]) -> bool:
    """No section of the template is read on two sheets: they may be the parts of one report (a sheet each for
    二, 三 and 四, as some provinces' forms lay them out), not the reports of several bodies."""
    read = [_tables(sheet) for sheet in sheets]
    return sum(map(len, read)) == len(set().union(*read))


def _one_report(whole: Extraction, sheets: list[Extraction]) -> bool:
    """The sheets read one after the other are one report: it has a template, every value a sheet read alone is
    read the same there, and it reads more than any sheet alone (a sheet of notes beside a whole report
    changes nothing: the sheets stay as they are)."""
    if whole.spec is None:
        return False
    for sheet in sheets:
        if sheet.spec is not None and (sheet.spec.spec.ref != whole.spec.spec.ref or
                                       any(whole.values.get(cell, whole) != value
                                           for cell, value in sheet.values.items())):
            return False
    return len(whole.values) > max(len(sheet.values) for sheet in sheets)


def extract_file(path: str | Path) -> Extraction:
    """The report in a published file: text, Markdown, HTML, PDF, Word or Excel (the first sheet with a
    table of a known template, for a workbook of several)."""
    parts = extract_parts(path)
    return next((p for p in parts if p.spec is not None), parts[0])


def findings(result: Extraction) -> tuple:
    """What the extraction itself has to say, as findings (docs/finding-codes.md)."""
    out: list[Finding] = []
    if result.spec is None:
        return ()
    for table_id in dict.fromkeys(result.incomplete):
        table = result.spec.spec.table(table_id)
        last = max((p["where"] for c, p in result.provenance.items() if c.startswith(table_id + ".")),
                   default="?", key=_where_order)
        out.append(Finding("table-incomplete", "warning", location=f"tables.{table_id}",
                           position=f"{result.source}: {last}", params=MappingProxyType(
                               {"table": table.label, "table_en": table.en, "where": reasons.both(last)})))
    if result.note:
        out.append(Finding("read-by-content", "info", position=result.source,
                           params=MappingProxyType({"note": result.note})))
    for item in result.left_out:
        out.append(Finding("value-not-placed", "warning", position=f"{result.source}: {item['where']}",
                           params=MappingProxyType({"where": reasons.both(item["where"]), "text": item["text"][:40],
                                                    "reason": {"zh": item["reason_zh"], "en": item["reason"]}})))
    for variant in result.spec.spec.variants:
        if variant.key in result.variants:
            where = min((p["where"] for k, p in result.variant_provenance.items() if k.startswith(variant.key + ".")),
                        key=_where_order)
            out.append(Finding("variant-printed", "info", location=f"variants.{variant.key}",
                               position=f"{result.source}: {where}", params=MappingProxyType({
                                   "label": variant.label, "rows": len(variant.rows),
                                   "note": variant.note.get("zh", ""), "note_en": variant.note.get("en", "")})))
    return tuple(out)


def _where_order(where: str):
    return [int(n) for n in re.findall(r"\d+", where)]


def extract_instance(path: str):
    """A published report as an :class:`~govspec.io.instance.Instance` for the validator."""
    return extract_instances(path)[0]


def extract_instances(path: str) -> list[Instance]:
    """Every report in a published file as an :class:`~govspec.io.instance.Instance` for the validator
    (a workbook with one sheet per body gives one each; sheets without a known table are passed over)."""
    found = [Instance(r.source, r.document(text_cells=True), findings(r)) for r in extract_parts(path)
             if r.spec is not None]
    if not found:
        raise no_known_table(str(path))
    return found


def no_known_table(source: str) -> InstanceError:
    """What a published file without a table of a known template gives (its reader named ``source``)."""
    return InstanceError("no table of a known template found in the text (the sections 二, 三, 四 with their "
                         "official labels)", zh="文本中没有找到已知模板的表格（带官方标签的第二、三、四部分）", source=source)


def as_json(result: Extraction) -> dict:
    """``govspec extract``'s record of one report: the instance, where each value came from, what was left out."""
    document = result.document() if result.spec else None
    if document is not None:
        document["tables"] = {t: {r: {c: _json_value(v) for c, v in cols.items()} for r, cols in rows.items()}
                              for t, rows in document["tables"].items()}
        if "variants" in document:
            document["variants"] = {k: {c: _json_value(v) for c, v in cols.items()}
                                    for k, cols in document["variants"].items()}
    return {"source": result.source,
            "template": result.spec.spec.ref if result.spec else None,
            "template_basis": result.template_basis,
            "instance": document,
            "provenance": {**result.provenance, **{f"variants.{k}": v for k, v in result.variant_provenance.items()},
                           **result.report_provenance},
            "left_out": result.left_out,
            "incomplete": list(dict.fromkeys(result.incomplete))}


def _json_value(value):
    return format(value, "f") if isinstance(value, Decimal) else value
