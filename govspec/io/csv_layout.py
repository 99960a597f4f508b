"""The columns of govspec's CSV files: the report fields, and the official label path of each cell as the
templates print it (``第二十条第（一）项 › 规章 › 本年制发件数``).  The writers lay files out with it; the
readers use it to read a CSV-wide file whose header is the row of labels."""

from __future__ import annotations

from govspec.spec.compiler import CompiledSpec

REPORT_COLUMNS = ("report.agency", "report.year", "report.published", "report.kind", "report.agency_code")
REPORT_LABELS = ("报告机关", "报告年度", "发布日期", "机关类型（department 部门 / government 政府）", "机关代码")


def cell_label(cell) -> str:
    """A cell's official zh label path, parts joined by ``›``."""
    p = cell.label_path("zh")
    return " › ".join(x for x in [p["block"], *p["row_groups"], p["row"], *p["column_groups"], p["column"]] if x)


def csv_wide_header(spec: CompiledSpec) -> list[str]:
    return ["spec", "version", *REPORT_COLUMNS, *(c.id for c in spec.cells)]


def csv_wide_labels(spec: CompiledSpec) -> list[str]:
    """The second header line: zh labels, starting with '#' so readers skip it."""
    return ["#规范", "模板版本", *REPORT_LABELS, *(cell_label(c) for c in spec.cells)]
