import { defineServiceStory, settle } from '../../src/harness/service-story.ts';

export default defineServiceStory({
  name: 'lightning-pending-then-failed',
  description: 'The payment stays pending, then fails: the inputs come back to the wallet exactly once.',
  invariants: ['conservation', 'no-double-count', 'recovery'],
  async run(wallet, mint) {
    const invoice = await mint.invoice(300, 'ln-pending-failed', { outcome: 'pending', feeReserve: 10 });
    const r = await wallet.melt(invoice).then(JSON.stringify, (e) => `threw: ${(e as Error).message}`);
    await mint.settle(invoice, 'failed');
    return [`melt: ${r}`, `recover after failed: ${await settle(wallet)}`];
  },
});
