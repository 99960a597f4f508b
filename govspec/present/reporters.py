"""Turn reports (and unreadable inputs) into text for people or JSON for programs.

The JSON document is versioned (``govspec_report: 1``) and described in docs/cli.md.
"""

from __future__ import annotations

import csv
import json
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Iterable, TextIO

from govspec.spec.compiler import PREVIOUS, CompiledSpec
from govspec.findings import CODES, Finding, Term, message
from govspec.io.readers import Unreadable
from govspec.io.values import value_text
from govspec.check.report import Report

try:  # optional ("fast" extra): the same JSON, written faster
    import orjson

    def _dumps(data) -> str:
        try:
            return orjson.dumps(data).decode("utf-8")
        except TypeError:  # an integer beyond 64 bits: the standard library writes it exactly
            return json.dumps(data, ensure_ascii=False)
except ImportError:  # pragma: no cover
    def _dumps(data) -> str:
        return json.dumps(data, ensure_ascii=False)

REPORT_FORMAT_VERSION = 1
SUM_EXPAND_LIMIT = 7

WORDS = {
    "zh": {"error": "错误", "warning": "警告", "info": "提示", "valid": "通过", "invalid": "不通过",
           "blank": "空", "unreadable": "无法读取", "report": "报告信息", "difference": "差额（左边减右边）",
           "blank_cells": "未填报的单元格", "caused_by": "可能仅因以下问题而不成立", "not_reported": "未填报单元格",
           "year": "年度", "verdict": "结论", "summary": "合计", "reports": "份报告", "sep": "，",
           "across": "跨年度检查（同一机关相邻年度的报告）", "accepted": "已接受",
           "stale": "例外清单中的这一条没有匹配任何问题，请复核或删除", "stale_title": "例外清单",
           "accepted_count": "  已接受的问题 {accepted} 个；失效的例外 {stale} 条",
           "lone": "  另有 {n} 份报告在本批次中没有同一机关上一年度的报告，跨年度规则无法检查"},
    "en": {"error": "error", "warning": "warning", "info": "info", "valid": "valid", "invalid": "invalid",
           "blank": "blank", "unreadable": "unreadable", "report": "Report", "difference": "difference (left − right)",
           "blank_cells": "cells not reported", "caused_by": "may fail only because of", "not_reported": "cells not reported",
           "year": "report year", "verdict": "verdict", "summary": "total", "reports": "reports", "sep": ", ",
           "across": "Checks across reports (the same body, consecutive years)", "accepted": "accepted",
           "stale": "this accepted exception matches no finding: review or remove it", "stale_title": "Exceptions",
           "accepted_count": "  accepted findings {accepted}; stale exceptions {stale}",
           "lone": "  {n} reports have no report of the same body for the year before: rules across reports not checkable"},
}


number_text = value_text


def json_number(value):
    """Counts stay integers; amounts become decimal strings so no digit is lost."""
    if isinstance(value, Decimal):
        return format(value, "f")
    return value


# --- labels and equations ----------------------------------------------------------------

LAST_YEAR = {"zh": "上一年度·", "en": "last year: "}


def _cell(spec: CompiledSpec, cell_id: str):
    """The cell behind an id, and whether it is read from the report of the year before."""
    previous = cell_id.startswith(PREVIOUS)
    return spec.cell(cell_id.removeprefix(PREVIOUS)), previous


def short_label(spec: CompiledSpec, cell_id: str, lang: str) -> str:
    cell, previous = _cell(spec, cell_id)
    return (LAST_YEAR[lang] if previous else "") + cell.short_label(lang)


def labels_json(spec: CompiledSpec, cell_id: str, lang: str) -> dict:
    path = spec.label_path(cell_id.removeprefix(PREVIOUS), lang)
    return {**path, "previous_year": True} if cell_id.startswith(PREVIOUS) else path

def cell_label(spec: CompiledSpec, cell_id: str, axis: str | None, lang: str) -> str:
    """A cell's label in an equation: the part not fixed by what the rule was applied to."""
    cell, previous = _cell(spec, cell_id)
    path = cell.label_path(lang)
    column = "/".join(path["column_groups"][-1:] + [path["column"]]) if axis is None else path["column"]
    mark = LAST_YEAR[lang] if previous else ""
    if axis == "columns":
        return mark + (path["row"] or column)
    if axis == "rows":
        return mark + column
    return mark + "/".join(p for p in (path["row"], column) if p)


def rule_axis(spec: CompiledSpec, rule_id: str | None) -> str | None:
    """"rows" or "columns" for a rule applied to each row or column, else None."""
    rule = spec.rule(rule_id) if rule_id else None
    return rule.decl.for_each[0] if rule is not None and rule.decl.for_each else None


def binding_label(spec: CompiledSpec, finding: Finding, lang: str) -> str:
    if not finding.binding or not finding.cells:
        return ""
    table = _cell(spec, finding.cells[0])[0].table
    if rule_axis(spec, finding.rule) == "rows":
        block = table.block_of(finding.binding)
        row = next(r for r in block.rows if r.id == finding.binding)
        groups = block.group_path(block.row_groups, row.group)
        pick = (lambda x: x.label) if lang == "zh" else (lambda x: x.en)
        names = [pick(g) for g in groups[1:]] + [(row.label if lang == "zh" else row.en) or ""]
        return " ".join(n for n in names if n)
    block = table.blocks[0]
    column = next((c for c in block.columns if c.id == finding.binding), None)
    return (column.label if lang == "zh" else column.en) if column else finding.binding


def _value(value, lang: str) -> str:
    return WORDS[lang]["blank"] if value is None else number_text(value)


def _term_text(spec: CompiledSpec, term: Term, axis, lang: str) -> str:
    factor = "" if term.factor == 1 else f"{number_text(term.factor)}×"
    if not term.cells:
        body = number_text(term.value)
    elif not term.is_sum:
        body = f"{cell_label(spec, term.cells[0], axis, lang)} ({_value(term.value, lang)})"
    elif len(term.cells) <= SUM_EXPAND_LIMIT:
        body = " + ".join(f"{cell_label(spec, c, axis, lang)} ({_value(v, lang)})"
                          for c, v in zip(term.cells, term.parts))
        if len(term.cells) > 1 and (term.sign == "-" or factor):
            body = f"({body})"
    else:
        first = cell_label(spec, term.cells[0], axis, lang)
        last = cell_label(spec, term.cells[-1], axis, lang)
        body = f"Σ[{first} … {last}] ({_value(term.value, lang)})"
    return factor + body


def _side(spec: CompiledSpec, terms, axis, lang: str) -> str:
    text = ""
    for index, term in enumerate(terms):
        piece = _term_text(spec, term, axis, lang)
        if index == 0:
            text = piece if term.sign == "+" else f"-{piece}"
        else:
            text += f" {term.sign} {piece}"
    return text


def equation_text(spec: CompiledSpec, finding: Finding, lang: str = "zh") -> str | None:
    """E.g. ``一、… (0) + 二、… (0) ≠ （七）总计 (3) + 四、… (1)  [自然人]``."""
    eq = finding.equation
    if eq is None:
        return None
    axis = rule_axis(spec, finding.rule)
    text = f"{_side(spec, eq.left, axis, lang)} {eq.op} {_side(spec, eq.right, axis, lang)}"
    binding = binding_label(spec, finding, lang)
    return f"{text}  [{binding}]" if binding else text


# --- JSON ---------------------------------------------------------------------------------

def finding_json(spec: CompiledSpec, finding: Finding, lang: str) -> dict:
    return {
        "code": finding.code,
        "severity": finding.severity,
        "title": CODES[finding.code].title[lang],
        "rule": finding.rule,
        "check": finding.check,
        "binding": finding.binding,
        "cells": list(finding.cells),
        "labels": [labels_json(spec, c, lang) for c in finding.cells],
        "message": message(finding, lang),
        "equation": equation_text(spec, finding, lang),
        "reported": json_number(finding.reported),
        "computed": json_number(finding.computed),
        "difference": json_number(finding.difference),
        "blank_cells": list(finding.blank_cells),
        "caused_by": list(finding.caused_by),
        "location": finding.location,
        "position": finding.position,
        "accepted": dict(finding.accepted) if finding.accepted is not None else None,
    }


def report_json(report: Report, lang: str) -> dict:
    spec = report.spec
    return {
        "source": report.source,
        "spec": spec.id,
        "version": spec.version,
        "selected_by": report.selected_by,
        "valid": report.valid,
        "report": {k: json_number(v) for k, v in report.metadata.items()},
        "counts": {s: report.count(s) for s in ("error", "warning", "info")},
        "not_reported": list(report.not_reported),
        "findings": [finding_json(spec, f, lang) for f in report.findings],
    }


def unreadable_json(item: Unreadable) -> dict:
    error = item.error
    return {"source": item.source, "valid": None,
            "error": {"message": error.message, "line": error.line, "column": error.column, "key": error.key,
                      "exit_code": error.exit_code}}


@dataclass
class Summary:
    """Counts over a batch: reports read, valid, invalid, unreadable, and reports breaking each rule."""

    reports: int = 0
    valid: int = 0
    invalid: int = 0
    unreadable: int = 0
    rules: Counter = field(default_factory=Counter)
    across: Counter = field(default_factory=Counter)  # severities of findings across reports; "lone" reports

    accepted: int = 0
    stale: int = 0

    def add_across(self, items) -> None:
        lone = set()
        for item in items:
            if item.finding.code == "no-previous-report":
                lone.add(item.source)
            elif item.finding.accepted is not None:
                self.accepted += 1
            else:
                self.across[item.finding.severity] += 1
                if item.finding.code == "rule-violated":
                    self.rules[item.finding.rule] += 1
        self.across["lone"] = len(lone)

    @property
    def failed(self) -> bool:
        """An error anywhere: in a report, or across reports."""
        return bool(self.invalid or self.across.get("error"))

    def add(self, result) -> None:
        self.reports += 1
        if isinstance(result, Unreadable):
            self.unreadable += 1
            return
        if result.valid:
            self.valid += 1
        else:
            self.invalid += 1
        self.accepted += sum(1 for f in result.findings if f.accepted is not None)
        for rule in {f.rule for f in result.findings if f.code == "rule-violated" and f.accepted is None}:
            self.rules[rule] += 1

    def as_json(self) -> dict:
        return {"reports": self.reports, "valid": self.valid, "invalid": self.invalid,
                "unreadable": self.unreadable, "rules": dict(sorted(self.rules.items(), key=lambda kv: (-kv[1], kv[0]))),
                "across": {"error": self.across.get("error", 0), "warning": self.across.get("warning", 0),
                           "info": self.across.get("info", 0),
                           "without_previous_year": self.across.get("lone", 0)},
                "accepted": self.accepted, "stale_exceptions": self.stale}


def across_json(item, lang: str) -> dict:
    return {"body": item.body, "year": item.year, "source": item.source, "previous_source": item.previous_source,
            **finding_json(item.spec, item.finding, lang)}


def stale_json(entry) -> dict:
    return {"code": "stale-exception", "severity": "warning", "rule": entry.rule, "year": entry.year,
            "body": entry.body, "entry": entry.where, "reason": entry.reason}


def write_json(results: Iterable, out: TextIO, lang: str = "zh", across=None, stale=None) -> Summary:
    """Stream one JSON document: ``{"govspec_report": 1, "lang", "reports": [...], "across_reports": [...],
    "summary": {...}}``; ``across`` is called once the reports are written."""
    summary = Summary()
    out.write(f'{{"govspec_report": {REPORT_FORMAT_VERSION}, "lang": "{lang}", "reports": [')
    for index, result in enumerate(results):
        summary.add(result)
        data = unreadable_json(result) if isinstance(result, Unreadable) else report_json(result, lang)
        out.write(("," if index else "") + "\n  " + _dumps(data))
    items = across() if across else []
    summary.add_across(items)  # reports without the year before: counted in the summary, not listed
    out.write("\n], \"across_reports\": [")
    out.write(",".join("\n  " + _dumps(across_json(item, lang)) for item in items
                       if item.finding.code != "no-previous-report"))
    entries = stale() if stale else []
    summary.stale = len(entries)
    out.write("\n], \"stale_exceptions\": [")
    out.write(",".join("\n  " + _dumps(stale_json(entry)) for entry in entries))
    out.write("\n], \"summary\": " + json.dumps(summary.as_json(), ensure_ascii=False) + "}\n")
    return summary




CSV_COLUMNS = ("source", "spec", "version", "agency", "year", "valid", "code", "severity", "rule", "check",
               "cells", "reported", "computed", "difference", "message", "position")


def write_csv(results: Iterable, out: TextIO, lang: str = "zh", across=None, stale=None) -> Summary:
    """One line per finding (and per unreadable input, code ``unreadable``), for Excel."""
    summary = Summary()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for result in results:
        summary.add(result)
        if isinstance(result, Unreadable):
            writer.writerow([result.source, "", "", "", "", "", "unreadable", "error", "", "", "", "", "", "",
                             str(result.error), ""])
            continue
        meta = result.metadata
        head = [result.source, result.spec.id, result.spec.version, meta.get("agency") or "",
                meta.get("year") or "", "true" if result.valid else "false"]
        for finding in result.findings:
            writer.writerow(head + [finding.code, finding.severity, finding.rule or "", finding.check or "",
                                    " ".join(finding.cells), number_text(finding.reported),
                                    number_text(finding.computed), number_text(finding.difference),
                                    message(finding, lang) + _accepted_note(finding, lang),
                                    finding.position or finding.location or ""])
    items = across() if across else []
    summary.add_across(items)
    for item in items:
        f = item.finding
        if f.code == "no-previous-report":
            continue
        writer.writerow([f"{item.source} ← {item.previous_source}", item.spec.id, item.spec.version, "",
                         item.year, "", f.code, f.severity, f.rule or "", f.check or "", " ".join(f.cells),
                         number_text(f.reported), number_text(f.computed), number_text(f.difference),
                         message(f, lang) + _accepted_note(f, lang), ""])
    entries = stale() if stale else []
    summary.stale = len(entries)
    for entry in entries:
        writer.writerow([entry.where, "", "", entry.body, entry.year, "", "stale-exception", "warning", entry.rule,
                         "", "", "", "", "", WORDS[lang]["stale"], ""])
    return summary


def _accepted_note(finding: Finding, lang: str) -> str:
    if finding.accepted is None:
        return ""
    a = finding.accepted
    return f" [{WORDS[lang]['accepted']}: {a['reason']} — {a['reviewer']}, {a['date']}]"


# --- text ---------------------------------------------------------------------------------

def _table_key(spec: CompiledSpec, finding: Finding):
    cell_id = finding.cells[0] if finding.cells else None
    if cell_id is None and finding.location and finding.location.startswith("tables."):
        table_id = finding.location.split(".")[1]
        return table_id if table_id in {t.id for t in spec.spec.tables} else None
    return _cell(spec, cell_id)[0].table.id if cell_id else None


def _table_title(spec: CompiledSpec, table_id: str | None, lang: str) -> str:
    if table_id is None:
        return WORDS[lang]["report"]
    table = spec.spec.table(table_id)
    section = next((s for s in spec.spec.sections if s.id == table.section), None)
    if section:
        return section.label if lang == "zh" else section.en
    return table.label if lang == "zh" else table.en


def render_report_text(report: Report, lang: str = "zh") -> list[str]:
    w = WORDS[lang]
    spec = report.spec
    meta = report.metadata
    who = " · ".join(str(x) for x in (meta.get("agency"), meta.get("year")) if x)
    lines = [f"{report.source} — {spec.spec.ref}" + (f" · {who}" if who else "")]
    verdict = w["valid"] if report.valid else w["invalid"]
    counts = w["sep"].join(f"{w[s]} {report.count(s)}" for s in ("error", "warning", "info"))
    lines.append(f"  {w['verdict']}: {verdict} ({counts}); {w['not_reported']}: "
                 f"{len(report.not_reported)}/{len(spec.cells)}")
    groups: dict = {}
    for finding in report.findings:
        groups.setdefault(_table_key(spec, finding), []).append(finding)
    for table_id, findings in groups.items():
        lines.append(f"  {_table_title(spec, table_id, lang)}")
        for finding in findings:
            lines.extend(_finding_lines(spec, finding, lang))
    return lines


def _finding_lines(spec: CompiledSpec, finding: Finding, lang: str) -> list[str]:
    w = WORDS[lang]
    mark = {"error": "✗", "warning": "!", "info": "·"}[finding.severity]
    head = f"    {mark} {w[finding.severity]} [{finding.code}]"
    if finding.check:
        head += f" {finding.check}"
    lines = [head, f"      {message(finding, lang)}"]
    if finding.code == "rule-not-checkable":
        labels = ", ".join(short_label(spec, c, lang) for c in finding.cells[:6])
        more = f" … (+{len(finding.cells) - 6})" if len(finding.cells) > 6 else ""
        return [f"    {mark} {w['info']} [{finding.code}] {finding.check}: {labels}{more}"]
    equation = equation_text(spec, finding, lang)
    if equation:
        lines.append(f"      {equation}")
    if finding.difference is not None and finding.difference != 0:
        lines.append(f"      {w['difference']}: {number_text(finding.difference)}")
    if finding.blank_cells:
        labels = ", ".join(short_label(spec, c, lang) for c in finding.blank_cells)
        lines.append(f"      {w['blank_cells']}: {labels}")
    if finding.caused_by:
        lines.append(f"      {w['caused_by']}: {', '.join(finding.caused_by)}")
    if finding.accepted is not None:
        a = finding.accepted
        lines[0] = lines[0].replace(f"{mark} ", "✓ ", 1) + f" ({w['accepted']})"
        lines.append(f"      {w['accepted']}: {a['reason']} — {a['reviewer']}, {a['date']} ({a['entry']})")
    if finding.position:
        lines.append(f"      @ {finding.position}")
    elif finding.location and not finding.rule:
        lines.append(f"      @ {finding.location}")
    return lines


def summary_text(summary: Summary, lang: str = "zh") -> str:
    w = WORDS[lang]
    lines = [f"{w['summary']}: {summary.reports} {w['reports']}{w['sep']}{w['valid']} {summary.valid}{w['sep']}"
             f"{w['invalid']} {summary.invalid}{w['sep']}{w['unreadable']} {summary.unreadable}"]
    for rule, count in sorted(summary.rules.items(), key=lambda kv: (-kv[1], kv[0])):
        lines.append(f"  {rule}: {count}")
    if summary.across.get("lone"):
        lines.append(w["lone"].format(n=summary.across["lone"]))
    if summary.accepted or summary.stale:
        lines.append(w["accepted_count"].format(accepted=summary.accepted, stale=summary.stale))
    return "\n".join(lines) + "\n"


def write_text(results: Iterable, out: TextIO, lang: str = "zh", across=None, stale=None) -> Summary:
    w = WORDS[lang]
    summary = Summary()
    for result in results:
        summary.add(result)
        if isinstance(result, Unreadable):
            lines = [f"{result.source} — {w['unreadable']}", f"  {result.error}"]
        else:
            lines = render_report_text(result, lang)
        out.write("\n".join(lines) + "\n\n")
    items = across() if across else []
    summary.add_across(items)
    shown = [item for item in items if item.finding.code != "no-previous-report"]
    if shown:
        out.write(w["across"] + "\n")
        for item in shown:
            out.write(f"  {item.source} ← {item.previous_source}\n")
            out.write("\n".join(_finding_lines(item.spec, item.finding, lang)) + "\n")
        out.write("\n")
    entries = stale() if stale else []
    summary.stale = len(entries)
    if entries:
        out.write(w["stale_title"] + "\n")
        for entry in entries:
            out.write(f"    ! {w['warning']} [stale-exception] {entry.where}: {entry.rule} · {entry.year} — "
                      f"{w['stale']}\n")
        out.write("\n")
    if summary.reports > 1 or entries or summary.accepted:
        out.write(summary_text(summary, lang))
    return summary
