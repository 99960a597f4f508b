"""The words of govspec's output: severities and headings in Chinese and English, cell labels as a
finding shows them, numbers, and an equation with its numbers (``a (3) + b (1) ≠ c (5)``)."""

from __future__ import annotations

from functools import lru_cache

from govspec.findings import Finding, Term
from govspec.io.values import read_date, value_text
from govspec.spec.compiler import PREVIOUS, CompiledSpec

SUM_EXPAND_LIMIT = 7

WORDS = {
    "zh": {"error": "错误", "warning": "警告", "info": "提示", "valid": "通过", "invalid": "不通过",
           "blank": "空", "unreadable": "无法读取", "report": "报告信息", "difference": "差额（左边减右边）",
           "blank_cells": "未填报的单元格", "caused_by": "可能仅因以下问题而不成立", "not_reported": "未填报单元格",
           "unseen_cells": "原文中未读到的单元格",
           "year": "年度", "verdict": "结论", "summary": "合计", "reports": "份报告", "sep": "，",
           "across": "跨年度检查（同一机关相邻年度的报告）", "accepted": "已接受",
           "not_evaluated": "未检查的规则", "previous": "上一年度报告", "passed": "通过", "failed": "不通过",
           "incomplete": "未完成检查",
           "stale": "例外清单中的这一条没有匹配任何问题，请复核或删除", "stale_title": "例外清单",
           "accepted_count": "  已接受的问题 {accepted} 个；失效的例外 {stale} 条",
           "lone": "  另有 {n} 份报告在本批次中没有同一机关上一年度的报告，跨年度规则无法检查"},
    "en": {"error": "error", "warning": "warning", "info": "info", "valid": "valid", "invalid": "invalid",
           "blank": "blank", "unreadable": "unreadable", "report": "Report", "difference": "difference (left − right)",
           "blank_cells": "cells not reported", "caused_by": "may fail only because of", "not_reported": "cells not reported",
           "unseen_cells": "cells not read from the source",
           "year": "report year", "verdict": "verdict", "summary": "total", "reports": "reports", "sep": ", ",
           "across": "Checks across reports (the same body, consecutive years)", "accepted": "accepted",
           "not_evaluated": "checks not evaluated", "previous": "report of the year before", "passed": "passed",
           "failed": "failed", "incomplete": "incomplete",
           "stale": "this accepted exception matches no finding: review or remove it", "stale_title": "Exceptions",
           "accepted_count": "  accepted findings {accepted}; stale exceptions {stale}",
           "lone": "  {n} reports have no report of the same body for the year before: rules across reports not checkable"},
}


number_text = value_text





LAST_YEAR = {"zh": "上一年度·", "en": "last year: "}


def cell_of(spec: CompiledSpec, cell_id: str):
    """The cell behind an id, and whether it is read from the report of the year before."""
    previous = cell_id.startswith(PREVIOUS)
    return spec.cell(cell_id.removeprefix(PREVIOUS)), previous


def short_label(spec: CompiledSpec, cell_id: str, lang: str) -> str:
    cell, previous = cell_of(spec, cell_id)
    return (LAST_YEAR[lang] if previous else "") + cell.short_label(lang)


def labels_json(spec: CompiledSpec, cell_id: str, lang: str) -> dict:
    path = spec.label_path(cell_id.removeprefix(PREVIOUS), lang)
    return {**path, "previous_year": True} if cell_id.startswith(PREVIOUS) else path

@lru_cache(maxsize=8192)
def cell_label(spec: CompiledSpec, cell_id: str, axis: str | None, lang: str) -> str:
    """A cell's label in an equation: the part not fixed by what the rule was applied to (the same every time:
    kept, since a batch's findings ask for the same few labels again and again)."""
    cell, previous = cell_of(spec, cell_id)
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
    return _binding_label(spec, finding.cells[0], finding.rule, finding.binding, lang)


@lru_cache(maxsize=8192)
def _binding_label(spec: CompiledSpec, cell_id: str, rule: str | None, binding: str, lang: str) -> str:
    """The label of the row or column of ``cell_id``'s table that a rule applied to each was applied to (the same
    every time: kept, as :func:`cell_label` is)."""
    table = cell_of(spec, cell_id)[0].table
    if rule_axis(spec, rule) == "rows":
        block = table.block_of(binding)
        row = next(r for r in block.rows if r.id == binding)
        groups = block.group_path(block.row_groups, row.group)
        pick = (lambda x: x.label) if lang == "zh" else (lambda x: x.en)
        names = [pick(g) for g in groups[1:]] + [(row.label if lang == "zh" else row.en) or ""]
        return " ".join(n for n in names if n)
    block = table.blocks[0]
    column = next((c for c in block.columns if c.id == binding), None)
    return (column.label if lang == "zh" else column.en) if column else binding


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


def accepted_note(finding: Finding, lang: str) -> str:
    if finding.accepted is None:
        return ""
    a = finding.accepted
    return f" [{WORDS[lang]['accepted']}: {a['reason']} — {a['reviewer']}, {a['date']}]"


def date_words(metadata) -> str:
    """The publication date as reports print it under the signature (``2022年1月20日``), from any form govspec
    reads as a date (``2022-01-20``, ``2022/1/20``, ``2022年1月20日``, …), else the report's own date (``dated``);
    "" when neither is one."""
    date = read_date(metadata.get("published")) or read_date(metadata.get("dated"))
    return f"{date.year}年{date.month}月{date.day}日" if date is not None else ""
