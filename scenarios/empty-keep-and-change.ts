import { defineScenario } from '../src/harness/scenario.ts';

export default defineScenario({
  name: 'empty-keep-and-change',
  description: 'An exact melt: no keep proofs and no change. Nothing but the spend and the audit may be stored.',
  invariants: ['no-double-count', 'conservation', 'atomicity', 'audit'],
  async run(h) {
    const meta = await h.owner('erin');
    const a = await h.fund(meta, 'a', [4, 1]);
    const r = await h.melt('p0', { sources: [a.tokenId], keep: [], change: [], transactionId: 'melt-empty', meta });
    h.expect(r.type === 'ok', 'a melt with empty keep and empty change completes', { outcome: r });
    const b = await h.fund(meta, 'b', [2]);
    const r2 = await h.melt('p1', {
      sources: [b.tokenId],
      keep: await h.proofs('keep', [1]),
      change: [],
      transactionId: 'melt-keep-only',
      meta,
    });
    h.expect(r2.type === 'ok', 'a melt with keep but empty change completes', { outcome: r2 });
  },
});
