import { Wallet } from '@cashu/cashu-ts';
import { describe, expect, it } from 'vitest';
import { ledgerBooks } from '../mint/books.ts';
import { fakeInvoice } from '../mint/invoice.ts';
import { checkstateOracle } from '../mint/oracle.ts';
import { TestMint } from '../mint/server.ts';
import { checkService } from './service-books.ts';

const held = (ps: { id: string; amount: unknown; secret: string; C: string }[]) =>
  ps.map((p) => ({ id: p.id, amount: Number(p.amount), secret: p.secret, C: p.C }));

// Service-level invariants against the mint's books, on hand-built states: valid ones and violating ones.
describe('service checker (test mint as oracle)', () => {
  it('accepts holdings equal to what the mint says is outstanding, and flags spent, lost and stuck value', async () => {
    const mint = await TestMint.start({ seed: 'svc-check' });
    try {
      const w = new Wallet(mint.url, { unit: 'sat' });
      await w.loadMint();
      const a = await w.mintProofsBolt11(64, (await w.createMintQuoteBolt11(64)).quote);
      const b = await w.mintProofsBolt11(32, (await w.createMintQuoteBolt11(32)).quote);
      expect(checkService(held([...a, ...b]), ledgerBooks(mint.ledger)).anomalies).toEqual([]);

      // money-lost (conservation): the wallet forgot b.
      expect(checkService(held(a), ledgerBooks(mint.ledger)).anomalies.map((x) => `${x.invariant}/${x.type}`)).toEqual([
        'conservation/money-lost',
      ]);
      // proof-held-twice (no-double-count).
      expect(checkService(held([...a, ...b, a[0]]), ledgerBooks(mint.ledger)).anomalies.map((x) => x.type)).toContain(
        'proof-held-twice',
      );

      // holds-spent-proofs (no-double-count): a is melted at the mint, the wallet still counts it.
      const mq = await w.createMeltQuoteBolt11(fakeInvoice(40, 'spent'));
      const res = await w.meltProofsBolt11(mq, a);
      const afterMelt = checkService(held([...a, ...b, ...res.change]), ledgerBooks(mint.ledger)).anomalies.map(
        (x) => `${x.invariant}/${x.type}`,
      );
      expect(afterMelt).toEqual(['no-double-count/holds-spent-proofs']);
      expect(checkService(held([...b, ...res.change]), ledgerBooks(mint.ledger)).anomalies).toEqual([]);

      // recover-not-idempotent (recovery): a second recover() credited something again.
      const twice = checkService(
        held([...b, ...res.change]),
        ledgerBooks(mint.ledger),
        held([...b, ...res.change, ...b]),
      );
      expect(twice.anomalies.map((x) => `${x.invariant}/${x.type}`)).toEqual(['recovery/recover-not-idempotent']);
      expect(
        checkService(held([...b, ...res.change]), ledgerBooks(mint.ledger), held([...res.change, ...b])).anomalies,
      ).toEqual([]);
    } finally {
      await mint.stop();
    }
  });

  it('degrades to NUT-07 states for a mint it cannot open the books of', async () => {
    const mint = await TestMint.start({ seed: 'external' });
    try {
      const w = new Wallet(mint.url, { unit: 'sat' });
      await w.loadMint();
      const proofs = await w.mintProofsBolt11(16, (await w.createMintQuoteBolt11(16)).quote);
      const oracle = checkstateOracle(mint.url);
      expect(oracle.kind).toBe('checkstate');
      expect(await oracle.worth(held(proofs))).toEqual({ unspent: 16, pending: 0, spent: 0, invalid: 0 });
      await w.meltProofsBolt11(await w.createMeltQuoteBolt11(fakeInvoice(8, 'ext')), proofs);
      expect((await oracle.worth(held(proofs))).spent).toBe(16);
    } finally {
      await mint.stop();
    }
  });
});
