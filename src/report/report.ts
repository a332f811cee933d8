import { createRequire } from 'node:module';
import type { CheckResult, Failure } from './types.ts';

export const REPORT_SCHEMA = 'meltcheck/report@1';

export interface Report {
  schema: typeof REPORT_SCHEMA;
  runId: string;
  startedAt: string;
  durationMs: number;
  verdict: 'pass' | 'fail';
  backend: { kind: string; real: boolean; serverVersion: string; members: number; note?: string };
  adapter: { name: string; spec: string; sha256: string };
  /** Which mint served the service level (--mint): test, nutshell or url, and the version it reported. */
  mint?: { kind: string; version: string };
  seed: number;
  runs: number;
  environment: Record<string, string>;
  checks: Omit<CheckResult, 'failures' | 'verdict'>[];
  failures: Failure[];
}

const require = createRequire(import.meta.url);
function versionOf(pkg: string): string {
  try {
    return require(`${pkg}/package.json`).version;
  } catch {
    return 'unknown';
  }
}

export function environment(): Record<string, string> {
  return {
    node: process.version,
    platform: `${process.platform}-${process.arch}`,
    meltcheck: require('../../package.json').version,
    mongodb: versionOf('mongodb'),
    mongoose: versionOf('mongoose'),
    'cashu-ts': versionOf('@cashu/cashu-ts'),
    'fast-check': versionOf('fast-check'),
  };
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
