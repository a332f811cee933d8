import { describe, expect, it } from 'vitest';
import { simRunEnv } from '../testing/run-env.ts';
import { balanceReads } from './balance-reads.ts';
import { runCheck } from './run-check.ts';

const operations = (steps: { type: string }[]) => steps.filter((o) => o.type === 'invoke').length;

// The bank test for wallets, on the simulator: one melt and two balance reads by three wallet processes in
// gate-scheduled orders, then the melt property with reads.
describe('balance-reads (sim backend)', { timeout: 240_000 }, () => {
  it('passes the reference, with reads made while the melt was in flight', async () => {
    const env = await simRunEnv('reference', 7);
    try {
      const r = await runCheck(balanceReads, env, { runs: 40, seed: 7 });
      expect([r.status, r.reason, r.failures.map((f) => f.message)]).toEqual(['pass', undefined, []]);
      expect(r.exercised?.counts.readsConcurrent).toBeGreaterThan(0);
      expect(r.stats?.['gate.readers']).toBe(2);
    } finally {
      await env.close();
    }
  });

  it('is skipped, with the reason, for an adapter without balance()', async () => {
    const env = await simRunEnv('mutant:no-transaction', 7);
    try {
      const r = await runCheck(balanceReads, env, { runs: 10, seed: 7 });
      expect([r.status, r.skipReason]).toEqual(['skip', 'adapter has no balance()']);
    } finally {
      await env.close();
    }
  });

  for (const [name, type] of [
    ['balance-two-reads', 'double-count'],
    ['balance-total-minus-spent', 'missing'],
  ] as const)
    it(`kills ${name} (${type}) with a gated counterexample of <= 4 operations that replays exactly`, async () => {
      const env = await simRunEnv(`mutant:${name}`, 7);
      try {
        const first = await balanceReads.run(env, { runs: 40, seed: 7, firstFailure: true });
        const f = first.failures[0];
        expect([f?.invariant, f?.type]).toEqual(['balance-read', type]);
        expect(f.replayData?.part).toBe('gate');
        expect(operations(f.steps)).toBeLessThanOrEqual(4);
        expect(f.witness).toMatchObject({ seen: expect.any(Number), allowed: expect.any(Array) });
        const again = await balanceReads.run(env, { runs: 40, seed: 7, replay: f.replayData });
        expect(again.failures[0].witness.schedule).toEqual(f.witness.schedule);
        expect(again.failures[0].witness.seen).toEqual(f.witness.seen);
        expect(again.failures.map((x) => `${x.invariant}/${x.type}`)).toEqual(
          first.failures.map((x) => `${x.invariant}/${x.type}`),
        );
      } finally {
        await env.close();
      }
    });
});
