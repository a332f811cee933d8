import { defineServiceStory, settle } from '../../src/harness/service-story.ts';

export default defineServiceStory({
  name: 'melt-response-lost',
  description: 'The mint pays and signs the change, but the response never reaches the wallet.',
  invariants: ['conservation', 'no-double-count', 'recovery'],
  async run(wallet, mint) {
    const invoice = await mint.invoice(300, 'melt-lost', { feeReserve: 10, actualFee: 3 });
    mint.faults.add({ endpoint: '/v1/melt/bolt11', kind: 'response-lost' });
    const r = await wallet.melt(invoice).then(JSON.stringify, (e) => `threw: ${(e as Error).message}`);
    mint.faults.clear();
    return [`melt: ${r}`, `recover: ${await settle(wallet)}`];
  },
});
