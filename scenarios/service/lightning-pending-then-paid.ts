import { defineServiceStory, settle } from '../../src/harness/service-story.ts';
import { fakeInvoice } from '../../src/mint/invoice.ts';

export default defineServiceStory({
  name: 'lightning-pending-then-paid',
  description: 'The payment stays pending, then settles: nothing is credited twice, the change arrives.',
  invariants: ['conservation', 'no-double-count', 'recovery'],
  async run(wallet, mint) {
    const invoice = fakeInvoice(300, 'ln-pending-paid');
    mint.lightning.plan(invoice, { outcome: 'pending', feeReserve: 10, actualFee: 2 });
    const r = await wallet.melt(invoice).then(JSON.stringify, (e) => `threw: ${(e as Error).message}`);
    const whilePending = await settle(wallet);
    const quote = [...mint.ledger.meltQuotes.values()].find((q) => q.request === invoice)!;
    mint.ledger.settle(quote.quote, 'paid');
    return [`melt: ${r}`, `recover while pending: ${whilePending}`, `recover after paid: ${await settle(wallet)}`];
  },
});
