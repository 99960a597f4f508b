"""The JSON report for programs: one versioned document (``govspec_report: 1``, docs/cli.md), streamed."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import TYPE_CHECKING, TextIO

import orjson

from govspec.check.written import Entries, write_texts
from govspec.findings import Finding, finding_dict, json_value
from govspec.io.instance import Unreadable
from govspec.present.summary import Summary
from govspec.present.wording import equation_text, labels_json
from govspec.spec.compiler import CompiledSpec

if TYPE_CHECKING:  # a type only: check.report calls this module (Report.to_dict)
    from govspec.check.report import Report


def _dumps(data) -> str:
    try:
        return orjson.dumps(data).decode("utf-8")
    except TypeError:  # an integer beyond 64 bits: the standard library writes it exactly
        return json.dumps(data, ensure_ascii=False)


REPORT_FORMAT_VERSION = 2  # 2: verdict, not_evaluated; findings across reports inside the report they judge


def finding_json(spec: CompiledSpec, finding: Finding, lang: str) -> dict:
    """A finding as the JSON report shows it, with what needs the spec, in the documented order (cells, labels,
    message, equation, numbers)."""
    return finding_dict(finding, lang, ([labels_json(spec, c, lang) for c in finding.cells],
                                        equation_text(spec, finding, lang)))


def report_json(report: Report, lang: str) -> dict:
    spec = report.spec
    return {
        "source": report.source,
        "spec": spec.id,
        "version": spec.version,
        "selected_by": report.selected_by,
        "verdict": report.verdict,
        "valid": report.valid,  # verdict == "passed"
        "not_evaluated": report.not_evaluated,
        "report": json_value(dict(report.metadata)),  # any JSON a report gives of itself: amounts exact
        "counts": severities(report.findings),
        "not_reported": list(report.not_reported),
        "unseen": list(report.unseen),  # of those, the cells the published source did not show (not read, not placed)
        "findings": [finding_json(spec, f, lang) for f in report.findings],
    }


def severities(findings) -> dict[str, int]:
    """How many findings of each severity (``count(severity)`` of each, in one pass)."""
    counts = dict.fromkeys(("error", "warning", "info"), 0)
    for finding in findings:
        if finding.severity in counts:
            counts[finding.severity] += 1
    return counts


def entry_json(report: Report, lang: str) -> str:
    """The report's entry in the JSON report, as text (rendered once: :meth:`Report.rendered`)."""
    return report.rendered(("json", lang), lambda r: _dumps(report_json(r, lang)))


def unreadable_json(item: Unreadable, lang: str = "zh") -> dict:
    error = item.error
    message = error.zh if lang == "zh" and error.zh else error.message
    return {"source": item.source, "verdict": "unreadable", "valid": None,
            "error": {"message": message, "line": error.line, "column": error.column, "key": error.key,
                      "exit_code": error.exit_code}}


def stale_json(entry) -> dict:
    return {"code": "stale-exception", "severity": "warning", "rule": entry.rule, "year": entry.year,
            "body": entry.body, "entry": entry.where, "reason": entry.reason}


def write_json(results: Iterable, out: TextIO, lang: str = "zh", lone=None, stale=None) -> Summary:
    """Stream one JSON document: ``{"govspec_report": 2, "lang", "reports": [...], "stale_exceptions": [...],
    "summary": {...}}``; ``lone()`` (reports without the year before) is called once the reports are written."""
    summary = Summary()
    out.write(f'{{"govspec_report": {REPORT_FORMAT_VERSION}, "lang": "{lang}", "reports": [')
    after = ""  # what comes before an entry: a comma, but before the first
    for result in results:
        if type(result) is Entries:  # entries a worker process wrote (govspec.check.written), in UTF-8
            summary.add_entries(result)
            write_texts(out, result.texts, ",\n  ", after + "\n  ")
        else:
            summary.add(result)
            text = _dumps(unreadable_json(result, lang)) if isinstance(result, Unreadable) else entry_json(result, lang)
            out.write(after + "\n  " + text)
        after = ","
    summary.without_previous = lone() if lone else 0  # counted in the summary, not listed
    entries = stale() if stale else []
    summary.stale = len(entries)
    out.write("\n], \"stale_exceptions\": [")
    out.write(",".join("\n  " + _dumps(stale_json(entry)) for entry in entries))
    out.write("\n], \"summary\": " + json.dumps(summary.as_json(), ensure_ascii=False) + "}\n")
    return summary
