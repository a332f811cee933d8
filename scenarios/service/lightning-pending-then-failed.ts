import { defineServiceStory, settle } from '../../src/harness/service-story.ts';
import { fakeInvoice } from '../../src/mint/invoice.ts';

export default defineServiceStory({
  name: 'lightning-pending-then-failed',
  description: 'The payment stays pending, then fails: the inputs come back to the wallet exactly once.',
  invariants: ['conservation', 'no-double-count', 'recovery'],
  async run(wallet, mint) {
    const invoice = fakeInvoice(300, 'ln-pending-failed');
    mint.lightning.plan(invoice, { outcome: 'pending', feeReserve: 10 });
    const r = await wallet.melt(invoice).then(JSON.stringify, (e) => `threw: ${(e as Error).message}`);
    const quote = [...mint.ledger.meltQuotes.values()].find((q) => q.request === invoice)!;
    mint.ledger.settle(quote.quote, 'failed');
    return [`melt: ${r}`, `recover after failed: ${await settle(wallet)}`];
  },
});
