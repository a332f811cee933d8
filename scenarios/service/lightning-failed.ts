import { defineServiceStory, settle } from '../../src/harness/service-story.ts';

export default defineServiceStory({
  name: 'lightning-failed',
  description: 'The Lightning payment fails: the inputs are released and the wallet must still hold its money.',
  invariants: ['conservation', 'no-double-count'],
  async run(wallet, mint) {
    const invoice = await mint.invoice(200, 'ln-failed', { outcome: 'failed', feeReserve: 4 });
    const r = await wallet.melt(invoice).then(JSON.stringify, (e) => `threw: ${(e as Error).message}`);
    return [`melt: ${r}`, `recover: ${await settle(wallet)}`];
  },
});
