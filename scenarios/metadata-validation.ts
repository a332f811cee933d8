import { defineScenario } from '../src/harness/scenario.ts';

export default defineScenario({
  name: 'metadata-validation',
  description: 'Melts missing npub, wallet_id or mint_url are refused before any write.',
  minimum: {},
  invariants: ['atomicity', 'conservation'],
  async run(h) {
    const meta = await h.owner('carol');
    const a = await h.fund(meta, 'a', [8]);
    for (const field of ['npub', 'wallet_id', 'mint_url'] as const) {
      const bad = { ...meta, [field]: '' };
      const r = await h.melt(`p-${field}`, {
        sources: [a.tokenId],
        keep: [],
        change: await h.proofs(`change-${field}`, [1]),
        transactionId: `melt-no-${field}`,
        meta: bad,
      });
      h.expect(r.type === 'fail', `a melt without metadata.${field} is refused`, { outcome: r });
    }
  },
});
