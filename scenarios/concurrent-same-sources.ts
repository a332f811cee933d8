import { defineScenario } from '../src/harness/scenario.ts';

export default defineScenario({
  name: 'concurrent-same-sources',
  description: 'Eight sessions melt the same two source tokens at once: at most one may win.',
  minimum: { committed: 1, overlapping: 1 },
  invariants: ['no-double-count', 'conservation', 'atomicity', 'audit'],
  async run(h) {
    const meta = await h.owner('dave');
    const a = await h.fund(meta, 'a', [8, 4]);
    const b = await h.fund(meta, 'b', [2]);
    const calls = await Promise.all(
      Array.from({ length: 8 }, async (_, i) => ({
        sources: [a.tokenId, b.tokenId],
        keep: await h.proofs(`keep-${i}`, [1]),
        change: await h.proofs(`change-${i}`, [2]),
        transactionId: `melt-c${i}`,
        meta,
      })),
    );
    const results = await Promise.all(calls.map((c, i) => h.melt(`p${i}`, c)));
    const won = results.filter((r) => r.type === 'ok').length;
    h.expect(won === 1, 'exactly one of the concurrent melts completes', { won });
  },
});
