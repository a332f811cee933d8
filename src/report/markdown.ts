import type { Report } from './report.ts';

export function markdown(r: Report): string {
  const lines = [
    `# meltcheck report — ${r.verdict.toUpperCase()}`,
    '',
    r.backend.real
      ? ''
      : '> **SIMULATED**: this run used the meltcheck replica-set simulator, not a real mongod. It is not a real-MongoDB certification.',
    '',
    `- adapter: \`${r.adapter.spec}\` (sha256 ${r.adapter.sha256.slice(0, 16)}…${r.adapter.fingerprint ? `, fingerprint ${r.adapter.fingerprint}` : ''})`,
    `- backend: ${r.backend.kind}${r.backend.real ? '' : ' (simulated)'}, server ${r.backend.serverVersion}, ${r.backend.members} member(s)${r.backend.note ? ` — ${r.backend.note}` : ''}`,
    ...(r.mint ? [`- mint: ${r.mint.kind} (${r.mint.version})`] : []),
    `- seed: ${r.seed} · runs per property: ${r.runs} · run: ${r.runId} · ${r.startedAt}`,
    `- environment: ${Object.entries(r.environment)
      .map(([k, v]) => `${k} ${v}`)
      .join(', ')}`,
    '',
    '| check | kind | status | runs | ms |',
    '|---|---|---|---|---|',
    ...r.checks.map(
      (c) =>
        `| ${c.name} | ${c.kind} | ${c.status}${c.skipReason ? ` (${c.skipReason})` : ''}${c.reason ? ` — ${c.reason}` : ''}${c.exercised?.note ? ` (note: ${c.exercised.note})` : ''} | ${c.runs} | ${c.durationMs} |`,
    ),
    '',
  ];
  if (r.failures.length) {
    lines.push('## Failures', '');
    for (const f of r.failures) {
      lines.push(
        `### ${f.id} — ${f.invariant}: ${f.type}`,
        '',
        f.message,
        '',
        `Replay: \`${f.replay}\``,
        '',
        '```json',
        JSON.stringify(f.witness, null, 2),
        '```',
        '',
      );
    }
  }
  return lines.join('\n');
}
