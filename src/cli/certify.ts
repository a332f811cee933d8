import { randomInt } from 'node:crypto';
import { appendFileSync } from 'node:fs';
import { join } from 'node:path';
import { certify as certifyApi } from '../api/certify.ts';
import { runIdNow } from '../api/run.ts';
import { exitCodeOf } from '../report/report.ts';
import { summary } from '../report/summary.ts';
import { parseCertify } from './args.ts';

/** `meltcheck certify`: the programmatic certify with progress on stdout, reports on disk, and an exit code. */
export async function certify(argv: string[]): Promise<number> {
  const o = parseCertify(argv, () => randomInt(2 ** 31));
  const runId = runIdNow();
  const dir = o.out ?? join('reports', runId);
  const report = await certifyApi({ ...o, out: dir, runId, log: console.log, handleSignals: true });
  const count = (status: string) => report.checks.filter((r) => r.status === status).length;
  console.log(
    `meltcheck: ${report.verdict.toUpperCase()} — ${count('pass')} held, ${count('fail')} failed, ${count('error')} errored, ${count('not-exercised')} not exercised, ${count('skip')} skipped; report in ${dir}/`,
  );
  if (o.summary) appendFileSync(o.summary, summary(report, dir));
  return exitCodeOf(report.verdict);
}
