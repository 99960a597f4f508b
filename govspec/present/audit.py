"""``govspec audit``: one self-contained HTML page for a whole batch (no network needed to open it).

The page holds the batch summary, an inline SVG chart of how many reports break each rule, a table of
reports that sorts (click a header) and filters (a text box and a verdict menu), and each report's
tables in the template's layout with the cells of its findings marked — drawn on demand from a layout
template per spec, so that pages of many thousand reports stay light.  The state can be set from the
address too (``page.html#filter=invalid&q=鹤岗&open=0``), which is how the browser tests drive it.
"""

from __future__ import annotations

import html
import json

from govspec.findings import message
from govspec.io.readers import Unreadable
from govspec.present.render import CSS, MARKED, display, table_html, table_titles
from govspec.present.reporters import Summary, equation_text

AUDIT_FORMAT = 1


def _layout(spec, lang: str) -> str:
    """The spec's tables with empty cells: the page fills them per report."""
    return "".join(f"<h4>{html.escape(title)}</h4>" + table_html(spec, table, {}, {}, lang)
                   for table, title in table_titles(spec, lang))


def collect(results, lang: str = "zh", across=None, stale=None):
    """The page's data: one compact record per report, the layouts, and the summary."""
    summary = Summary()
    records: list[dict] = []
    layouts: dict = {}
    for result in results:
        summary.add(result)
        if isinstance(result, Unreadable):
            records.append({"source": result.source, "verdict": "unreadable", "error": str(result.error)})
            continue
        spec = result.spec
        if spec.spec.ref not in layouts:
            layouts[spec.spec.ref] = {"html": _layout(spec, lang), "cells": [c.id for c in spec.cells]}
        findings: list[dict] = []
        for f in result.findings:
            if f.severity == "info":
                continue
            findings.append({"code": f.code, "severity": f.severity, "check": f.check or f.code,
                             "message": message(f, lang), "equation": equation_text(spec, f, lang),
                             "cells": [c for c in f.cells if f.code in MARKED and not c.startswith("previous:")],
                             "accepted": f.accepted["reason"] if f.accepted is not None else None})
        records.append({
            "source": result.source, "agency": result.metadata.get("agency") or "", "year":
            result.metadata.get("year"), "spec": spec.spec.ref, "verdict": "valid" if result.valid else "invalid",
            "errors": sum(1 for f in result.findings if f.is_error),
            "warnings": sum(1 for f in result.findings if f.severity == "warning"),
            "findings": findings, "values": result_values(result)})  # in the order of the layout's cells
    items = across() if across else []
    summary.add_across(items)
    entries = stale() if stale else []
    summary.stale = len(entries)
    across_records = [{"source": i.source, "previous": i.previous_source, "year": i.year, "check": i.finding.check,
                       "severity": i.finding.severity, "message": message(i.finding, lang),
                       "accepted": i.finding.accepted is not None}
                      for i in items if i.finding.code == "rule-violated"]
    return {"govspec_audit": AUDIT_FORMAT, "lang": lang, "summary": summary.as_json(), "reports": records,
            "across": across_records, "stale": [e.where for e in entries], "layouts": layouts}


def result_values(result) -> list:
    """Every cell's value as shown, in the spec's cell order (compact: pages of thousands of reports)."""
    values = result.all_values or {}
    return [display(values.get(cell.id)) for cell in result.spec.cells]


def chart_svg(rules: dict, lang: str) -> str:
    """Horizontal bars: reports breaking each rule."""
    if not rules:
        return '<p class="none">' + ("没有报告违反规则。" if lang == "zh" else "No report breaks a rule.") + "</p>"
    width, bar, gap, label_width = 720, 18, 6, 300
    top = max(rules.values())
    rows = []
    for index, (rule, count) in enumerate(sorted(rules.items(), key=lambda kv: (-kv[1], kv[0]))):
        y = index * (bar + gap)
        length = max(2, int((width - label_width - 60) * count / top))
        rows.append(f'<text x="{label_width - 6}" y="{y + bar - 4}" text-anchor="end">{html.escape(rule)}</text>'
                    f'<rect x="{label_width}" y="{y}" width="{length}" height="{bar}" fill="#c44"/>'
                    f'<text x="{label_width + length + 6}" y="{y + bar - 4}" class="count">{count}</text>')
    height = len(rules) * (bar + gap)
    return (f'<svg id="chart" xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
            f'font-size="12" role="img">{"".join(rows)}</svg>')


WORDS = {
    "zh": {"title": "政府信息公开工作年度报告 — 批量审核", "reports": "报告", "valid": "通过", "invalid": "不通过",
           "unreadable": "无法读取", "accepted": "已接受", "chart": "违反各规则的报告数", "filter": "筛选",
           "all": "全部", "source": "文件", "agency": "机关", "year": "年度", "spec": "模板", "verdict": "结论",
           "errors": "错误", "warnings": "警告", "across": "跨年度检查", "stale": "失效的例外"},
    "en": {"title": "Annual reports on government information disclosure — batch audit", "reports": "reports",
           "valid": "valid", "invalid": "invalid", "unreadable": "unreadable", "accepted": "accepted",
           "chart": "Reports breaking each rule", "filter": "Filter", "all": "all", "source": "file",
           "agency": "body", "year": "year", "spec": "template", "verdict": "verdict", "errors": "errors",
           "warnings": "warnings", "across": "Checks across reports", "stale": "stale exceptions"},
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
  return list;
}
function draw() {
  const body = document.querySelector('#reports tbody');
  const list = rows();
  body.innerHTML = list.map(r => `<tr data-index="${r.index}" class="v-${r.verdict}">` +
    `<td>${esc(r.source)}</td><td>${esc(r.agency || '')}</td><td>${r.year ?? ''}</td><td>${esc(r.spec || '')}</td>` +
    `<td class="verdict">${W[r.verdict]}</td><td>${r.errors ?? ''}</td><td>${r.warnings ?? ''}</td></tr>`).join('');
  document.getElementById('shown').textContent = list.length;
}
function esc(s) { return String(s).replace(/[&<>"]/g, c => ({'&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;'})[c]); }
function open(index) {
  const r = DATA.reports[index], box = document.getElementById('detail');
  if (r.verdict === 'unreadable') { box.innerHTML = `<h3>${esc(r.source)}</h3><p>${esc(r.error)}</p>`; return; }
  box.innerHTML = `<h3 id="detail-title">${esc(r.source)} — ${esc(r.agency)} ${r.year ?? ''}</h3>` +
    '<ul class="findings">' + r.findings.map(f => `<li class="finding-${f.severity}"><span class="sym">` +
    `${f.severity === 'error' ? '✗' : '!'}</span><code>${esc(f.check)}</code> ${esc(f.message)}` +
    (f.accepted ? ` (${W.accepted}: ${esc(f.accepted)})` : '') +
    (f.equation ? `<br><small>${esc(f.equation)}</small>` : '') + '</li>').join('') + '</ul>' +
    DATA.layouts[r.spec].html;
  const values = {};
  DATA.layouts[r.spec].cells.forEach((id, i) => { values[id] = r.values[i]; });
  const marks = {};
  for (const f of r.findings) if (!f.accepted) for (const c of f.cells)
    marks[c] = (marks[c] === 'error' || f.severity === 'error') ? 'error' : 'warning';
  for (const td of box.querySelectorAll('td[data-cell]')) {
    const id = td.dataset.cell, v = values[id] ?? '';
    td.textContent = v;
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
"""


def page(data: dict) -> str:
    lang = data["lang"]
    w = WORDS[lang]
    s = data["summary"]
    data = dict(data, words=w)
    payload = json.dumps(data, ensure_ascii=False).replace("</", "<\\/")
    across = "".join(f'<li class="finding-{a["severity"]}">{html.escape(a["source"])} ← '
                     f'{html.escape(a["previous"] or "")}: <code>{html.escape(a["check"])}</code> '
                     f'{html.escape(a["message"])}</li>' for a in data["across"])
    headers = "".join(f'<th data-key="{k}">{w[k]}</th>' for k in
                      ("source", "agency", "year", "spec", "verdict", "errors", "warnings"))
    return f"""<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8"><title>{w['title']}</title>
<style>{CSS}
#summary span{{display:inline-block;margin-right:1.2em;font-size:1.1em}}
#reports{{border-collapse:collapse;font-size:13px}} #reports th,#reports td{{border:1px solid #bbb;padding:2px 6px}}
#reports th{{cursor:pointer;background:#eee}} #reports tbody tr{{cursor:pointer}}
tr.v-invalid td.verdict{{color:#b00;font-weight:bold}} tr.v-unreadable td.verdict{{color:#666}}
#tablebox{{max-height:24em;overflow:auto;display:inline-block}}
</style></head><body>
<h2>{w['title']}</h2>
<div id="summary"><span>{w['reports']}: <b id="n-reports">{s['reports']}</b></span>
<span>{w['valid']}: <b id="n-valid">{s['valid']}</b></span><span>{w['invalid']}: <b id="n-invalid">{s['invalid']}</b></span>
<span>{w['unreadable']}: <b id="n-unreadable">{s['unreadable']}</b></span>
<span>{w['accepted']}: <b id="n-accepted">{s['accepted']}</b></span></div>
<h3>{w['chart']}</h3>{chart_svg(s['rules'], lang)}
{f'<h3>{w["across"]}</h3><ul class="findings" id="across">{across}</ul>' if across else ''}
<h3>{w['reports']}</h3>
<p>{w['filter']}: <input id="q" size="30"> <select id="verdict"><option value="all">{w['all']}</option>
<option value="valid">{w['valid']}</option><option value="invalid">{w['invalid']}</option>
<option value="unreadable">{w['unreadable']}</option></select> <span id="shown"></span></p>
<div id="tablebox"><table id="reports"><thead><tr>{headers}</tr></thead><tbody></tbody></table></div>
<div id="detail"></div>
<script type="application/json" id="data">{payload}</script>
<script>{SCRIPT}</script>
</body></html>
"""
