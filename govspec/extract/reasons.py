"""Why a value was left out, and where it was, in both languages (the reader's words, one place).

Extraction leaves out what it cannot place with certainty (never guessing); each reason here is said in
English (``reason`` in ``govspec extract`` output, stable) and in Chinese (``reason_zh``; the findings'
messages under ``--lang zh``).  Provenance (``page 4 table 2 row 3 col 5``) is written in English by the
readers and said in Chinese by :func:`where_zh`.
"""

from __future__ import annotations

import re

# The command that converts a file govspec does not read into one it reads (said with the file's name).
CONVERT = "soffice --headless --convert-to {to} {name}   (LibreOffice; or save it as {to} in WPS or Word/Excel)"

UNREADABLE = ("the cell's text runs over its edges (clipped or overflowing): it cannot be read with certainty",
              "单元格文字超出边界（被裁切或溢出）：无法确定地读取")
UNCALCULATED = ("the cell holds a formula that the program which wrote the file did not calculate, so the file does "
                "not keep its result: the value it shows cannot be read",
                "此单元格为公式，生成文件的程序未作计算，文件中没有其结果：无法读取其显示的数值")
UNKNOWN_ROW = ("a row with values whose label is not a row of the template (clipped, misprinted, or of another "
               "table): its values cannot be tied to a row",
               "此行有数值，但其标签不是模板中的行（被裁切、印错或属于其他表格）：数值无法对应到行")
SCANNED_PAGE = ("the page is a scanned image: its text was recognised by OCR, not written, and is not read (its cells "
                "are not seen)", "此页为扫描图像：其文字由 OCR 识别而非原文，不予读取（其中单元格视为未见）")
HIDDEN_CELL = ("the cell is in a hidden row or column: it is not shown, and not read",
               "此单元格所在的行或列被隐藏：不显示，不予读取")
INVISIBLE_CELL = ("the cell's content is hidden by the page's style (visibility: hidden, or fully transparent): the "
                  "cell is shown empty, and its content is not read",
                  "此单元格的内容被网页样式隐藏（visibility: hidden 或完全透明）：单元格显示为空，其内容不予读取")
PICTURE_CELL = ("the cell shows a picture and no text (a number drawn as an image, a snippet pasted in): what it shows "
                "is not read, and it is no blank",
                "此单元格显示的是图片而非文字（以图片显示的数字、粘贴的截图）：其内容不予读取，也不视为空白")
HIDDEN_SHEET = ("the sheet is hidden in the workbook: it is not shown, and not read; unhide it if it is part of the "
                "report", "此工作表在工作簿中被隐藏：不显示，不予读取；如属报告内容，请取消隐藏")
HIDDEN_ROW = ("the row is hidden in the sheet: it is not shown, and not read; unhide it if it is part of the report",
              "此行在工作表中被隐藏：不显示，不予读取；如属报告内容，请取消隐藏")
HIDDEN_COLUMN = ("the column is hidden in the sheet: it is not shown, and not read; unhide it if it is part of the "
                 "report", "此列在工作表中被隐藏：不显示，不予读取；如属报告内容，请取消隐藏")
RUN_TOGETHER = ("the row's values are run together with its label and each other, with nothing between the "
                "cells: they cannot be split without guessing",
                "此行的数值与标签及彼此连在一起，单元格之间没有分隔：不猜测就无法拆分")


def first(reason: tuple[str, str]) -> tuple[str, str]:
    """Why a row label's text is withheld (``reason``), and so the values after it too."""
    return reason[0] + "; the values after it cannot be tied to a row", reason[1] + "；其后的数值无法对应到行"


def whole_row(reason: tuple[str, str]) -> tuple[str, str]:
    """Why the one cell of a table's row — its label and values together — is withheld (``reason``)."""
    return reason[0] + "; it is the whole row, label and any values", reason[1] + "；该单元格即整行（标签及其数值）"


def outside_block(block: str | None) -> tuple[str, str]:
    return f"row label outside its block {block}", f"行标签不在其所属部分“{block}”内"


BEFORE_HEADING = ("a row before the heading of its section, or of the report's body, which the text shows further on (a "
                  "page's navigation, a list of contents, prose): not the section's table",
                  "此行位于其所属部分或报告正文的标题之前（该标题在后文出现；网页导航、目录或正文）：不属于该部分的表格")


def too_few_values(found: int, n: int) -> tuple[str, str]:
    return (f"{found} values before the next label where {n} are expected: a blank cell cannot be placed",
            f"下一个标签前只有 {found} 个数值，应有 {n} 个：无法确定空白单元格的位置")


COLUMNS_CUT = ("the table's header lacks its last column: printed wider than its page and cut at the edge, its values "
               "cannot be tied to the columns (the last may be cut short)",
               "表头缺少最后一列：表格宽于页面、在页边被截断，数值无法对应到列（最后一列的数可能被截短）")
TEXT_AFTER_VALUES = ("the row's values are followed on its line by text that is no part of its groups' labels: whether "
                     "the text is a cell of the row, and which, cannot be told",
                     "此行数值之后还有文字，且不是其所属分组标签的一部分：无法确定这段文字是否为本行的单元格、是哪一格")
WRAPPED_BELOW = ("the line under the row holds a few more values and no label: digits of a number its cell wrapped "
                 "(in text laid out as the page is), of which cell cannot be told",
                 "此行下一行还有少量数值且没有标签：应是单元格内折行的数字（按版面排列的文本），无法确定属于哪个单元格")


def too_many_values(n: int) -> tuple[str, str]:
    return (f"more values before the next label than the row's {n} cells (a table set down column by column, as some "
            "PDF text is): which of them are this row's cannot be told",
            f"下一个标签前的数值多于此行的 {n} 个单元格（表格被逐列输出，部分 PDF 文本如此）：无法确定哪些属于此行")


def cells_in_row(found: int, n: int) -> tuple[str, str]:
    return f"{found} cells in the row where {n} are expected", f"此行有 {found} 个单元格，应有 {n} 个"


def not_a_value(cell_id: str) -> tuple[str, str]:
    return f"not a value for {cell_id}", f"不是 {cell_id} 的有效取值"


def shown_twice(cell_id: str, text: str, where: str) -> tuple[str, str]:
    return (f"{cell_id} is shown twice with different values ({text!r} at {where}): two conflicting copies of "
            "the table; neither is taken",
            f"{cell_id} 出现两次且数值不同（{text!r}，位于{where_zh(where)}）：表格有两个相互矛盾的副本，均不采用")


def review_row(n: int) -> tuple[str, str]:
    return (f"the value row of section 四 does not have {n} placeable cells",
            f"第四部分的数值行没有 {n} 个可定位的单元格")


_WHERE = (
    (re.compile(r"\bpage (\d+) line at (\d+)"), r"第\1页（距页底 \2 点的文字行）"),
    (re.compile(r"\bpage (\d+)"), r"第\1页"),
    (re.compile(r"\btable (\d+)"), r"表\1"),
    (re.compile(r"\brow (\d+)"), r"第\1行"),
    (re.compile(r"\bcol (\d+)"), r"第\1列"),
    (re.compile(r"\bline (\d+)"), r"第\1行"),
    (re.compile(r"^sheet (.+) ([A-Z]+\d+)$"), r"工作表“\1”\2单元格"),
)


def where_zh(where: str) -> str:
    """``page 4 table 2 row 3 col 5`` → ``第4页 表2 第3行 第5列``; ``sheet 年报 J23`` → ``工作表“年报”J23单元格``."""
    for pattern, replacement in _WHERE:
        where = pattern.sub(replacement, where)
    return where


def both(where: str) -> dict:
    """A provenance for a finding's parameters: its text in each language."""
    return {"zh": where_zh(where), "en": where}
