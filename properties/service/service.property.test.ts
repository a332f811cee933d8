import { describe, expect, it } from 'vitest';
import { runCheck } from '../../src/checks/run-check.ts';
import { serviceProperty } from '../../src/checks/service-property.ts';
import { simRunEnv } from '../../src/testing/run-env.ts';
import { runServiceProperty } from './run-service-property.ts';
import { SERVICE_PATHS } from './service-run.ts';

// The generated service stories on the simulator and the test mint: the reference passes them with every coverage
// path gone through; every service mutant is caught with a counterexample of at most six steps
// (the first deposit and at most six commands) that replays exactly from its seed and paths.
describe('service property (sim backend, test mint)', () => {
  // Each story starts a mint, a database and (after a crash) a wallet process: on two shared cores these take
  // minutes, not seconds; the runs are the fewest that go through every coverage path at this seed.
  it('passes reference-service, having gone through every coverage path', { timeout: 400_000 }, async () => {
    const env = await simRunEnv('reference-service', 4);
    try {
      const r = await runCheck(serviceProperty, env, { runs: 120, seed: 4 });
      console.log(`service-property (reference-service, ${r.runs} runs): ${JSON.stringify(r.stats)}`);
      expect(r.failures.map((f) => f.message)).toEqual([]);
      for (const p of SERVICE_PATHS) expect(r.exercised?.counts[`path.${p}`], p).toBeGreaterThan(0);
      expect([r.status, r.reason]).toEqual(['pass', undefined]);
    } finally {
      await env.close();
    }
  });

  for (const [mutant, invariant, seed] of [
    ['exact-melt-recredits', 'no-double-count', 4],
    ['recover-latest-only', 'recovery', 11],
    ['swap-restore-skips-swap', 'conservation', 11],
    ['exact-melt-drops-change', 'conservation', 11],
    ['mint-then-db', 'conservation', 11],
  ] as const)
    it(`catches ${mutant} in at most six steps, and the counterexample replays exactly`, {
      timeout: 400_000,
    }, async () => {
      const env = await simRunEnv(`mutant:${mutant}`, seed);
      try {
        const r = await runServiceProperty(env, { runs: 100, seed, firstOnly: true });
        expect(r.ok).toBe(false);
        const cx = r.counterexamples[0];
        expect(cx.anomalies.map((a) => a.invariant)).toContain(invariant);
        // The first entry is the run's setting (mint and first deposit), the rest the commands.
        expect(cx.commands.length - 1).toBeLessThanOrEqual(6);
        // The setting says whether the mint served NUT-17 WebSocket subscriptions.
        expect(cx.commands[0]).toMatch(/^Mint\(.*"websocket":"(on|off)"/);
        expect(cx.history?.some((o) => o.f === 'mint')).toBe(true);
        const again = await runServiceProperty(env, {
          runs: 100,
          seed: cx.seed,
          path: cx.path,
          replayPath: cx.replayPath,
          ignore: cx.ignore,
        });
        expect(again.counterexamples[0]?.commands).toEqual(cx.commands);
        expect(again.counterexamples[0]?.anomalies.map((a) => a.type)).toEqual(cx.anomalies.map((a) => a.type));
      } finally {
        await env.close();
      }
    });
});
