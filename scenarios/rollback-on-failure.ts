import { defineScenario } from '../src/harness/scenario.ts';

export default defineScenario({
  name: 'rollback-on-failure',
  description: 'The second insert of the melt (the change document) fails: nothing of the melt may remain.',
  minimum: { faultsFired: 1 },
  invariants: ['atomicity', 'conservation', 'audit'],
  async run(h) {
    const meta = await h.owner('bob');
    const a = await h.fund(meta, 'a', [32]);
    await h.failCommand({ failCommands: ['insert'], errorCode: 2 }, { skip: 1 });
    const r = await h.melt('p0', {
      sources: [a.tokenId],
      keep: await h.proofs('keep', [8]),
      change: await h.proofs('change', [4]),
      transactionId: 'melt-rb',
      meta,
    });
    h.expect(r.type !== 'ok', 'a melt whose write failed reports failure', { outcome: r });
  },
});
