import { afterAll, describe, expect, it } from 'vitest';
import { CHECK_REGISTRY as CHECKS } from '../../checks/registry.ts';
import { runCheck } from '../../checks/run-check.ts';
import type { CheckResult } from '../../report/types.ts';
import { simRunEnv } from '../../testing/run-env.ts';
import { nutshellProvider } from '../provider.ts';
import { nutshellMissing } from './install.ts';

const missing = nutshellMissing();
const SERVICE = CHECKS.filter((c) => c.level === 'service' && !c.fullOnly);

async function certifyAgainstNutshell(spec: string, checks = SERVICE): Promise<CheckResult[]> {
  const env = { ...(await simRunEnv(spec, 7)), mint: nutshellProvider };
  try {
    const results: CheckResult[] = [];
    for (const c of checks) results.push(await runCheck(c, env, { runs: 1, seed: 7 }));
    return results;
  } finally {
    await env.close();
  }
}

// Service-level certification with nutshell (FakeWallet) as the mint and its books as the oracle (sim backend).
describe('service level against nutshell (sim backend)', () => {
  const times: string[] = [];
  afterAll(() => times.length && console.log(`nutshell service checks:\n${times.join('\n')}`));
  const line = (spec: string, r: CheckResult) =>
    `${spec.padEnd(22)} ${r.name.padEnd(30)} ${r.status.padEnd(4)} ${String(r.durationMs).padStart(6)} ms ${r.skipReason ?? ''}`;

  it.skipIf(Boolean(missing))(
    missing
      ? `skipped: ${missing}`
      : 'certifies the reference service: every service check that can use nutshell runs and holds',
    async () => {
      const results = await certifyAgainstNutshell('reference-service');
      for (const r of results) times.push(line('reference-service', r));
      expect(results.flatMap((r) => r.failures.map((f) => `${f.check}: [${f.invariant}] ${f.message}`))).toEqual([]);
      // The generated stories need the test mint (per-payment Lightning outcomes, its books): skipped, with why.
      const expected = (name: string) => (name === 'service-property' ? 'skip' : 'pass');
      expect(results.map((r) => `${r.name}:${r.status}`)).toEqual(SERVICE.map((c) => `${c.name}:${expected(c.name)}`));
      expect(results.find((r) => r.name === 'service-property')?.skipReason).toMatch(/test mint/);
      expect(results.find((r) => r.name === 'service-crash-story')?.points?.length).toBeGreaterThanOrEqual(5);
    },
    300_000,
  );

  it.skipIf(Boolean(missing))(
    missing ? `skipped: ${missing}` : 'kills the mutant mint-then-db when the melt response is lost (conservation)',
    async () => {
      // The one story that kills it is enough here (the full matrix runs against the test mint).
      const results = await certifyAgainstNutshell(
        'mutant:mint-then-db',
        SERVICE.filter((c) => c.name === 'melt-response-lost'),
      );
      for (const r of results) times.push(line('mutant:mint-then-db', r));
      const failures = results.flatMap((r) => r.failures);
      expect(failures.some((f) => f.type === 'check-crashed')).toBe(false);
      expect(failures.map((f) => f.invariant)).toContain('conservation');
      expect(results.find((r) => r.name === 'melt-response-lost')?.status).toBe('fail');
    },
  );
});
