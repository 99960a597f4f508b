"""``govspec audit``: one self-contained HTML page for a whole batch (no network needed to open it).

The page holds the batch summary, an inline SVG chart of how many reports break each rule, a table of
reports that sorts (click a header) and filters (a text box and a verdict menu), and each report's
tables in the template's layout with the cells of its findings marked — drawn on demand from a layout
template per spec, so that pages of many thousand reports stay light.  The state can be set from the
address too (``page.html#filter=invalid&q=鹤岗&open=0``), which is how the browser tests drive it.
"""

from __future__ import annotations

import datetime
import html
import json
import os

from govspec.findings import json_value, message
from govspec.io.readers import Unreadable
from govspec.present.layout import layout
from govspec.present.render import CSS, MARKED, display, table_html
from govspec.present.reporters import Summary, equation_text

AUDIT_FORMAT = 1


def _layout(spec, lang: str) -> str:
    """The spec's tables with empty cells: the page fills them per report."""
    return "".join(f"<h4>{html.escape(table.title)}</h4>" + table_html(spec, table, {}, {}, lang)
                   for table in layout(spec, lang))


def collect(results, lang: str = "zh", lone=None, stale=None, summary: Summary | None = None):
    """The page's data: one compact record per report, the layouts, and the summary (counted into
    ``summary`` when given)."""
    summary = Summary() if summary is None else summary
    records: list[dict] = []
    layouts: dict = {}
    titles: dict = {}  # rule id -> the rule's title, as an auditor knows it (申请办理勾稽关系)
    for result in results:
        summary.add(result)
        if isinstance(result, Unreadable):
            records.append({"source": result.source, "verdict": "unreadable", "error": result.error.text(lang)})
            continue
        spec = result.spec
        if spec.spec.ref not in layouts:
            layouts[spec.spec.ref] = {"html": _layout(spec, lang), "cells": [c.id for c in spec.cells]}
            for rule in (*spec.rules, *(check.rule for check in spec.across)):
                titles.setdefault(rule.id, rule.decl.title.get(lang) or rule.id)
        findings: list[dict] = []
        for f in result.findings:
            if f.severity == "info":
                continue
            findings.append({"code": f.code, "severity": f.severity, "check": f.check or f.code, "rule": f.rule,
                             "message": message(f, lang), "equation": equation_text(spec, f, lang),
                             "cells": [c for c in f.cells if f.code in MARKED and not c.startswith("previous:")],
                             "previous": f.params.get("previous_source"),
                             "accepted": f.accepted["reason"] if f.accepted is not None else None})
        records.append({
            "source": result.source, "agency": json_value(result.metadata.get("agency") or ""),
            "year": result.metadata.get("year"), "spec": spec.spec.ref, "verdict": result.verdict,
            "errors": sum(1 for f in result.findings if f.is_error),
            "warnings": sum(1 for f in result.findings if f.severity == "warning"),
            "not_evaluated": result.not_evaluated,
            "findings": findings, "values": result_values(result)})  # in the order of the layout's cells
    summary.without_previous = lone() if lone else 0
    entries = stale() if stale else []
    summary.stale = len(entries)
    return {"govspec_audit": AUDIT_FORMAT, "lang": lang, "summary": summary.as_json(), "reports": records,
            "stale": [e.where for e in entries], "layouts": layouts, "rule_titles": titles}


def result_values(result) -> list:
    """Every cell's value as shown, in the spec's cell order (compact: pages of thousands of reports)."""
    values = result.all_values or {}
    unseen = set(result.unseen)
    return [UNSEEN if cell.id in unseen else display(values.get(cell.id)) for cell in result.spec.cells]


UNSEEN = None  # a cell not read from the source: drawn as such, unlike a blank ("")


def run_record(inputs, data: dict, when: datetime.datetime, version: str) -> dict:
    """What made the page: govspec's version, the templates used, the inputs as given, the time (UTC)."""
    return {"govspec": version, "specs": sorted(data["layouts"]), "inputs": [str(p) for p in inputs],
            "time": when.astimezone(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")}


def without_folders(data, inputs):
    """``data`` with the folders of the inputs left out of every text (sources, messages, the run record):
    for a page that is shared, which should not show where the files were on the auditor's machine."""
    folders = sorted({os.path.dirname(os.path.abspath(p)) + os.sep for p in inputs} |
                     {os.path.dirname(str(p)) + os.sep for p in inputs if os.path.dirname(str(p))}, key=len, reverse=True)

    def clean(value):
        if isinstance(value, str):
            for folder in folders:
                value = value.replace(folder, "")
            return value
        if isinstance(value, list):
            return [clean(v) for v in value]
        if isinstance(value, dict):
            return {k: clean(v) for k, v in value.items()}
        return value
    return clean(data)


def script_json(data) -> str:
    """JSON to embed in a ``<script>`` element: ``<``, ``>``, ``&`` and the JavaScript line separators escaped,
    so that no report text (``<!--<script``, ``</script>``) can end or change the script."""
    text = json.dumps(data, ensure_ascii=False)
    for char, escape in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"), ("\u2028", "\\u2028"),
                         ("\u2029", "\\u2029")):
        text = text.replace(char, escape)
    return text


def chart_svg(by_severity: dict, lang: str, titles: dict | None = None) -> str:
    """Horizontal bars: reports breaking each rule, as an error (red, ✗) or as a warning (amber, !); each
    labelled with the rule's title (its id on hover)."""
    titles = titles or {}
    bars = [(rule, severity, count) for severity in ("error", "warning")
            for rule, count in by_severity.get(severity, {}).items()]
    if not bars:
        return '<p class="none">' + ("没有报告违反规则。" if lang == "zh" else "No report breaks a rule.") + "</p>"
    width, bar, gap, label_width = 720, 18, 6, 300
    top = max(count for _, _, count in bars)
    rows = []
    for index, (rule, severity, count) in enumerate(bars):
        y = index * (bar + gap)
        length = max(2, int((width - label_width - 60) * count / top))
        fill, sym = ("#c44", "✗") if severity == "error" else ("#d90", "!")
        rows.append(f'<text x="{label_width - 6}" y="{y + bar - 4}" text-anchor="end"><title>{html.escape(rule)}</title>'
                    f'{sym} {html.escape(titles.get(rule) or rule)}</text>'
                    f'<rect x="{label_width}" y="{y}" width="{length}" height="{bar}" fill="{fill}" '
                    f'class="bar-{severity}"/>'
                    f'<text x="{label_width + length + 6}" y="{y + bar - 4}" class="count">{count}</text>')
    height = len(bars) * (bar + gap)
    return (f'<svg id="chart" xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
            f'font-size="12" role="img">{"".join(rows)}</svg>')


WORDS = {
    "zh": {"title": "政府信息公开工作年度报告 — 批量审核", "reports": "报告", "passed": "通过", "failed": "不通过",
           "incomplete": "未完成检查", "unreadable": "无法读取", "accepted": "已接受",
           "chart": "违反各规则的报告数（✗ 错误，! 警告）", "filter": "筛选",
           "all": "全部", "source": "文件", "agency": "机关", "year": "年度", "spec": "模板", "verdict": "结论",
           "errors": "错误", "warnings": "警告", "stale": "失效的例外", "previous": "上一年度报告",
           "next_year": "下一年度报告对本报告的跨年度检查",
           "not_evaluated": "未检查的规则", "unseen": "原文中未读到", "blank": "空白（未填报）",
           "invalid": "取值无效", "no_values": "报告没有任何数值",
           "run": "本页由 govspec {govspec} 于 {time} 生成；模板：{specs}；输入：{inputs}",
           "pick": "选入例外清单草稿", "stub": "导出为 --accept 例外清单草稿（未勾选时为全部）",
           "stub_reason": "填写接受的理由、审核人和审核日期后方可使用",
           "legend": "通过：所有错误级规则均已检查且成立；不通过：有错误；"
                     "未完成检查：没有错误，但有错误级规则因数值未读到或无效而无法检查。"},
    "en": {"title": "Annual reports on government information disclosure — batch audit", "reports": "reports",
           "passed": "passed", "failed": "failed", "incomplete": "incomplete", "unreadable": "unreadable",
           "accepted": "accepted", "chart": "Reports breaking each rule (✗ error, ! warning)", "filter": "Filter",
           "all": "all", "source": "file", "agency": "body", "year": "year", "spec": "template", "verdict": "verdict",
           "errors": "errors", "warnings": "warnings", "stale": "stale exceptions",
           "previous": "report of the year before", "not_evaluated": "checks not evaluated",
           "next_year": "checks of the following year's report against this one",
           "unseen": "not read from the source", "blank": "blank (not reported)", "invalid": "unusable values",
           "no_values": "the report has no value at all",
           "run": "made by govspec {govspec} at {time}; templates: {specs}; inputs: {inputs}",
           "pick": "put in the draft of exceptions", "stub": "Export as a draft --accept file (all when none is ticked)",
           "stub_reason": "fill in the reason, reviewer and date of the review before using it",
           "legend": "passed: every error-level check was evaluated and holds; failed: an error; incomplete: no "
                     "error, but an error-level check could not be evaluated (values not read, or unusable)."},
}

SCRIPT = r"""
const DATA = JSON.parse(document.getElementById('data').textContent);
const W = DATA.words;
let sortKey = null, sortUp = true;
function rows() {
  const q = document.getElementById('q').value.trim(), v = document.getElementById('verdict').value;
  let list = DATA.reports.map((r, i) => Object.assign({index: i}, r));
  if (v !== 'all') list = list.filter(r => r.verdict === v);
  if (q) list = list.filter(r => (r.source + ' ' + (r.agency || '') + ' ' + (r.year || '')).includes(q));
  if (sortKey) list.sort((a, b) => {
    const x = a[sortKey] ?? '', y = b[sortKey] ?? '';
    return (x < y ? -1 : x > y ? 1 : 0) * (sortUp ? 1 : -1);
  });
  else list.sort((a, b) => urgency(a) - urgency(b) || (b.errors || 0) - (a.errors || 0) || a.index - b.index);
  return list;
}
// what an auditor acts on first: failed, then incomplete, unreadable, passed with warnings, passed
function urgency(r) {
  return {failed: 0, incomplete: 1, unreadable: 2}[r.verdict] ?? (r.warnings ? 3 : 4);
}
// the chosen findings (all acceptable ones if none is ticked) as entries of an --accept file, for review:
// reason, reviewer and date are left for the auditor to fill in, so the stub cannot be used unread
function showStub(r, all) {
  const picked = [...document.querySelectorAll('input.pick:checked')].map(box => r.findings[Number(box.dataset.k)]);
  const chosen = (all || !picked.length) ? r.findings.filter(f => f.rule && !f.accepted) : picked;
  const q = JSON.stringify;
  const text = 'accepted:\n' + chosen.map(f =>
    `  - report: {agency: ${q(r.agency)}, year: ${r.year}}\n    rule: ${q(f.check)}\n` +
    (f.cells.length ? `    cells: ${q(f.cells)}\n` : '') +
    `    reason: ""      # ${W.stub_reason}\n    reviewer: ""\n    date: ""        # YYYY-MM-DD\n`).join('');
  const box = document.getElementById('stub');
  box.textContent = text; box.value = text; box.hidden = false; box.select();
}
function draw() {
  const body = document.querySelector('#reports tbody');
  const list = rows();
  body.innerHTML = list.map(r => `<tr data-index="${r.index}" class="v-${r.verdict}">` +
    `<td>${esc(r.source)}</td><td>${esc(r.agency || '')}</td><td>${r.year ?? ''}</td><td>${esc(r.spec || '')}</td>` +
    `<td class="verdict">${W[r.verdict]}</td><td>${r.errors ?? ''}</td><td>${r.warnings ?? ''}</td></tr>`).join('');
  document.getElementById('shown').textContent = list.length;
}
// source -> [index of the later report, finding]: the checks across reports that read a report, so that
// a broken carry-over is shown on both reports of the pair, each linked to the other
let LATER = null;
function later(source) {
  if (LATER === null) {
    LATER = {};
    DATA.reports.forEach((r, i) => (r.findings || []).forEach(f => {
      if (f.previous && f.rule) for (const s of f.previous.split(', ')) (LATER[s] = LATER[s] || []).push([i, f]);
    }));
  }
  return LATER[source] || [];
}
function indexOf(source) { return DATA.reports.findIndex(r => r.source === source); }
function link(source) {
  const i = indexOf(source);
  return i < 0 ? esc(source) : `<a href="#open=${i}" class="pair" data-open="${i}">${esc(source)}</a>`;
}
function esc(s) { return String(s).replace(/[&<>"]/g, c => ({'&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;'})[c]); }
function open(index) {
  const r = DATA.reports[index], box = document.getElementById('detail');
  if (r.verdict === 'unreadable') { box.innerHTML = `<h3>${esc(r.source)}</h3><p>${esc(r.error)}</p>`; return; }
  box.innerHTML = `<h3 id="detail-title">${esc(r.source)} — ${esc(r.agency)} ${r.year ?? ''}</h3>` +
    `<p class="verdict-line v-${r.verdict}">${W.verdict}: <b>${W[r.verdict]}</b>` +
    (Object.keys(r.not_evaluated).length ? `; ${W.not_evaluated}: ` + Object.entries(r.not_evaluated)
      .map(([k, n]) => k === 'no_values' ? W[k] : `${W[k]} ${n}`).join(', ') : '') + '</p>' +
    '<ul class="findings">' + r.findings.map((f, k) => `<li class="finding-${f.severity}">` +
    (f.rule && !f.accepted ? `<input type="checkbox" class="pick" data-k="${k}" title="${esc(W.pick)}"> ` : '') +
    `<span class="sym">` +
    `${f.severity === 'error' ? '✗' : '!'}</span>` +
    (f.rule && DATA.rule_titles[f.rule] ? `<b>${esc(DATA.rule_titles[f.rule])}</b> ` : '') +
    `<code>${esc(f.check || f.code)}</code> ${esc(f.message)}` +
    (f.accepted ? ` (${W.accepted}: ${esc(f.accepted)})` : '') +
    (f.previous ? `<br><small>← ${W.previous}: ${f.previous.split(', ').map(link).join(', ')}</small>` : '') +
    (f.equation ? `<br><small>${esc(f.equation)}</small>` : '') + '</li>').join('') + '</ul>' +
    (later(r.source).length ? `<h4>${esc(W.next_year)}</h4><ul class="findings next-year">` +
      later(r.source).map(([i, f]) => `<li class="finding-${f.severity}"><span class="sym">` +
        `${f.severity === 'error' ? '✗' : '!'}</span>→ ${link(DATA.reports[i].source)} ` +
        `(${DATA.reports[i].year ?? ''}): <code>${esc(f.check)}</code> ${esc(f.message)}` +
        (f.equation ? `<br><small>${esc(f.equation)}</small>` : '') + '</li>').join('') + '</ul>' : '') +
    (r.findings.some(f => f.rule && !f.accepted) ? `<p class="noprint"><button id="stub-button">${esc(W.stub)}</button></p>` +
      `<textarea id="stub" class="noprint" rows="8" cols="100" readonly hidden></textarea>` : '') +
    DATA.layouts[r.spec].html;
  box.querySelectorAll('a.pair').forEach(a => a.addEventListener('click', e => {
    e.preventDefault(); open(Number(a.dataset.open));
  }));
  const button = document.getElementById('stub-button');
  if (button) button.addEventListener('click', () => showStub(r, false));
  const values = {};
  DATA.layouts[r.spec].cells.forEach((id, i) => { values[id] = r.values[i]; });
  const marks = {};
  for (const f of r.findings) if (!f.accepted) for (const c of f.cells)
    marks[c] = (marks[c] === 'error' || f.severity === 'error') ? 'error' : 'warning';
  for (const td of box.querySelectorAll('td[data-cell]')) {
    const id = td.dataset.cell, v = values[id] ?? '';
    td.textContent = v;
    if (values[id] === null) { td.classList.add('cell-unseen'); td.textContent = '?'; td.title = W.unseen; }
    else if (v === '') { td.classList.add('cell-blank'); td.title = W.blank; }
    if (marks[id]) {
      td.classList.add('mark-' + marks[id]);
      td.innerHTML = `<span class="sym">${marks[id] === 'error' ? '✗' : '!'}</span>` + esc(v);
      td.title = r.findings.filter(f => f.cells.includes(id)).map(f => f.message).join(' / ');
    }
  }
  box.scrollIntoView();
}
document.querySelectorAll('#reports th[data-key]').forEach(th => th.addEventListener('click', () => {
  sortUp = sortKey === th.dataset.key ? !sortUp : true; sortKey = th.dataset.key; draw();
}));
document.getElementById('q').addEventListener('input', draw);
document.getElementById('verdict').addEventListener('change', draw);
document.querySelector('#reports tbody').addEventListener('click', e => {
  const tr = e.target.closest('tr'); if (tr) open(Number(tr.dataset.index));
});
const hash = new URLSearchParams(location.hash.slice(1));
if (hash.get('filter')) document.getElementById('verdict').value = hash.get('filter');
if (hash.get('q')) document.getElementById('q').value = hash.get('q');
if (hash.get('sort')) { sortKey = hash.get('sort'); sortUp = hash.get('dir') !== 'down'; }
draw();
if (hash.get('open') !== null) open(Number(hash.get('open')));
if (hash.get('open') !== null && hash.get('stub')) showStub(DATA.reports[Number(hash.get('open'))], true);
"""


def _run_line(data: dict, w: dict) -> str:
    run = data.get("run")
    if not run:
        return ""
    return html.escape(w["run"].format(govspec=run["govspec"], time=run["time"], specs="、".join(run["specs"]) or "—",
                                       inputs="、".join(run["inputs"]) or "—"))


def page(data: dict) -> str:
    lang = data["lang"]
    w = WORDS[lang]
    s = data["summary"]
    data = dict(data, words=w)
    payload = script_json(data)
    headers = "".join(f'<th data-key="{k}">{w[k]}</th>' for k in
                      ("source", "agency", "year", "spec", "verdict", "errors", "warnings"))
    return f"""<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8"><title>{w['title']}</title>
<style>{CSS}
#summary span{{display:inline-block;margin-right:1.2em;font-size:1.1em}}
#reports{{border-collapse:collapse;font-size:13px}} #reports th,#reports td{{border:1px solid #bbb;padding:2px 6px}}
#reports th{{cursor:pointer;background:#eee}} #reports tbody tr{{cursor:pointer}}
tr.v-failed td.verdict{{color:#b00;font-weight:bold}} tr.v-incomplete td.verdict{{color:#a60;font-weight:bold}}
tr.v-unreadable td.verdict{{color:#666}}
td.cell-unseen{{background:repeating-linear-gradient(45deg,#eee,#eee 4px,#fff 4px,#fff 8px);color:#555;font-weight:bold}}
td.cell-blank{{background:#f4f4f4}}
#tablebox{{max-height:24em;overflow:auto;display:inline-block}}
@media print{{.noprint,input.pick{{display:none}} #tablebox{{max-height:none;overflow:visible}}
thead{{display:table-header-group}}}}
</style></head><body>
<h2>{w['title']}</h2>
<div id="summary"><span>{w['reports']}: <b id="n-reports">{s['reports']}</b></span>
<span>{w['passed']}: <b id="n-passed">{s['passed']}</b></span><span>{w['failed']}: <b id="n-failed">{s['failed']}</b></span>
<span>{w['incomplete']}: <b id="n-incomplete">{s['incomplete']}</b></span>
<span>{w['unreadable']}: <b id="n-unreadable">{s['unreadable']}</b></span>
<span>{w['accepted']}: <b id="n-accepted">{s['accepted']}</b></span></div>
<p class="legend">{w['legend']}</p>
<h3>{w['chart']}</h3>{chart_svg(s['rules_by_severity'], lang, data.get('rule_titles'))}
<h3>{w['reports']}</h3>
<p class="noprint">{w['filter']}: <input id="q" size="30"> <select id="verdict"><option value="all">{w['all']}</option>
<option value="failed">{w['failed']}</option><option value="incomplete">{w['incomplete']}</option>
<option value="passed">{w['passed']}</option>
<option value="unreadable">{w['unreadable']}</option></select> <span id="shown"></span></p>
<div id="tablebox"><table id="reports"><thead><tr>{headers}</tr></thead><tbody></tbody></table></div>
<div id="detail"></div>
<footer id="run" class="legend">{_run_line(data, w)}</footer>
<script type="application/json" id="data">{payload}</script>
<script>{SCRIPT}</script>
</body></html>
"""
