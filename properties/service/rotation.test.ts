import { describe, expect, it } from 'vitest';
import { claimDatabase } from '../../src/harness/env.ts';
import { simRunEnv } from '../../src/testing/run-env.ts';
import { InvariantViolation } from '../model.ts';
import { Rotate, type ServiceModel, TwoMelts } from './commands.ts';
import { ServiceRun, WalletPool } from './service-run.ts';

// A counterexample the full service property found in reference-service (seed 1, sim + test mint): after a keyset
// rotation, one of two melts in flight is refused (12002) and rebinds the wallet to the new keyset; the other melt's
// swap then ran on the new keyset while its record named the old one, and recovery restored nothing: 19 sat lost.
describe('keyset rotation with two melts in flight (sim backend, test mint)', { timeout: 120_000 }, () => {
  it('loses nothing: every output of a melt is on the keyset its record names', async () => {
    const env = await simRunEnv('reference-service', 1);
    const pool = new WalletPool(env);
    const run = new ServiceRun(env, pool, new Set());
    try {
      const funds = [19, 584, 2];
      await run.start(await claimDatabase(env, 'rotation'), {
        funds,
        inputFeePpk: 0,
        failedAs: 'unpaid',
        websocket: 'on',
      });
      for (const a of funds) await run.fund(a);
      const m: ServiceModel = { funds: [...funds], ppks: funds.map(() => 0) };
      await new Rotate(1000).run(m, run);
      const story = new TwoMelts([44, 55], ['pending-paid', 'pending-failed']).run(m, run);
      await expect(story.catch((e) => (e instanceof InvariantViolation ? e.message : e))).resolves.toBeUndefined();
      expect(env.tally.paths['keyset-rotated']).toBe(1);
      expect(env.tally.attempted).toBe(2);
      // Refused on the old keyset, the wallet has learnt the new one: the next melts go through, and lose nothing.
      const next = new TwoMelts([20, 20], ['paid', 'paid']).run(m, run);
      await expect(next.catch((e) => (e instanceof InvariantViolation ? e.message : e))).resolves.toBeUndefined();
      expect(env.tally.committed).toBeGreaterThan(0);
    } finally {
      await run.stop().catch(() => {});
      pool.close();
      await env.close();
    }
  });
});
