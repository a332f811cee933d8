import { defineScenario } from '../src/harness/scenario.ts';

export default defineScenario({
  name: 'successful-melt',
  description: 'Two source tokens melted with keep and change: sources spent, keep and change stored, one audit.',
  invariants: ['no-double-count', 'conservation', 'atomicity', 'audit'],
  async run(h) {
    const meta = await h.owner('alice');
    const a = await h.fund(meta, 'a', [8, 2]);
    const b = await h.fund(meta, 'b', [16]);
    const r = await h.melt('p0', {
      sources: [a.tokenId, b.tokenId],
      keep: await h.proofs('keep', [4, 1]),
      change: await h.proofs('change', [2]),
      transactionId: 'melt-1',
      meta,
    });
    h.expect(r.type === 'ok', 'a valid melt completes', { outcome: r });
  },
});
