import type { CheckResult, Failure } from '../report/types.ts';

/** A witness in a few words: the first keys of the failure's witness, values cut short. */
export function witnessSummary(f: Failure, max = 6): string {
  const entries = Object.entries(f.witness).filter(([k]) => k !== 'commands' && k !== 'path' && k !== 'replayPath');
  return entries
    .slice(0, max)
    .map(([k, v]) => `${k}=${JSON.stringify(v)?.slice(0, 80)}`)
    .join(', ');
}

/** The failure message a wallet developer sees in vitest: each invariant broken, its witness, how to replay. */
export function checkFailureMessage(r: CheckResult, replay: string, backend: string): string {
  const lines = [`meltcheck ${r.name}: ${r.status.toUpperCase()} on ${backend}`];
  // error / not-exercised: not the wallet's violation, and not a pass either.
  if (r.reason) lines.push(`  ${r.reason}`);
  for (const f of r.failures.slice(0, 5)) {
    lines.push(`  [${f.invariant}] ${f.message.split('\n')[0]}`);
    const w = witnessSummary(f);
    if (w) lines.push(`    witness: ${w}`);
    if (f.steps.length) lines.push(`    operations: ${f.steps.length} (see the report for the table)`);
  }
  if (r.failures.length > 5) lines.push(`  … ${r.failures.length - 5} more`);
  lines.push(`  replay: ${replay}`);
  return lines.join('\n');
}
