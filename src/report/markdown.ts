import { INVARIANTS } from '../checker/types.ts';
import { EXPLAIN } from './explain.ts';
import { failureMarkdown } from './failure-sections.ts';
import { mdCode, mdFence, mdText } from './md-escape.ts';
import type { Report } from './report.ts';

export function markdown(r: Report): string {
  const lines = [
    `# meltcheck report — ${r.interrupted ? 'INTERRUPTED (incomplete: certifies nothing)' : mdText(r.verdict.toUpperCase())}`,
    '',
    r.backend.real
      ? ''
      : '> **SIMULATED**: this run used the meltcheck replica-set simulator, not a real mongod. It is not a real-MongoDB certification.',
    '',
    `- adapter: ${mdCode(r.adapter.spec)} (sha256 ${mdText(r.adapter.sha256.slice(0, 16))}…${r.adapter.fingerprint ? `, fingerprint ${mdText(r.adapter.fingerprint)}` : ''})`,
    `- backend: ${mdText(r.backend.kind)}${r.backend.real ? '' : ' (simulated)'}, server ${mdText(r.backend.serverVersion)}, ${r.backend.members} member(s)${r.backend.note ? ` — ${mdText(r.backend.note)}` : ''}`,
    ...(r.mint ? [`- mint: ${mdText(r.mint.kind)} (${mdText(r.mint.version)})`] : []),
    `- seed: ${r.seed} · runs per property: ${r.runs} · run: ${mdText(r.runId)} · ${mdText(r.startedAt)}`,
    `- environment: ${Object.entries(r.environment)
      .map(([k, v]) => `${mdText(k)} ${mdText(v)}`)
      .join(', ')}`,
    '',
    '| check | kind | status | runs | ms |',
    '|---|---|---|---|---|',
    ...r.checks.map(
      (c) =>
        `| ${mdText(c.name)} | ${mdText(c.kind)} | ${mdText(c.status)}${c.skipReason ? ` (${mdText(c.skipReason)})` : ''}${c.reason ? ` — ${mdText(c.reason)}` : ''}${c.exercised?.note ? ` (note: ${mdText(c.exercised.note)})` : ''} | ${c.runs} | ${c.durationMs} |`,
    ),
    '',
  ];
  // The paths a generated check went through (service property): a path at 0 makes the check not-exercised.
  const paths = r.checks
    .map((c) => ({ c, p: Object.entries(c.exercised?.counts ?? {}).filter(([k]) => k.startsWith('path.')) }))
    .filter((x) => x.p.length);
  if (paths.length) {
    lines.push('## Coverage', '');
    for (const { c, p } of paths)
      lines.push(`- ${mdText(c.name)}: ${p.map(([k, n]) => `${mdText(k.slice(5))} ${n}`).join(', ')}`);
    lines.push('');
  }
  if (r.failures.length) {
    lines.push('## Failures', '');
    for (const f of r.failures) {
      lines.push(
        `### ${mdText(f.id)} — ${mdText(f.invariant)}: ${mdText(f.type)}`,
        '',
        mdText(f.message),
        '',
        ...failureMarkdown(f),
        `Replay: ${mdCode(f.replay)}`,
        '',
        ...mdFence('json', JSON.stringify(f.witness, null, 2)),
        '',
      );
    }
  }
  lines.push('## The rules', '', ...INVARIANTS.map((i) => `- **${i}**: ${EXPLAIN[i]}`), '');
  return lines.join('\n');
}
