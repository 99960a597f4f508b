"""An Excel workbook of a report's tables as the template prints them, for agencies to fill in Excel or WPS.

One sheet, laid out as the official tables: section headings, the blocks of section 二, header rows with
merged column groups, row groups merged down the stub, one value cell per cell of the spec.  Each value
cell accepts only what its type allows (counts: whole numbers ≥ 0; signed counts: whole numbers; money:
decimals ≥ 0 in the column's unit).  Below each table, every identity of the spec is a live check: a
formula that shows ✓ while it holds and a red ✗ when it breaks, so an agency sees a broken 勾稽关系 while
typing.  ``govspec validate`` reads the workbook back to the same report (the check rows hold no values
and name no row, so extraction passes them over).
"""

from __future__ import annotations

import io
from decimal import Decimal

from govspec.io.values import spreadsheet_safe, xml_safe
from govspec.present.layout import layout
from govspec.present.wording import date_words
from govspec.rules.linear import Linear
from govspec.spec.compiler import CompiledSpec

EXACT_DIGITS = 15  # Excel keeps 15 significant digits: longer numbers are written as text, kept exact


def _openpyxl():
    try:
        import openpyxl
    except ImportError:  # pragma: no cover - a dependency of the default install
        raise RuntimeError("writing Excel files needs openpyxl: pip install openpyxl") from None
    return openpyxl


def report_workbook(spec: CompiledSpec, document: dict) -> bytes:
    """The workbook (.xlsx bytes) of ``document``'s tables; blank cells stay empty."""
    openpyxl = _openpyxl()
    from openpyxl.formatting.rule import CellIsRule
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.worksheet.datavalidation import DataValidation

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "年报统计表"
    bold, center = Font(bold=True), Alignment(horizontal="center", vertical="center", wrap_text=True)
    report_meta = document.get("report") or {}
    title = _title(report_meta)
    sheet.append([_cell_text(title)])
    sheet.cell(1, 1).font = Font(bold=True, size=14)
    where: dict[str, str] = {}  # cell id -> A1 reference
    kinds = {"count": DataValidation(type="whole", operator="greaterThanOrEqual", formula1="0", allow_blank=True),
             "signed_count": DataValidation(type="whole", operator="between", formula1="-999999999999",
                                            formula2="999999999999", allow_blank=True),
             "money": DataValidation(type="decimal", operator="greaterThanOrEqual", formula1="0", allow_blank=True)}
    for rule in kinds.values():
        rule.error = "请填写符合本列要求的数字（件数为不小于0的整数；金额为不小于0的数）"
        rule.errorTitle = "数值不符合要求"
        sheet.add_data_validation(rule)
    tables = document.get("tables") or {}
    for table in layout(spec):
        sheet.append([_cell_text(table.title)])
        sheet.cell(sheet.max_row, 1).font = bold
        top = sheet.max_row + 1
        for offset, row in enumerate(table.rows):
            r = top + offset
            for cell in row:
                target = sheet.cell(r, cell.column + 1)
                if cell.kind == "value" and cell.cell_id is not None:
                    t, row_id, column_id = cell.cell_id.split(".")
                    target.value = _excel((tables.get(t) or {}).get(row_id, {}).get(column_id))
                    where[cell.cell_id] = target.coordinate
                    kinds[spec.cell_index[cell.cell_id].type].add(target)
                    continue
                target.value = _cell_text(cell.text)
                target.alignment = center
                if cell.colspan > 1 or cell.rowspan > 1:
                    sheet.merge_cells(start_row=r, start_column=cell.column + 1, end_row=r + cell.rowspan - 1,
                                      end_column=cell.column + cell.colspan)
        _checks(sheet, spec, table.table_id, where, CellIsRule, PatternFill, Font)
    date = date_words(report_meta)
    if date:
        sheet.append([])
        sheet.append([date])
    sheet.column_dimensions["A"].width = 30
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _title(meta: dict) -> str:
    agency, year = meta.get("agency"), meta.get("year")
    if isinstance(agency, str) and agency.strip() and isinstance(year, int):
        return f"{agency.strip()}{year}年度政府信息公开工作年度报告"
    return "（机关名称）（年份）年度政府信息公开工作年度报告"  # the agency writes its own title here


def _checks(sheet, spec: CompiledSpec, table_id: str, where: dict, CellIsRule, PatternFill, Font) -> None:
    """Every identity of the table as a live check: ✓ while it holds, a red ✗ when it breaks."""
    rows = []
    for check in spec.checks:
        comparison = check.comparison
        if comparison is None or not check.cells or check.cells[0].split(".")[0] != table_id:
            continue
        if any(c not in where for c in check.cells):
            continue
        left, right = _formula(comparison.left, where), _formula(comparison.right, where)
        tolerance = check.rule.decl.tolerance
        test = {"==": f"ABS(({left})-({right}))<={tolerance}", "!=": f"ABS(({left})-({right}))>{tolerance}",
                "<=": f"({left})<=({right})+{tolerance}", ">=": f"({left})>=({right})-{tolerance}",
                "<": f"({left})<({right})", ">": f"({left})>({right})"}[comparison.op]
        title = check.rule.decl.title.get("zh") or check.rule.id
        binding = f"（{_binding_label(spec, check)}）" if check.binding else ""
        rows.append((f"勾稽关系检查：{title}{binding}", f'=IF({test},"✓","✗")'))
    if not rows:
        return
    sheet.append([])
    first = sheet.max_row + 1
    for text, formula in rows:
        sheet.append([text, formula])
    red = PatternFill(start_color="F8D0D0", end_color="F8D0D0", fill_type="solid")
    sheet.conditional_formatting.add(f"B{first}:B{sheet.max_row}", CellIsRule(
        operator="equal", formula=['"✗"'], fill=red, font=Font(bold=True, color="C00000")))


def _binding_label(spec: CompiledSpec, check) -> str:
    for cell_id in check.cells:
        cell = spec.cell_index.get(cell_id)
        if cell is not None:
            return cell.column.label if check.axis == "columns" else (cell.row.label or check.binding)
    return check.binding or ""


def _formula(expression: Linear, where: dict) -> str:
    parts = []
    for term in expression.terms:
        weight = term.factor if term.sign == "+" else -term.factor
        if not term.cells:
            parts.append(f"({weight}*{term.number})")
            continue
        refs = ",".join(where[c] for c in term.cells)
        parts.append(f"({weight}*SUM({refs}))")
    return "+".join(parts) or "0"


def _cell_text(text):
    """Text for a cell of the workbook: never a live formula, never a character XML cannot hold."""
    return xml_safe(spreadsheet_safe(text)) if isinstance(text, str) else text


def _excel(value):
    """A value as Excel keeps it exactly: numbers as numbers, longer ones as text."""
    if value is None:
        return None
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int):
        return value if len(str(abs(value))) <= EXACT_DIGITS else str(value)
    if isinstance(value, Decimal):
        digits = len(value.as_tuple().digits)
        return float(value) if digits <= EXACT_DIGITS and Decimal(repr(float(value))) == value else format(value, "f")
    return value if isinstance(value, (int, float)) else _cell_text(str(value))
