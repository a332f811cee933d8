import type { AdapterEnvironment } from '../adapter/identity.ts';
import type { CheckResult, Failure } from './types.ts';
import { environment } from './versions.ts';

export { environment } from './versions.ts';

export const REPORT_SCHEMA = 'meltcheck/report@1';

export type RunVerdict = 'pass' | 'fail' | 'inconclusive';

/** The run's verdict from its checks: a violation wins; otherwise any error or vacuous check makes it inconclusive. */
export function runVerdict(results: Pick<CheckResult, 'status'>[]): RunVerdict {
  if (results.some((r) => r.status === 'fail')) return 'fail';
  if (results.some((r) => r.status === 'error' || r.status === 'not-exercised')) return 'inconclusive';
  if (!results.some((r) => r.status === 'pass')) return 'inconclusive';
  return 'pass';
}

/** Exit codes: 0 pass, 1 a violation, 3 inconclusive (2 is usage/environment, decided before checks run). */
export function exitCodeOf(verdict: RunVerdict): 0 | 1 | 3 {
  return verdict === 'pass' ? 0 : verdict === 'fail' ? 1 : 3;
}

export interface Report {
  schema: typeof REPORT_SCHEMA;
  runId: string;
  startedAt: string;
  durationMs: number;
  /** pass: every applicable check passed and was exercised; fail: a violation; inconclusive: none found, but a
   * check errored or was not exercised. */
  verdict: RunVerdict;
  /** Where the run's time went: judging (checker and state reads), inside the wallet's calls, writing reports. */
  timing?: { checkerMs: number; walletMs: number; reportMs: number };
  /** Present when the run was stopped (Ctrl-C): the checks listed are those that finished. */
  interrupted?: boolean;
  backend: { kind: string; real: boolean; serverVersion: string; members: number; note?: string };
  adapter: { name: string; spec: string; sha256: string } & AdapterEnvironment;
  /** Which mint served the service level (--mint): test, nutshell or url, and the version it reported. */
  mint?: { kind: string; version: string };
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
    verdict: runVerdict(results),
    environment: environment(),
    checks: results.map(({ failures: _f, verdict: _v, ...c }) => c),
    failures,
  };
}
