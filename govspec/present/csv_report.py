"""The CSV report for Excel and WPS: one line per finding."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TextIO

from govspec.findings import message
from govspec.io.instance import Unreadable
from govspec.io.values import SafeCsv
from govspec.present.summary import Summary
from govspec.present.text_report import shown_as_passed
from govspec.present.wording import WORDS, number_text
from govspec.present.wording import accepted_note as _accepted_note

CSV_COLUMNS = ("source", "spec", "version", "agency", "year", "valid", "code", "severity", "rule", "check",
               "cells", "reported", "computed", "difference", "message", "position", "verdict", "not_evaluated")


def write_csv(results: Iterable, out: TextIO, lang: str = "zh", lone=None, stale=None, *,
              only_problems: bool = False) -> Summary:
    """One line per finding, one for a report without findings (its verdict), one per unreadable input
    (code ``unreadable``), for Excel.  Every line of a report carries its verdict.  ``only_problems``:
    reports that passed are left out."""
    summary = Summary()
    out.write("\ufeff")  # UTF-8 with a byte-order mark: Excel and WPS on Chinese Windows read it as UTF-8
    writer = SafeCsv(out)
    writer.writerow(CSV_COLUMNS)
    for result in results:
        summary.add(result)
        if only_problems and shown_as_passed(result):
            continue
        if isinstance(result, Unreadable):
            writer.writerow([result.source, "", "", "", "", "", "unreadable", "error", "", "", "", "", "", "",
                             result.error.text(lang), "", "unreadable", ""])
            continue
        meta = result.metadata
        head = [result.source, result.spec.id, result.spec.version, meta.get("agency") or "",
                meta.get("year") or "", "true" if result.valid else "false"]
        tail = [result.verdict, " ".join(f"{k}={n}" for k, n in result.not_evaluated.items())]
        if not result.findings:
            writer.writerow(head + [""] * 10 + tail)
        for finding in result.findings:
            where = finding.position or finding.location or finding.params.get("previous_source") or ""
            writer.writerow(head + [finding.code, finding.severity, finding.rule or "", finding.check or "",
                                    " ".join(finding.cells), number_text(finding.reported),
                                    number_text(finding.computed), number_text(finding.difference),
                                    message(finding, lang) + _accepted_note(finding, lang), where] + tail)
    summary.without_previous = lone() if lone else 0
    entries = stale() if stale else []
    summary.stale = len(entries)
    for entry in entries:
        writer.writerow([entry.where, "", "", entry.body, entry.year, "", "stale-exception", "warning", entry.rule,
                         "", "", "", "", "", WORDS[lang]["stale"], "", "", ""])
    return summary
