import { describe, expect, it } from 'vitest';
import { simRunEnv } from '../testing/run-env.ts';
import { DEFAULT_CHECK_TIMEOUT_MS, runCheck } from './run-check.ts';
import { serviceProperty } from './service-property.ts';
import type { Check } from './types.ts';

/** A check that never ends, with a deadline of its own. */
const hangs = (deadlineMs?: number): Check => ({
  name: 'hangs',
  kind: 'scenario',
  invariants: ['conservation'],
  ...(deadlineMs ? { deadlineMs: () => deadlineMs } : {}),
  run: () => new Promise(() => {}),
});

// Which deadline a check gets (sim backend): --check-timeout when given, else the check's own, else 600 s.
describe('check deadlines', () => {
  it("a check's own deadline applies when none is given, and a given one wins", async () => {
    const env = await simRunEnv('reference', 1);
    try {
      const own = await runCheck(hangs(50), env, { runs: 1, seed: 1 });
      expect([own.status, own.reason]).toEqual(['error', 'check hangs did not finish within 50 ms']);
      const given = await runCheck(hangs(60_000), env, { runs: 1, seed: 1, checkTimeoutMs: 40 });
      expect([given.status, given.reason]).toEqual(['error', 'check hangs did not finish within 40 ms']);
    } finally {
      await env.close();
    }
  });

  it('gives the service property three seconds a story, never less than the default', () => {
    expect(serviceProperty.deadlineMs?.({ runs: 200, seed: 1 })).toBe(DEFAULT_CHECK_TIMEOUT_MS);
    // --profile full: 2,000 runs, 1,000 stories.
    expect(serviceProperty.deadlineMs?.({ runs: 2000, seed: 1 })).toBe(3_000_000);
  });
});
