import { defineScenario } from '../src/harness/scenario.ts';

export default defineScenario({
  name: 'duplicate-transaction-id',
  description: 'The same transactionId is used twice (a replayed request), then once more concurrently.',
  invariants: ['idempotency', 'no-double-count', 'conservation', 'audit'],
  async run(h) {
    const meta = await h.owner('grace');
    const a = await h.fund(meta, 'a', [8]);
    const b = await h.fund(meta, 'b', [8]);
    await h.melt('p0', {
      sources: [a.tokenId],
      keep: [],
      change: await h.proofs('c1', [2]),
      transactionId: 'melt-dup',
      meta,
    });
    await h.melt('p1', {
      sources: [b.tokenId],
      keep: [],
      change: await h.proofs('c2', [2]),
      transactionId: 'melt-dup',
      meta,
    });
    const c = await h.fund(meta, 'c', [4]);
    const d = await h.fund(meta, 'd', [4]);
    await Promise.all([
      h.melt('p2', {
        sources: [c.tokenId],
        keep: [],
        change: await h.proofs('c3', [1]),
        transactionId: 'melt-dup-2',
        meta,
      }),
      h.melt('p3', {
        sources: [d.tokenId],
        keep: [],
        change: await h.proofs('c4', [1]),
        transactionId: 'melt-dup-2',
        meta,
      }),
    ]);
  },
});
