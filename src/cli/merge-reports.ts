import { appendFileSync } from 'node:fs';
import { join } from 'node:path';
import { mergeReports as mergeApi } from '../api/merge.ts';
import { runIdNow } from '../api/run.ts';
import { exitCodeOf } from '../report/report.ts';
import { summary } from '../report/summary.ts';
import { parse, UsageError } from './args.ts';

/** `meltcheck merge-reports DIR… [--out DIR] [--summary FILE]`: one verdict from the shards of a CI matrix. */
export async function mergeReports(argv: string[]): Promise<number> {
  const { values, positionals } = parse(argv, { out: { type: 'string' }, summary: { type: 'string' } });
  if (positionals.length === 0) throw new UsageError('usage: meltcheck merge-reports DIR… [--out DIR]');
  const dir = (values.out as string | undefined) ?? join('reports', `merged-${runIdNow()}`);
  const report = mergeApi(positionals, { out: dir });
  const count = (status: string) => report.checks.filter((r) => r.status === status).length;
  console.log(
    `meltcheck: merged ${positionals.length} reports: ${report.verdict.toUpperCase()} — ${count('pass')} held, ${count('fail')} failed, ${count('skip')} skipped; report in ${dir}/`,
  );
  if (values.summary) appendFileSync(values.summary as string, summary(report, dir));
  return exitCodeOf(report.verdict);
}
