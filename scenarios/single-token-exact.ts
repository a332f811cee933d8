import { defineScenario } from '../src/harness/scenario.ts';

export default defineScenario({
  name: 'single-token-exact',
  description: 'One source token of one proof, melted for exactly its value.',
  invariants: ['no-double-count', 'conservation', 'atomicity', 'audit'],
  async run(h) {
    const meta = await h.owner('frank');
    const a = await h.fund(meta, 'a', [64]);
    const r = await h.melt('p0', { sources: [a.tokenId], keep: [], change: [], transactionId: 'melt-single', meta });
    h.expect(r.type === 'ok', 'a single-token exact melt completes', { outcome: r });
  },
});
