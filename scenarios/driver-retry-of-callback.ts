import { defineScenario } from '../src/harness/scenario.ts';

export default defineScenario({
  name: 'driver-retry-of-callback',
  description: 'A TransientTransactionError on the spend makes the driver run the whole callback again.',
  minimum: { committed: 1, faultsFired: 1 },
  invariants: ['atomicity', 'audit', 'no-double-count', 'conservation'],
  async run(h) {
    const meta = await h.owner('heidi');
    const a = await h.fund(meta, 'a', [16]);
    await h.failCommand(
      { failCommands: ['update'], errorCode: 112, errorLabels: ['TransientTransactionError'] },
      { times: 2 },
    );
    const r = await h.melt('p0', {
      sources: [a.tokenId],
      keep: await h.proofs('keep', [4]),
      change: await h.proofs('change', [1]),
      transactionId: 'melt-retry',
      meta,
    });
    h.expect(r.type === 'ok', 'a melt retried by the driver completes', { outcome: r });
  },
});
