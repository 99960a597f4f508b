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


def write_all(results: list, form: str, lang: str) -> tuple[tuple, list, list]:
    """What a worker process writes of the results of its unit for the ``form`` output in ``lang``: the output, the
    text of each result (:func:`encoded`; None for an unreadable input, which the writer writes itself) and what a
    summary counts of each (:func:`govspec.present.summary.tally`) — sent apart from the results, which do not carry
    their texts (``Report.__getstate__``); :meth:`govspec.check.spool.Kept.result` gives a result read back its text."""
    from govspec.io.instance import Unreadable
    from govspec.present.summary import tally
    texts = [None if isinstance(result, Unreadable) else encoded(render(result, form, lang)) for result in results]
    return (form, lang), texts, list(map(tally, results))


def encoded(text: str) -> bytes | str:
    """A text as a worker sends it: in UTF-8, which the main process writes as it is — it costs a worker what pickling
    the text would, and spares the main process, which no worker shares, decoding it to write it encoded again —, or
    as it is when it holds what UTF-8 cannot encode (a lone surrogate: the output's own errors say what it becomes)."""
    try:
        return text.encode("utf-8")
    except UnicodeEncodeError:
        return text
