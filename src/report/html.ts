import { allowedBalances, balanceReads } from '../checker/invariants/balance-read.ts';
import { fundedTokens, meltCalls } from '../checker/model.ts';
import { INVARIANTS } from '../checker/types.ts';
import { type History, pairs } from '../history/op.ts';
import { EXPLAIN } from './explain.ts';
import { HTML_ROWS } from './failure-sections.ts';
import { moneyImpact, moneyLine } from './money.ts';
import { operationRows } from './operations.ts';
import type { Report } from './report.ts';
import type { Failure } from './types.ts';

const esc = (s: unknown) =>
  String(s).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

const CSS = `
body{font:14px/1.45 system-ui,sans-serif;margin:24px;color:#1b1f23;max-width:1200px}
h1{font-size:22px}h2{font-size:18px;margin-top:28px}h3{font-size:15px}
.banner{background:#fff3cd;border:1px solid #e0b000;padding:10px 14px;border-radius:6px;font-weight:600}
.pass{color:#1a7f37}.fail{color:#cf222e}.skip{color:#6e7781}.unknown,.error,.not-exercised{color:#9a6700}
table{border-collapse:collapse;margin:8px 0}td,th{border:1px solid #d0d7de;padding:4px 8px;text-align:left;vertical-align:top}
th{background:#f6f8fa}td.c{text-align:center}
.lane{display:flex;align-items:center;height:22px;position:relative;border-bottom:1px dashed #eee}
.lane .name{width:90px;flex:none;font-family:monospace;font-size:12px}
.track{position:relative;flex:1;height:18px}
.op{position:absolute;height:16px;border-radius:3px;font-size:10px;color:#fff;overflow:hidden;white-space:nowrap;padding:0 3px;box-sizing:border-box}
.op.read{border:2px solid #0969da}.op.torn{border:2px solid #cf222e;background:#8250df}
.op.ok{background:#2da44e}.op.fail{background:#cf222e}.op.info{background:#bf8700}.op.open{background:#8c959f}
pre{background:#f6f8fa;padding:8px;overflow:auto;max-height:320px;font-size:12px}
code{font-size:12px}
.money{background:#fff8f8;border-left:4px solid #cf222e;padding:6px 10px}.rule{color:#57606a}
table.ops td{font-size:12px}
@media print{body{margin:0;max-width:none;font-size:11px}details{display:block}details>summary{display:none}
pre{max-height:none;white-space:pre-wrap}h2,h3{break-after:avoid}tr,.lane,.money{break-inside:avoid}
.op,.banner,.money{-webkit-print-color-adjust:exact;print-color-adjust:exact}a{color:inherit;text-decoration:none}}`;

/** What an auditor reads under each failure: the rule, the money impact, the operations as a table. */
function failureDetail(f: Failure): string {
  const rows = operationRows(f.steps);
  const table = rows.length
    ? `<table class="ops"><tr><th>#</th><th>process</th><th>operation</th><th>sources and amounts</th><th>outcome</th><th>time (ms)</th></tr>
${rows
  .slice(0, HTML_ROWS)
  .map(
    (r) =>
      `<tr><td>${r.index}</td><td>${esc(r.process)}</td><td>${esc(r.operation)}</td><td>${esc(r.detail)}</td><td class="${r.outcome === 'ok' ? 'pass' : r.outcome.startsWith('failed') ? 'fail' : 'unknown'}">${esc(r.outcome)}</td><td>${r.start}–${r.end ?? '…'}</td></tr>`,
  )
  .join('\n')}</table>${rows.length > HTML_ROWS ? `<p>… ${rows.length - HTML_ROWS} more in report.json</p>` : ''}`
    : '';
  return `<p class="rule"><b>Rule broken</b> (${esc(f.invariant)}): ${esc(EXPLAIN[f.invariant] ?? '')}</p>
<p class="money"><b>Money impact</b>: ${esc(moneyLine(moneyImpact(f)))}</p>
${table}`;
}

/**
 * What each balance read saw and what a serial order allowed it to see, by the read's completion index. A melt of
 * unknown outcome counts as possibly in, so the values drawn are every value some outcome allows.
 */
function readsOf(steps: History): Map<number, { seen: number; allowed?: number[] }> {
  const out = new Map<number, { seen: number; allowed?: number[] }>();
  try {
    const melts = meltCalls(steps).map((c) => ({ ...c, outcome: c.known ?? ('committed' as const) }));
    const funded = fundedTokens(steps);
    for (const r of balanceReads(steps))
      out.set(r.complete.index, { seen: r.seen, allowed: allowedBalances(steps, r, melts, funded)?.values });
  } catch {
    // A history the checker cannot read is drawn without read values, never not drawn.
  }
  return out;
}

/** A Jepsen-style timeline: one lane per process, one bar per operation from invoke to completion. */
function timeline(steps: History): string {
  const reads = readsOf(steps);
  if (!steps.length) return '<p>(no operations recorded)</p>';
  const end = Math.max(...steps.map((o) => o.time)) + 1;
  const lanes = new Map<string, string[]>();
  const bar = (p: string, from: number, to: number, cls: string, label: string, title: string) => {
    const left = (from / end) * 100;
    const width = Math.max(((to - from) / end) * 100, 0.8);
    lanes.set(p, [
      ...(lanes.get(p) ?? []),
      `<div class="op ${cls}" style="left:${left}%;width:${width}%" title="${esc(title)}">${esc(label)}</div>`,
    ]);
  };
  // One pairing of invocations and completions for the whole project (history/op.ts).
  for (const { invoke: inv, complete: op } of pairs(steps)) {
    if (!op) {
      bar(inv.process, inv.time, end, 'open', `${inv.f} (no reply)`, JSON.stringify(inv.value));
      continue;
    }
    const v = op.value as { transactionId?: string };
    const read = reads.get(op.index);
    const allowed = read?.allowed?.join('|') ?? '?';
    const torn = read?.allowed && !read.allowed.includes(read.seen);
    bar(
      op.process,
      inv.time,
      op.time,
      read ? `${op.type} ${torn ? 'torn' : 'read'}` : op.type,
      read ? `balance ${read.seen} (allowed ${allowed})` : `${op.f} ${v.transactionId ?? ''}`,
      read
        ? `balance read saw ${read.seen}; a serial order allows ${allowed}`
        : `${op.f} ${op.type} ${JSON.stringify(op.value)} ${op.error ? op.error.message : ''}`,
    );
  }
  return `<div>${[...lanes.entries()].map(([p, bars]) => `<div class="lane"><div class="name">${esc(p)}</div><div class="track">${bars.join('')}</div></div>`).join('')}</div>
<p class="skip">green: ok · red: fail · amber: info (outcome unknown) · grey: never completed · blue outline: a balance read (value seen, values allowed) · purple: a balance no serial order allows. Time runs left to right (${end} ms).</p>`;
}

/** One self-contained page (no network): verdict, matrix, failures with timelines and witnesses, fingerprint. */
export function html(r: Report): string {
  const status = (s: string) => `<span class="${s}">${esc(s)}</span>`;
  const matrix = r.checks
    .map((c) => {
      const cells = INVARIANTS.map((inv) => {
        if (c.status === 'skip') return '<td class="c skip">–</td>';
        if (!c.invariants.includes(inv)) return '<td class="c skip"></td>';
        const bad = r.failures.some((f) => f.check === c.name && f.invariant === inv);
        // An errored or vacuous check showed nothing held: never draw a tick for it.
        if (!bad && (c.status === 'error' || c.status === 'not-exercised')) return '<td class="c unknown">?</td>';
        return `<td class="c ${bad ? 'fail' : 'pass'}">${bad ? '✗' : '✓'}</td>`;
      }).join('');
      return `<tr><td>${esc(c.name)}</td><td>${esc(c.kind)}</td><td>${status(c.status)}${c.skipReason || c.reason ? `<br><small>${esc(c.skipReason ?? c.reason ?? '')}</small>` : ''}</td><td>${c.runs}</td><td>${c.durationMs}</td>${cells}</tr>`;
    })
    .join('\n');
  const failures = r.failures
    .map(
      (f) => `<h3 id="${esc(f.id)}">${esc(f.id)} — <span class="fail">${esc(f.invariant)}</span>: ${esc(f.type)}</h3>
<p>${esc(f.message)}</p>
${failureDetail(f)}
<p>Replay: <code>${esc(f.replay)}</code></p>
${timeline(f.steps)}
<details><summary>witness</summary><pre>${esc(JSON.stringify(f.witness, null, 2))}</pre></details>`,
    )
    .join('\n');
  const env = Object.entries({
    ...r.environment,
    backend: r.backend.kind,
    real: String(r.backend.real),
    server: r.backend.serverVersion,
    ...(r.mint ? { mint: `${r.mint.kind} (${r.mint.version})` } : {}),
    adapter: r.adapter.spec,
    'adapter sha256': r.adapter.sha256,
    seed: String(r.seed),
    runs: String(r.runs),
    run: r.runId,
    started: r.startedAt,
  });
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>meltcheck ${esc(r.verdict)} — ${esc(r.adapter.name)}</title><style>${CSS}</style></head><body>
${r.interrupted ? '<p class="banner">INTERRUPTED: the run was stopped (Ctrl-C / SIGTERM) before every check finished. This report certifies nothing.</p>' : ''}
${r.backend.real ? '' : '<p class="banner">SIMULATED: this run used the meltcheck replica-set simulator, not a real mongod. It is not a real-MongoDB certification.</p>'}
<h1>meltcheck: <span class="${r.verdict}">${esc(r.verdict.toUpperCase())}</span> — ${esc(r.adapter.name)}</h1>
<p>${r.checks.filter((c) => c.status === 'pass').length} checks held, ${r.checks.filter((c) => c.status === 'fail').length} failed, ${r.checks.filter((c) => c.status === 'error').length} errored, ${r.checks.filter((c) => c.status === 'not-exercised').length} not exercised, ${r.checks.filter((c) => c.status === 'skip').length} skipped, on <b>${esc(r.backend.kind)}</b>${r.backend.note ? ` (${esc(r.backend.note)})` : ''}.</p>
<h2>Verdict matrix</h2>
<table><tr><th>check</th><th>kind</th><th>status</th><th>runs</th><th>ms</th>${INVARIANTS.map((i) => `<th>${esc(i)}</th>`).join('')}</tr>
${matrix}</table>
<h2>Failures (${r.failures.length})</h2>
${failures || '<p class="pass">none</p>'}
<h2>The rules</h2>
<table>${INVARIANTS.map((i) => `<tr><th>${esc(i)}</th><td>${esc(EXPLAIN[i])}</td></tr>`).join('')}</table>
<h2>Environment</h2>
<table>${env.map(([k, v]) => `<tr><th>${esc(k)}</th><td><code>${esc(v)}</code></td></tr>`).join('')}</table>
<p class="skip">Proofs appear only as Y = hash_to_curve(secret). Schema ${esc(r.schema)}.</p>
</body></html>
`;
}
