"""The reporters: one per ``--format`` of ``govspec validate``.  Each takes the results of a batch (reports
and unreadable inputs, streamed), writes them, and returns the batch's :class:`Summary`."""

from __future__ import annotations

from govspec.present.csv_report import write_csv
from govspec.present.json_report import REPORT_FORMAT_VERSION, write_json
from govspec.present.summary import Summary
from govspec.present.text_report import write_text
from govspec.present.wording import equation_text

WRITERS = {"text": write_text, "json": write_json, "csv": write_csv}

__all__ = ["REPORT_FORMAT_VERSION", "Summary", "WRITERS", "equation_text", "write_csv", "write_json", "write_text"]
