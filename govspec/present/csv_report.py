"""The CSV report for Excel and WPS: one line per finding."""

from __future__ import annotations

import csv
from collections.abc import Iterable
from typing import TextIO

from govspec.findings import message
from govspec.io.instance import Unreadable
from govspec.present.summary import Summary
from govspec.present.wording import WORDS, number_text
from govspec.present.wording import accepted_note as _accepted_note

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
