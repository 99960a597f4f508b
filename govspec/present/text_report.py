"""The text report for people: each report's verdict and findings with labels and numbers, then a summary."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, TextIO

from govspec.check.verdict import NO_VALUES, PASSED
from govspec.check.verdict import WORDS as VERDICT_WORDS
from govspec.check.written import Entries, write_texts
from govspec.findings import Finding, message
from govspec.io.instance import Unreadable
from govspec.patterns import LazyPattern
from govspec.present.summary import Summary
from govspec.present.wording import WORDS, cell_of, equation_text, number_text, short_label
from govspec.spec.compiler import CompiledSpec

if TYPE_CHECKING:  # a type only: check.report calls this module (Report.explain)
    from govspec.check.report import Report


def _table_key(spec: CompiledSpec, finding: Finding):
    cell_id = finding.cells[0] if finding.cells else None
    if cell_id is None and finding.location and finding.location.startswith("tables."):
        table_id = finding.location.split(".")[1]
        return table_id if table_id in {t.id for t in spec.spec.tables} else None
    return cell_of(spec, cell_id)[0].table.id if cell_id else None


def _table_title(spec: CompiledSpec, table_id: str | None, lang: str) -> str:
    if table_id is None:
        return WORDS[lang]["report"]
    table = spec.spec.table(table_id)
    section = next((s for s in spec.spec.sections if s.id == table.section), None)
    if section:
        return section.label if lang == "zh" else section.en
    return table.label if lang == "zh" else table.en


def render_report_text(report: Report, lang: str = "zh") -> list[str]:
    w = WORDS[lang]
    spec = report.spec
    meta = report.metadata
    who = " · ".join(str(x) for x in (meta.get("agency"), meta.get("year")) if x)
    lines = [f"{report.source} — {spec.spec.ref}" + (f" · {who}" if who else "")]
    counts = w["sep"].join(f"{w[s]} {report.count(s)}" for s in ("error", "warning", "info"))
    unseen = len(report.unseen)  # cells the source did not show: said apart, never counted as left blank
    blank = len(set(report.not_reported).difference(report.unseen)) if unseen else len(report.not_reported)
    lines.append(f"  {w['verdict']}: {w[report.verdict]} ({counts}); {not_evaluated_text(report, lang)}"
                 f"{w['not_reported']}: {blank}/{len(spec.cells)}" + (f"; {w['unseen_cells']}: {unseen}" if unseen else ""))
    groups: dict = {}
    for finding in report.findings:
        groups.setdefault(_table_key(spec, finding), []).append(finding)
    for table_id, findings in groups.items():
        lines.append(f"  {_table_title(spec, table_id, lang)}")
        for finding in findings:
            lines.extend(finding_lines(spec, finding, lang))
    return lines


def entry_text(report: Report, lang: str) -> str:
    """The report's lines as :func:`write_text` writes them (rendered once: :meth:`Report.rendered`)."""
    return report.rendered(("text", lang), lambda r: "\n".join(printable(line) for line in render_report_text(r, lang))
                           + "\n\n")


def finding_lines(spec: CompiledSpec, finding: Finding, lang: str) -> list[str]:
    """A finding as the text output shows it: code, message, equation with numbers, difference, blanks, causes."""
    w = WORDS[lang]
    mark = {"error": "✗", "warning": "!", "info": "·"}[finding.severity]
    head = f"    {mark} {w[finding.severity]} [{finding.code}]"
    if finding.check:
        head += f" {finding.check}"
    lines = [head, f"      {message(finding, lang)}"]
    if finding.code == "rule-not-checkable":
        labels = ", ".join(short_label(spec, c, lang) for c in finding.cells[:6])
        more = f" … (+{len(finding.cells) - 6})" if len(finding.cells) > 6 else ""
        return [f"    {mark} {w['info']} [{finding.code}] {finding.check}: {labels}{more}"]
    equation = equation_text(spec, finding, lang)
    if equation:
        lines.append(f"      {equation}")
    if finding.difference is not None and finding.difference != 0:
        lines.append(f"      {w['difference']}: {number_text(finding.difference)}")
    if finding.blank_cells:
        labels = ", ".join(short_label(spec, c, lang) for c in finding.blank_cells)
        lines.append(f"      {w['blank_cells']}: {labels}")
    if finding.caused_by:
        lines.append(f"      {w['caused_by']}: {', '.join(finding.caused_by)}")
    if finding.accepted is not None:
        a = finding.accepted
        lines[0] = lines[0].replace(f"{mark} ", "✓ ", 1) + f" ({w['accepted']})"
        lines.append(f"      {w['accepted']}: {a['reason']} — {a['reviewer']}, {a['date']} ({a['entry']})")
    if finding.params.get("previous_source"):
        lines.append(f"      ← {w['previous']}: {finding.params['previous_source']}")
    if finding.position:
        lines.append(f"      @ {finding.position}")
    elif finding.location and not finding.rule:
        lines.append(f"      @ {finding.location}")
    return lines


def not_evaluated_text(report: Report, lang: str) -> str:
    """``未检查的规则 5（原文中未读到 5）; `` — empty when every error-level check was evaluated."""
    counts = report.not_evaluated
    if not counts:
        return ""
    words = VERDICT_WORDS[lang]
    parts = w_sep(lang).join(f"{words[reason]} {n}" if reason != NO_VALUES else words[reason]
                             for reason, n in counts.items())
    total = sum(n for reason, n in counts.items() if reason != NO_VALUES)
    return f"{WORDS[lang]['not_evaluated']}: {total} ({parts}); "


def w_sep(lang: str) -> str:
    return WORDS[lang]["sep"]


_CONTROL = LazyPattern(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\n]")


def printable(line: str) -> str:
    """A line for a terminal: control characters from report fields (escape sequences, line breaks) shown
    escaped (``\\x1b``, ``\\n``), so that a report can neither move the cursor nor fake a line of output."""
    return _CONTROL.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), line)


def shown_as_passed(result) -> bool:
    """A report that passed (its warnings and notes included): what a view of problems leaves out."""
    return not isinstance(result, Unreadable) and result.verdict == PASSED


def summary_line(summary: Summary, lang: str = "zh") -> str:
    """``合计: 434 份报告，通过 300，不通过 120，未完成检查 10，无法读取 4``."""
    w = WORDS[lang]
    sep = w["sep"]
    return (f"{w['summary']}: {summary.reports} {w['reports']}{sep}{w['passed']} {summary.passed}{sep}"
            f"{w['failed']} {summary.failed}{sep}{w['incomplete']} {summary.incomplete}{sep}"
            f"{w['unreadable']} {summary.unreadable}")


def summary_text(summary: Summary, lang: str = "zh") -> str:
    w = WORDS[lang]
    lines = [summary_line(summary, lang)]
    for rule, count in sorted(summary.rules.items(), key=lambda kv: (-kv[1], kv[0])):
        lines.append(f"  {rule}: {count}")
    if summary.without_previous:
        lines.append(w["lone"].format(n=summary.without_previous))
    if summary.accepted or summary.stale:
        lines.append(w["accepted_count"].format(accepted=summary.accepted, stale=summary.stale))
    return "\n".join(lines) + "\n"


def write_text(results: Iterable, out: TextIO, lang: str = "zh", lone=None, stale=None, *,
               only_problems: bool = False, quiet: bool = False) -> Summary:
    """Each report with its verdict and findings (those of the rules across reports among them), then
    the stale exceptions and a summary; ``lone()`` counts reports without a report of the year before.
    ``only_problems``: reports that passed are counted, not shown; ``quiet``: the summary alone."""
    w = WORDS[lang]
    summary = Summary()
    for result in results:
        if type(result) is Entries:  # entries a worker process wrote (govspec.check.written)
            summary.add_entries(result)
            if not quiet:  # a report that passed: a tally of None, or its verdict first; in UTF-8
                write_texts(out, result.texts if not only_problems else [
                    text for text, counted in zip(result.texts, result.tallies)
                    if counted is not None and counted[0] != PASSED])
            continue
        summary.add(result)
        if quiet or (only_problems and shown_as_passed(result)):
            continue
        if isinstance(result, Unreadable):
            lines = [f"{result.source} — {w['unreadable']}", f"  {result.error.text(lang)}"]
            out.write("\n".join(printable(line) for line in lines) + "\n\n")
        else:
            out.write(entry_text(result, lang))
    summary.without_previous = lone() if lone else 0
    entries = stale() if stale else []
    summary.stale = len(entries)
    if entries:
        out.write(w["stale_title"] + "\n")
        for entry in entries:
            out.write(f"    ! {w['warning']} [stale-exception] {entry.where}: {entry.rule} · {entry.year} — "
                      f"{w['stale']}\n")
        out.write("\n")
    if summary.reports > 1 or entries or summary.accepted or quiet or only_problems:
        out.write(summary_text(summary, lang))
    return summary
