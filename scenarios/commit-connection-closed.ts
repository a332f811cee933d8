import { defineScenario } from '../src/harness/scenario.ts';

export default defineScenario({
  name: 'commit-connection-closed',
  description:
    'The server closes the connection when commitTransaction arrives (before it runs); the driver retries the commit: applied exactly once. (A reply lost after the commit ran is the wire-faults point commit-reply-lost.)',
  minimum: { faultsFired: 1 },
  invariants: ['atomicity', 'audit', 'idempotency', 'conservation'],
  async run(h) {
    const meta = await h.owner('ivan');
    const a = await h.fund(meta, 'a', [16]);
    await h.failCommand({ failCommands: ['commitTransaction'], closeConnection: true }, { times: 1 });
    await h.melt('p0', {
      sources: [a.tokenId],
      keep: await h.proofs('keep', [4]),
      change: await h.proofs('change', [2]),
      transactionId: 'melt-commit-lost',
      meta,
    });
  },
});
