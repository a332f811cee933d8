import type { CheckResult, Failure } from './types.ts';
import { environment } from './versions.ts';

export { environment } from './versions.ts';

export const REPORT_SCHEMA = 'meltcheck/report@1';

export interface Report {
  schema: typeof REPORT_SCHEMA;
  runId: string;
  startedAt: string;
  durationMs: number;
  verdict: 'pass' | 'fail';
  backend: { kind: string; real: boolean; serverVersion: string; members: number; note?: string };
  adapter: { name: string; spec: string; sha256: string };
  seed: number;
  runs: number;
  /** Set when the run was one shard of a CI matrix (`--shard i/n`): its property seed and runs. */
  shard?: { index: number; total: number; seed: number; runs: number };
  /** Set by merge-reports: the shard reports this one was merged from (their run ids). */
  mergedFrom?: string[];
  environment: Record<string, string>;
  checks: Omit<CheckResult, 'failures' | 'verdict'>[];
  failures: Failure[];
}

export function buildReport(
  meta: Omit<Report, 'schema' | 'verdict' | 'checks' | 'failures' | 'environment'>,
  results: CheckResult[],
): Report {
  const failures = results.flatMap((r) => r.failures);
  return {
    schema: REPORT_SCHEMA,
    ...meta,
    verdict: results.some((r) => r.status === 'fail') ? 'fail' : 'pass',
    environment: environment(),
    checks: results.map(({ failures: _f, verdict: _v, ...c }) => c),
    failures,
  };
}
