import { defineServiceStory, settle } from '../../src/harness/service-story.ts';

export default defineServiceStory({
  name: 'lightning-pending-then-paid',
  description: 'The payment stays pending, then settles: nothing is credited twice, the change arrives.',
  invariants: ['conservation', 'no-double-count', 'recovery'],
  async run(wallet, mint) {
    const invoice = await mint.invoice(300, 'ln-pending-paid', { outcome: 'pending', feeReserve: 10, actualFee: 2 });
    const r = await wallet.melt(invoice).then(JSON.stringify, (e) => `threw: ${(e as Error).message}`);
    const whilePending = await settle(wallet);
    await mint.settle(invoice, 'paid');
    return [`melt: ${r}`, `recover while pending: ${whilePending}`, `recover after paid: ${await settle(wallet)}`];
  },
});
