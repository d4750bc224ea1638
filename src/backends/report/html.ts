import type { Severity } from '../../diagnostics/catalogue.js';
import { subjectText } from '../../diagnostics/subject.js';
import { BUCKET_LABEL, BUCKETS, bucketOf, hours, tableOf, type Assessment } from './assessment.js';

function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

const LEVEL_TEXT = {
  A: 'Converts automatically',
  B: 'Needs work: up to 5 person-days',
  C: 'Needs work: more than 5 person-days',
} as const;

const CSS = `
:root{--ink:#1d2433;--muted:#5b6578;--line:#e3e7ee;--bg:#f6f7fa;--card:#fff;--auto:#2f9e6b;--loss:#d9a21b;--action:#d9572b;--unsupported:#8a3ffc;--error:#c62828;--warning:#b26a00;--info:#1f6fb2}
*{box-sizing:border-box}body{margin:0;font:14px/1.5 -apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif;color:var(--ink);background:var(--bg)}
header{background:#142036;color:#fff;padding:22px 40px}header h1{margin:0;font-size:22px;font-weight:600;letter-spacing:.2px}header p{margin:4px 0 0;color:#b8c2d6;font-size:13px}
main{max-width:1180px;margin:0 auto;padding:24px 40px 60px}
h2{font-size:16px;margin:32px 0 12px;font-weight:600}
.cards{display:grid;grid-template-columns:repeat(4,1fr);gap:14px}
.card{background:var(--card);border:1px solid var(--line);border-radius:8px;padding:14px 16px}
.card .label{color:var(--muted);font-size:12px;text-transform:uppercase;letter-spacing:.5px}.card .value{font-size:26px;font-weight:600;margin-top:2px}.card .sub{color:var(--muted);font-size:12px}
.level{display:inline-block;min-width:34px;text-align:center;border-radius:6px;color:#fff;font-weight:700;margin-right:8px}
.level-A{background:var(--auto)}.level-B{background:var(--loss)}.level-C{background:var(--action)}
table{border-collapse:collapse;width:100%;background:var(--card);border:1px solid var(--line);border-radius:8px;overflow:hidden}
th,td{padding:7px 10px;border-bottom:1px solid var(--line);text-align:left;vertical-align:top}th{background:#eef1f6;font-weight:600;font-size:12px;color:#3a4457}
td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}
.bar{display:flex;height:10px;border-radius:5px;overflow:hidden;background:#edf0f4;min-width:160px}.bar span{display:block}
.b-automatic{background:var(--auto)}.b-loss{background:var(--loss)}.b-action{background:var(--action)}.b-unsupported{background:var(--unsupported)}
.legend{display:flex;gap:18px;color:var(--muted);font-size:12px;margin:8px 0}.legend i{display:inline-block;width:10px;height:10px;border-radius:2px;margin-right:6px;vertical-align:-1px}
.sev{font-size:11px;font-weight:600;text-transform:uppercase;border-radius:4px;padding:1px 6px;color:#fff}.sev-error{background:var(--error)}.sev-warning{background:var(--warning)}.sev-info{background:var(--info)}
.item{background:var(--card);border:1px solid var(--line);border-left:4px solid var(--action);border-radius:6px;padding:10px 14px;margin:10px 0}.item.unsupported{border-left-color:var(--unsupported)}
.item .head{display:flex;gap:10px;align-items:baseline;flex-wrap:wrap}.item code{font-size:12px}.item .fix{margin-top:6px;color:#2a3a55}.item .where{color:var(--muted);font-size:12px}
pre{background:#0f1726;color:#dfe6f3;padding:10px 12px;border-radius:6px;overflow:auto;font:12px/1.45 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;margin:8px 0 0;max-height:132px}
.filters{display:flex;gap:12px;align-items:center;margin:8px 0 12px;flex-wrap:wrap}.filters select{padding:5px 8px;border:1px solid var(--line);border-radius:6px;background:#fff;font:inherit}
.muted{color:var(--muted)}code{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace}
details summary{cursor:pointer;color:var(--muted);margin-top:6px}
`;

const JS = `
(function(){
  var sel = {code: document.getElementById('f-code'), severity: document.getElementById('f-severity'), table: document.getElementById('f-table')};
  function apply(){
    var shown = 0, rows = document.querySelectorAll('[data-filterable]');
    for (var i = 0; i < rows.length; i++) {
      var r = rows[i], ok = true;
      for (var k in sel) { var v = sel[k].value; if (v && r.getAttribute('data-' + k) !== v) ok = false; }
      r.style.display = ok ? '' : 'none';
      if (ok && r.tagName === 'TR') shown++;
    }
    document.getElementById('f-shown').textContent = shown;
  }
  for (var k in sel) sel[k].addEventListener('change', apply);
  // A link can carry filters: report.html#severity=error&table=public.film
  var h = location.hash.replace(/^#/, '').split('&');
  for (var i = 0; i < h.length; i++) { var kv = h[i].split('='); if (sel[kv[0]]) sel[kv[0]].value = decodeURIComponent(kv[1] || ''); }
  apply();
})();
`;

function options(values: readonly string[]): string {
  return values.map((v) => `<option value="${esc(v)}">${esc(v)}</option>`).join('');
}

/** report.html: one self-contained page (inline CSS and script, no requests) with the assessment and filters. */
export function renderReportHtml(a: Assessment): string {
  const severity = (s: Severity) => `<span class="sev sev-${s}">${s}</span>`;
  const counts: Record<Severity, number> = { error: 0, warning: 0, info: 0 };
  for (const d of a.diagnostics) counts[d.severity]++;
  const codes = [...new Set(a.diagnostics.map((d) => d.code))].sort();
  const tables = [...new Set(a.diagnostics.map(tableOf).filter((t) => t !== ''))].sort();
  const out: string[] = [];
  out.push('<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">');
  out.push(`<title>pg2tidb migration assessment</title><style>${CSS}</style></head><body>`);
  out.push(`<header><h1>Migration assessment: PostgreSQL to TiDB</h1><p>${a.inputs.map(esc).join(', ')}</p></header><main>`);

  out.push('<section class="cards">');
  out.push(`<div class="card"><div class="label">Migration level</div><div class="value"><span class="level level-${a.level}" data-testid="level">${a.level}</span></div><div class="sub">${LEVEL_TEXT[a.level]}</div></div>`);
  out.push(`<div class="card"><div class="label">Estimated effort</div><div class="value" data-testid="effort" data-minutes="${a.totalMinutes}">${hours(a.totalMinutes)}</div><div class="sub">assumptions below</div></div>`);
  out.push(`<div class="card"><div class="label">Needs action</div><div class="value" data-testid="actions">${a.actions.length}</div><div class="sub">items with their source and fix</div></div>`);
  out.push(`<div class="card"><div class="label">Diagnostics</div><div class="value" data-testid="diagnostics">${a.diagnostics.length}</div><div class="sub"><span data-testid="count-error">${counts.error}</span> errors, <span data-testid="count-warning">${counts.warning}</span> warnings, <span data-testid="count-info">${counts.info}</span> notes in <span data-testid="groups">${a.groups.length}</span> groups</div></div>`);
  out.push('</section>');

  out.push('<h2>Objects</h2>');
  out.push(`<div class="legend">${BUCKETS.map((b) => `<span><i class="b-${b}"></i>${BUCKET_LABEL[b]}</span>`).join('')}</div>`);
  out.push(`<table data-testid="totals"><thead><tr><th>object</th><th class="num">total</th>${BUCKETS.map((b) => `<th class="num">${BUCKET_LABEL[b]}</th>`).join('')}<th></th></tr></thead><tbody>`);
  for (const t of a.totals) {
    const bar = t.total === 0 ? '' : BUCKETS.map((b) => (t.buckets[b] > 0 ? `<span class="b-${b}" style="width:${((100 * t.buckets[b]) / t.total).toFixed(2)}%"></span>` : '')).join('');
    out.push(`<tr data-kind="${esc(t.kind)}"><td>${esc(t.kind)}</td><td class="num" data-total="${t.total}">${t.total}</td>${BUCKETS.map((b) => `<td class="num" data-bucket="${b}">${t.buckets[b]}</td>`).join('')}<td><div class="bar">${bar}</div></td></tr>`);
  }
  out.push('</tbody></table><p class="muted">An object counts in the worst bucket of the diagnostics about it; objects no diagnostic names converted automatically.</p>');

  out.push('<h2>Effort estimate</h2><table data-testid="effort-table"><thead><tr><th>class</th><th class="num">items</th><th class="num">estimate</th><th>assumption</th></tr></thead><tbody>');
  for (const e of a.effort) if (e.items > 0) out.push(`<tr><td>${e.effort}</td><td class="num">${e.items}</td><td class="num">${hours(e.minutes)}</td><td>${esc(e.assumption)}</td></tr>`);
  out.push(`<tr><td><b>total</b></td><td class="num">${a.diagnostics.length}</td><td class="num"><b>${hours(a.totalMinutes)}</b></td><td class="muted">Level A: nothing needs action; B: up to 5 person-days (8 h); C: more (after ora2pg's migration levels).</td></tr></tbody></table>`);

  out.push('<h2>Filters</h2>');
  out.push(`<div class="filters"><label>code <select id="f-code"><option value="">all</option>${options(codes)}</select></label><label>severity <select id="f-severity"><option value="">all</option>${options(['error', 'warning', 'info'])}</select></label><label>table <select id="f-table"><option value="">all</option>${options(tables)}</select></label><span class="muted"><span id="f-shown"></span> diagnostics shown</span></div>`);

  out.push(`<h2>Needs action (${a.actions.length})</h2>`);
  for (const item of a.actions) {
    const d = item.diagnostic;
    const where = d.span ? `${d.span.file}:${d.span.line}:${d.span.column}` : '';
    out.push(`<div class="item ${item.bucket}" data-filterable data-testid="action" data-code="${d.code}" data-severity="${d.severity}" data-table="${esc(tableOf(d))}">`);
    out.push(`<div class="head">${severity(d.severity)}<code>${d.code} ${d.id}</code><b>${esc(subjectText(d.subject))}</b><span class="where">${esc(where)}</span><span class="muted">${BUCKET_LABEL[item.bucket]}</span></div>`);
    out.push(`<div>${esc(d.message)}</div>`);
    if (d.fix) out.push(`<div class="fix"><b>Fix:</b> ${esc(d.fix)}</div>`);
    if (item.excerpt) out.push(`<pre data-testid="excerpt">${esc(item.excerpt)}</pre>`);
    out.push('</div>');
  }

  out.push(`<h2>Every diagnostic (${a.diagnostics.length})</h2>`);
  out.push('<table data-testid="diagnostic-table"><thead><tr><th>severity</th><th>code</th><th>subject</th><th>message</th><th>where</th><th>bucket</th></tr></thead><tbody>');
  for (const d of a.diagnostics) {
    const where = d.span ? `${d.span.file}:${d.span.line}` : '';
    out.push(`<tr data-filterable data-testid="diagnostic" data-code="${d.code}" data-severity="${d.severity}" data-table="${esc(tableOf(d))}"><td>${severity(d.severity)}</td><td><code>${d.code}</code><br><span class="muted">${d.id}</span></td><td>${esc(subjectText(d.subject))}</td><td>${esc(d.message)}</td><td class="muted">${esc(where)}</td><td>${BUCKET_LABEL[bucketOf(d)]}</td></tr>`);
  }
  out.push('</tbody></table>');
  out.push(`</main><script>${JS}</script></body></html>`);
  return out.join('\n') + '\n';
}
