"""Findings are values.  Each has a stable code from the catalogue below.

The catalogue keeps each code's title and message templates (zh and en) apart from the
facts of a finding (``params``), as cerberus keeps an error's facts apart from its wording.
``docs/finding-codes.md`` is generated from :data:`CODES` (``python -m govspec.tools.docgen``).
"""

from __future__ import annotations

import decimal
from collections.abc import Mapping
from dataclasses import field
from decimal import Decimal
from types import MappingProxyType

from govspec.io.values import EXACT
from govspec.records import record

Number = int | Decimal


@record
class Code:
    code: str
    severity: str  # default severity; rule findings take the rule's severity
    title: Mapping[str, str]
    template: Mapping[str, str]
    description: str
    scope: str = "report"  # "report": about one report; "batch": about inputs of a run; "spec": spec lint


SCOPES = {"report": "About a report", "batch": "About the inputs of a run", "spec": "About a spec file (`govspec spec lint`)"}


def _code(code, severity, title_zh, title_en, zh, en, description, scope="report") -> Code:
    return Code(code, severity, MappingProxyType({"zh": title_zh, "en": title_en}),
                MappingProxyType({"zh": zh, "en": en}), description, scope)


def _lint(code: str, severity: str, title_zh: str, title_en: str, description: str) -> Code:
    return _code(code, severity, title_zh, title_en, "{detail}", "{detail}", description, "spec")


CODES: Mapping[str, Code] = MappingProxyType({c.code: c for c in (
    _code("rule-violated", "error", "规则不成立", "Rule violated",
          "{rule_message}", "{rule_message}",
          "A rule of the spec does not hold. Severity is the rule's own. `reported` is the left side of "
          "the failing comparison, `computed` the right side, `difference` their difference."),
    _code("rule-not-checkable", "info", "规则无法检查", "Rule not checkable",
          "{rule_title}：因单元格未填报、取值无效或原文不可见，未检查",
          "{rule_title}: not checked because cells are blank, invalid or not visible in the source",
          "A rule whose blank policy is `skip` reads a cell that was not reported, or a rule reads a "
          "cell whose value is invalid. The cells are listed in `blank_cells` / `cells`."),
    _code("no-previous-report", "info", "缺少上一年度报告", "No report of the year before",
          "{rule_title}：批次中没有该机关 {missing_year} 年度的报告，无法检查",
          "{rule_title}: not checkable: the batch has no report of this body for {missing_year}",
          "A rule across reports (e.g. the carry-over chain) needs the same body's report of the year "
          "before, and the batch does not have it. Not checkable, not broken."),
    _code("previous-report-ambiguous", "info", "上一年度报告不唯一", "Report of the year before is ambiguous",
          "{rule_title}：批次中该机关 {missing_year} 年度有 {count} 份不同的报告，无法确定以哪一份为准（{sources}）",
          "{rule_title}: not checkable: the batch has {count} differing reports of this body for {missing_year} "
          "({sources})",
          "Two or more reports of the same body and year before differ, so the rules across reports cannot "
          "tell which one the carry-over refers to. Identical copies (the HTML page and its PDF) count as one. "
          "Not checkable, whatever the order of the inputs."),
    _code("previous-report-named-differently", "info", "上一年度报告的机关名称写法不同", "Year before under another name",
          "批次中有 {missing_year} 年度“{names}”的报告（{sources}），机关名称与本报告只是写法不同（前面的地名，或“人民政府”写作"
          "“政府”），未作为上一年度报告配对；如为同一机关，请在两份报告中注明相同的 report.agency_code",
          "the batch has a {missing_year} report of {names} ({sources}), a name written otherwise than this body's "
          "(the places before it, or 人民政府 as 政府): not paired as the year before; if it is the same body, give both "
          "reports the same report.agency_code",
          "A report without a report of its body for the year before, while the batch has one of a body whose name "
          "is this one's written another way: with or without the places before it, 人民政府 as 政府 (洪泽区人民政府, "
          "淮安市洪泽区人民政府, 洪泽区政府). They are not paired — districts of one name are in several cities — so the "
          "rules across reports stay not checkable; the same `report.agency_code` in both pairs them. A note, outside "
          "the verdict."),
    _code("duplicate-report", "warning", "同一年度有多份不同的报告", "Differing reports of one year",
          "该机关 {year} 年度还有 {count} 份内容不同的报告（{sources}）：请确认以哪一份为准",
          "this body has {count} other, differing report(s) for {year} ({sources}): which one stands?",
          "Two or more reports of the same body (agency code, or name) and year whose values differ: a "
          "correction published beside the original, or two bodies with one name. Each is checked on its own "
          "and against the year before; the year after cannot tell which one its carry-over continues "
          "(`previous-report-ambiguous`). Never an answer that depends on the order of the inputs."),
    _code("duplicate-copy", "info", "同一报告的副本", "Copy of the same report",
          "与 {sources} 内容相同（同一报告的另一份副本，如网页与 PDF）：按一份报告计",
          "the same values as {sources} (another copy of one report, such as its web page and its PDF): "
          "counted as one report",
          "Reports of the same body and year whose cells hold the same values. The rules across reports "
          "count them as one report."),
    _code("unknown-table", "error", "未知表格", "Unknown table",
          "规范中没有表格 {name}{suggestion}", "the spec has no table {name}{suggestion}",
          "A key under `tables` is not a table id of the spec."),
    _code("unknown-row", "error", "未知行", "Unknown row",
          "表格 {table} 中没有行 {name}{suggestion}", "table {table} has no row {name}{suggestion}",
          "A key under a table is not a row id of that table."),
    _code("unknown-column", "error", "未知列", "Unknown column",
          "行 {row} 中没有列 {name}{suggestion}", "row {row} has no column {name}{suggestion}",
          "A key under a row is not a column id of that row's block."),
    _code("not-an-object", "error", "结构错误", "Wrong shape",
          "{where} 应为对象（JSON object），实为{found}", "{where} must be an object (JSON object), found {found}",
          "A table or row in `tables` is not a JSON object."),
    _code("wrong-type", "error", "取值类型错误", "Wrong value type",
          "{label}：应为{expected}，实为 {found}", "{label}: expected {expected}, found {found}",
          "A cell's value is not of the cell's type: a string, a fraction or true/false where a count "
          "belongs, or something other than a number where an amount belongs. The rules that read the "
          "cell are not checked."),
    _code("negative-value", "error", "取值为负", "Negative value",
          "{label}：不能为负数，实为 {value}", "{label}: cannot be negative, found {value}",
          "A count or amount that cannot be negative is. Signed counts (2019 本年增/减) may be negative."),
    _code("value-converted", "info", "取值已换算", "Value converted",
          "{label}：“{text}”按 {value} {unit} 计", "{label}: '{text}' read as {value} {unit}",
          "A value written with another unit than its column's (`251000元` in a 万元 column) was converted "
          "exactly. Only text values (CSV, extracted reports) are converted; JSON values must be numbers."),
    _code("table-incomplete", "warning", "表格不完整", "Table incomplete",
          "原文中的表格“{table}”不完整（在{where}处中断）", "the table '{table_en}' stops part-way in the source (at {where})",
          "Extracted from a published report: the text stops inside this table (a cut-off page or excerpt). "
          "The cells before the cut are read; the others are not seen, and rules that need them are not "
          "checkable."),
    _code("value-not-placed", "warning", "数值无法定位", "Value not placed",
          "{where}：“{text}”未能确定所属单元格（{reason}）", "{where}: '{text}' could not be placed ({reason})",
          "Extracted from a published report: text near a row label that could not be assigned to cells with "
          "certainty (e.g. a row with a missing cell and no separators to show which). It is left out, never "
          "guessed; those cells are not seen. What a file holds but does not show as written is said the same way, "
          "with its reason: a scanned page's OCR text, a hidden sheet, row or column of a workbook, a formula whose "
          "result the file does not keep."),
    _code("variant-printed", "info", "按已知变体印出", "Printed as a known variant",
          "“{label}”按一行印出，各列为其下 {rows} 行之和，这些行未印出（{note}）",
          "'{label}' is printed as one row whose values are the sums of its {rows} rows, which are not printed "
          "({note_en})",
          "Extracted from a published report: the table prints a row group as one row, a variant the spec "
          "knows (`variants:` in the spec, e.g. the 2019-style `（六）其他处理` in a 2021 table). The printed "
          "values stand for the sums of the group's rows in the checks that read those rows only through their "
          "sum; the rows themselves are not seen, and the checks that read them apart are not checkable."),
    _code("read-by-content", "info", "按内容读取", "Read by its content",
          "{note}", "{note}",
          "The file's content contradicts its name (a PDF named .doc, an Excel file named .xls that is really "
          ".xlsx, …): govspec reads files by their content and says so."),
    _code("unknown-key", "warning", "未知字段", "Unknown key",
          "实例中有未知字段 {name}{suggestion}", "unknown key {name} in the instance{suggestion}",
          "The instance has a top-level or `report` key that the instance format does not define; it is ignored."),
    _code("metadata-invalid", "warning", "报告信息有误", "Invalid report metadata",
          "report.{name}：{problem}", "report.{name}: {problem}",
          "A field of `report` (agency, year, published) is missing or malformed."),
    _code("published-late", "warning", "发布逾期", "Published late",
          "{year} 年度报告于 {published} 发布，晚于 {deadline}（{rule}）", "the {year} report was published on "
          "{published}, after {deadline} ({rule_en})",
          "《政府信息公开条例》第四十九、五十条: departments publish by 31 January, governments' consolidated "
          "reports (report.kind \"government\") by 31 March, of the following year. Without report.kind only a "
          "publication after 31 March is reported."),
    _code("deadline-not-checked", "info", "发布期限未检查", "Deadline not checked",
          "未能完整检查发布期限：{reason}", "the publication deadline could not be fully checked: {reason}",
          "The report does not say enough to check the deadline of 《政府信息公开条例》第四十九、五十条: its "
          "publication date (`report.published`) or year is missing, or its kind (`report.kind`) is missing and it "
          "was published between 31 January and 31 March, late for a department, on time for a government. "
          "Not a fault of the report: what was not checked is said, never passed over."),
    _code("template-year-mismatch", "warning", "模板与年度不符", "Template does not govern the year",
          "{year} 年度报告适用的模板不是 {version} 版", "report year {year} is not governed by template {version}",
          "The instance names a template version that does not govern its report year (for example a "
          "2022 report in the 2019 format)."),
    _code("unreadable", "error", "无法读取", "Unreadable input",
          "{message}", "{message}",
          "An input could not be read (missing file, not UTF-8 or GB18030, invalid JSON or CSV, no spec can be "
          "chosen). The input has no verdict; the run exits with 3. In CSV output one line with this code.",
          "batch"),
    _code("stale-exception", "warning", "失效的例外", "Stale exception",
          "例外清单中的这一条没有匹配任何问题，请复核或删除", "this accepted exception matches no finding: review or remove it",
          "An entry of an `--accept` file matched no finding in this run: the report was corrected, or the "
          "entry is misspelt. Review it or remove it.", "batch"),
    _lint("spec-error", "error", "规范文件错误", "Spec file error",
          "The spec file cannot be read, is not safe YAML, or has a rule or reference that does not resolve."),
    _lint("meta-schema", "error", "不符合规范元模式", "Meta-schema violation",
          "The spec file breaks the spec meta-schema (a missing, misspelt or mistyped key)."),
    _lint("never-holds", "error", "规则不可能成立", "Rule can never hold",
          "An equality rule (or several together) cannot hold for any non-negative counts."),
    _lint("forces-zero", "error", "规则迫使取值为零", "Rule forces zeros",
          "An equality rule (or several together) holds only when every cell it reads is 0."),
    _lint("contradiction", "error", "规则相互矛盾", "Rules contradict",
          "No values satisfy these equality rules together (exact rational elimination)."),
    _lint("circular", "error", "循环定义", "Circular totals",
          "Totals defined by `cell == expression` rules form a cycle."),
    _lint("redundant", "info", "规则冗余", "Redundant rule",
          "An equality rule is implied by other rules; it adds no check (it may still help the messages)."),
    _lint("unconstrained-cell", "info", "单元格不受约束", "Unconstrained cells",
          "Signed cells read by no rule may hold any integer."),
    _lint("not-analysed", "info", "未作代数分析", "Not analysed",
          "The spec's equality rules are too many and too wide to analyse within lint's bounded cost; the "
          "algebraic checks (contradictions, impossible, forcing and redundant rules) stop there."),
    _lint("removed-rule", "info", "规则已删除", "Rule removed",
          "An extension removes a rule of its base (with the reason it gives), so that the removal is visible."),
)})

SEVERITY_ORDER = {"error": 0, "warning": 1, "info": 2}


# Findings, their equations and terms are frozen dataclasses with an ``__init__`` of their own that stores the
# fields straight into the instance's ``__dict__``: the generated one sets each field through
# ``object.__setattr__`` (it must, being frozen), three times slower, and explaining a broken report makes some
# twenty of these.  The parameters are the fields, in order, with the same defaults
# (``tests/test_findings.py`` checks it); everything else — equality, hashing, ``replace``, the refusal to
# change a field — is the dataclass's.


@record(init=False)
class Term:
    """One term of an equation in a finding: a cell, a sum of cells, or a number."""

    sign: str                   # "+" or "-"
    cells: tuple[str, ...]      # one cell, several for a sum, none for a number
    value: Number | None        # None when every cell is blank
    factor: Number = 1
    is_sum: bool = False
    parts: tuple = ()           # for a sum: the value of each cell (None when blank)

    def __init__(self, sign: str, cells: tuple[str, ...], value: Number | None, factor: Number = 1,
                 is_sum: bool = False, parts: tuple = ()) -> None:
        fields = self.__dict__
        fields["sign"], fields["cells"], fields["value"] = sign, cells, value
        fields["factor"], fields["is_sum"], fields["parts"] = factor, is_sum, parts


@record(init=False)
class Equation:
    left: tuple[Term, ...]
    op: str
    right: tuple[Term, ...]

    def __init__(self, left: tuple[Term, ...], op: str, right: tuple[Term, ...]) -> None:
        fields = self.__dict__
        fields["left"], fields["op"], fields["right"] = left, op, right


NO_PARAMS: Mapping = MappingProxyType({})


@record(init=False)
class Finding:
    code: str
    severity: str
    cells: tuple[str, ...] = ()
    rule: str | None = None
    binding: str | None = None
    reported: Number | None = None
    computed: Number | None = None
    blank_cells: tuple[str, ...] = ()
    caused_by: tuple[str, ...] = ()
    location: str | None = None
    position: str | None = None  # file:line:column where the value was read, when known
    equation: Equation | None = None
    params: Mapping = field(default_factory=lambda: NO_PARAMS)  # (a dataclass refuses it as a default)
    accepted: Mapping | None = None  # reviewed and accepted: reason, reviewer, date, entry (file:line)

    def __init__(self, code: str, severity: str, cells: tuple[str, ...] = (), rule: str | None = None,
                 binding: str | None = None, reported: Number | None = None, computed: Number | None = None,
                 blank_cells: tuple[str, ...] = (), caused_by: tuple[str, ...] = (), location: str | None = None,
                 position: str | None = None, equation: Equation | None = None, params: Mapping = NO_PARAMS,
                 accepted: Mapping | None = None) -> None:
        if code not in CODES:  # every code in the one catalogue (docs/finding-codes.md)
            raise ValueError(f"finding code {code!r} is not in govspec.findings.CODES")
        fields = self.__dict__
        fields["code"], fields["severity"], fields["cells"], fields["rule"] = code, severity, cells, rule
        fields["binding"], fields["reported"], fields["computed"] = binding, reported, computed
        fields["blank_cells"], fields["caused_by"], fields["location"] = blank_cells, caused_by, location
        fields["position"], fields["equation"], fields["params"] = position, equation, params
        fields["accepted"] = accepted

    @property
    def check(self) -> str | None:
        """The rule and what it was applied to, e.g. ``applications.balance[total]``."""
        if self.rule is None:
            return None
        return f"{self.rule}[{self.binding}]" if self.binding else self.rule

    @property
    def difference(self) -> Number | None:
        if self.reported is None or self.computed is None:
            return None
        with decimal.localcontext(EXACT):  # the default context rounds amounts to 28 digits
            return self.reported - self.computed

    @property
    def is_error(self) -> bool:
        """An error that counts: error severity and not accepted by a reviewer."""
        return self.severity == "error" and self.accepted is None

    def to_dict(self, lang: str = "zh") -> dict:
        """Plain JSON data (:func:`finding_dict`): the CLI's keys but ``labels`` and ``equation``, which need
        the spec — ``Report.to_dict()`` and ``Report.explain(finding)`` give those."""
        return finding_dict(self, lang)


def json_number(value):
    """Counts stay integers; amounts become decimal strings so no digit is lost."""
    if type(value) in _PLAIN:  # most values: no amount, so no need to ask
        return value
    if isinstance(value, Decimal):
        return format(value, "f")
    return value


def json_value(value):
    """Any value read from JSON (a report's own facts may be any) as JSON data: :func:`json_number` at any depth —
    as deep as a JSON parser nests (a list inside a fact, read through the ``json`` module, whose encoder does not
    use a Python frame a level)."""
    if isinstance(value, dict):
        return {key: _json_nested(item) for key, item in value.items()}
    return _json_nested(value)


_PLAIN = frozenset({str, int, type(None)})  # values that are neither amounts nor mappings (asked of each, fast)


def _json_nested(value):
    if type(value) in _PLAIN:
        return value
    if isinstance(value, (dict, list)):
        import json  # a fact holding a list or an object: seldom
        return json.loads(json.dumps(value, default=_decimal_text))
    return json_number(value)


def _decimal_text(value):
    if isinstance(value, Decimal):
        return format(value, "f")
    raise TypeError(f"{type(value).__name__} is not JSON")


def finding_dict(finding: Finding, lang: str = "zh", shown: tuple[list, str | None] | None = None) -> dict:
    """A finding as plain JSON data: the keys of a finding in ``govspec validate --format json`` but
    ``labels`` and ``equation``, which need the spec (``Report.to_dict()`` gives those too); ``shown``: those two,
    (labels, equation), put in their places — the CLI's whole finding."""
    data: dict = {
        "code": finding.code,
        "severity": finding.severity,
        "title": CODES[finding.code].title[lang],
        "rule": finding.rule,
        "check": finding.check,
        "binding": finding.binding,
        "cells": list(finding.cells),
    }
    if shown is not None:
        data["labels"] = shown[0]
    data["message"] = message(finding, lang)
    if shown is not None:
        data["equation"] = shown[1]
    data.update({
        "reported": json_number(finding.reported),
        "computed": json_number(finding.computed),
        "difference": json_number(finding.difference),
        "blank_cells": list(finding.blank_cells),
        "caused_by": list(finding.caused_by),
        "location": finding.location,
        "position": finding.position,
        "accepted": dict(finding.accepted) if finding.accepted is not None else None,
        "previous_source": finding.params.get("previous_source"),  # for a rule across reports
        "not_evaluated_because": finding.params.get("reason") if finding.code == "rule-not-checkable" else None,
    })
    return data


def message(finding: Finding, lang: str = "zh") -> str:
    """The finding's message in ``lang`` ("zh" or "en"), from its code's template."""
    template = CODES[finding.code].template[lang]
    params = {key: value if type(value) in _PLAIN else value[lang] if isinstance(value, Mapping) else value
              for key, value in finding.params.items()}
    return template.format(**params)
