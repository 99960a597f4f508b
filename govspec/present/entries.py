"""One report as an output writes it — its entry in the JSON report, its lines of text — made where the report is
at hand and kept with it (:meth:`govspec.check.report.Report.rendered`): a worker process of a batch renders the
reports it checked, and the main process, which must wait for the rules across reports, only writes them."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from govspec.check.light import Light
    from govspec.check.report import Report

FORMS = ("json", "text")  # the outputs whose entries are rendered this way


def render_of(form: str):
    if form == "json":
        from govspec.present.json_report import entry_json
        return entry_json
    if form == "text":
        from govspec.present.text_report import entry_text
        return entry_text
    raise ValueError(f"no rendered entries for the {form!r} output")


def render(report: Report | Light, form: str, lang: str) -> str:
    """``report`` as the ``form`` output in ``lang`` writes it (made once, kept with the report as
    ``report.rendered((form, lang), …)``; a :class:`~govspec.check.light.Light` renders as the report it stands for)."""
    return render_of(form)(report, lang)
