import { Wallet } from '@cashu/cashu-ts';
import { describe, expect, it } from 'vitest';
import { ledgerBooks } from '../mint/books.ts';
import { fakeInvoice } from '../mint/invoice.ts';
import { TestMint } from '../mint/server.ts';
import { checkServiceInFlight, checkServiceStep } from './service-step.ts';

const held = (ps: { id: string; amount: unknown; secret: string; C: string }[]) =>
  ps.map((p) => ({ id: p.id, amount: Number(p.amount), secret: p.secret, C: p.C }));
const kinds = (r: { anomalies: { invariant: string; type: string }[] }) =>
  r.anomalies.map((a) => `${a.invariant}/${a.type}`);

// The pending rules of the service property, on states built against the test mint: spendable and pending together
// must cover what the mint owes; a pending proof must not be spent; after recover() nothing stays pending needlessly.
describe('service step checker (test mint as oracle)', () => {
  it('judges holdings and pending together, and flags spent pending proofs and pending left after recover()', async () => {
    const mint = await TestMint.start({ seed: 'svc-step' });
    try {
      const w = new Wallet(mint.url, { unit: 'sat' });
      await w.loadMint();
      const a = await w.mintProofsBolt11(64, (await w.createMintQuoteBolt11(64)).quote);
      const b = await w.mintProofsBolt11(32, (await w.createMintQuoteBolt11(32)).quote);
      const books = () => ledgerBooks(mint.ledger);

      // b reserved by a melt not yet sent: pending, unspent at the mint. Fine between steps...
      expect(
        kinds(checkServiceStep({ holdings: held(a), pending: held(b), books: books(), recovered: false })),
      ).toEqual([]);
      // ...but not after recover(), with no payment pending at the mint.
      expect(kinds(checkServiceStep({ holdings: held(a), pending: held(b), books: books(), recovered: true }))).toEqual(
        ['recovery/pending-after-recover'],
      );
      // Without pending(), b is simply lost.
      expect(kinds(checkServiceStep({ holdings: held(a), books: books(), recovered: true }))).toEqual([
        'conservation/money-lost',
      ]);
      // Held both as spendable and as pending: counted twice.
      expect(
        kinds(checkServiceStep({ holdings: held([...a, ...b]), pending: held(b), books: books(), recovered: false })),
      ).toContain('no-double-count/proof-held-twice');

      // a melted at the mint; a wallet still showing a as pending holds spent proofs.
      const mq = await w.createMeltQuoteBolt11(fakeInvoice(40, 'step'));
      const res = await w.meltProofsBolt11(mq, a);
      const spentPending = checkServiceStep({
        holdings: held([...b, ...res.change]),
        pending: held(a),
        books: books(),
        recovered: false,
      });
      expect(kinds(spentPending)).toContain('no-double-count/pending-proof-spent');
      expect(
        checkServiceStep({ holdings: held([...b, ...res.change]), pending: [], books: books(), recovered: true })
          .anomalies,
      ).toEqual([]);

      // While a payment is pending only no-double-count is judged: a spendable proof the mint says is spent.
      expect(checkServiceInFlight(held([...b, ...a]), books()).map((x) => x.type)).toEqual(['holds-spent-proofs']);
      expect(checkServiceInFlight(held(b), books())).toEqual([]);
    } finally {
      await mint.stop();
    }
  });

  it('the test mint answers a failed payment as 200 UNPAID when asked to, leaving the inputs unspent', async () => {
    const mint = await TestMint.start({ seed: 'svc-unpaid', failedAs: 'unpaid' });
    try {
      const w = new Wallet(mint.url, { unit: 'sat' });
      await w.loadMint();
      const a = await w.mintProofsBolt11(64, (await w.createMintQuoteBolt11(64)).quote);
      const invoice = fakeInvoice(40, 'unpaid');
      mint.lightning.plan(invoice, { outcome: 'failed' });
      const res = await w.meltProofsBolt11(await w.createMeltQuoteBolt11(invoice), a);
      expect(res.quote.state).toBe('UNPAID');
      expect(mint.ledger.worth(held(a))).toMatchObject({ unspent: 64, spent: 0, pending: 0 });
    } finally {
      await mint.stop();
    }
  });
});
