"""The report's own facts in the text around the tables: agency and year from the title (on one line or
two), the date under the closing signature — recorded as ``report.dated``: the report's date, which is
not necessarily the day it was published (``report.published``, which only the publisher knows)."""

from __future__ import annotations

import re

from govspec.extract.tokens import UNKNOWN, Token
from govspec.io.chinese import simplified

_TITLE = re.compile(r"^\s*([^\s，。,、;；:：]{2,40}?)\s*(\d{4})\s*年(?:度)?(?:政府)?(?:信息公开|政务公开)")
_DATE = re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日")


def report_metadata(tokens: list[Token]) -> dict:
    report: dict = {}
    head = [t.text for t in tokens[:40] if t.text.strip()]
    # the title on one line, or over two (the body's name above "2024年…年度报告", as PDFs set it)
    candidates = [text for i, text in enumerate(head) for text in (text, text + (head[i + 1] if i + 1 < len(head) else ""))]
    for text in candidates:
        title = simplified(text).replace(" ", "").lstrip("#").strip("*")  # Markdown heading
        match = _TITLE.search(title)
        if match and len(title) <= 60 and "年度报告" in title:
            agency = match.group(1).strip("《》“”\"")
            if agency and not agency[0].isdigit() and UNKNOWN not in agency:  # a name is never read in part
                report.setdefault("agency", agency)
            report.setdefault("year", int(match.group(2)))
            break
    for token in reversed(tokens[-15:]):
        match = _DATE.fullmatch(token.text.replace(" ", ""))
        if match:
            # the date under the closing signature: the report's own date, not necessarily its publication
            report["dated"] = f"{int(match[1]):04d}-{int(match[2]):02d}-{int(match[3]):02d}"
            break
    return report

