import { getDecodedToken, Wallet } from '@cashu/cashu-ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { selectProofsDeterministic } from '../proofs/select.ts';
import { fakeInvoice } from './invoice.ts';
import { yOf } from './ledger.ts';
import { TestMint } from './server.ts';

const sum = (ps: { amount: unknown }[]) => ps.reduce((s, p) => s + Number(p.amount), 0);
const plain = (ps: { id: string; amount: unknown; secret: string; C: string }[]) =>
  ps.map((p) => ({ id: p.id, amount: Number(p.amount), secret: p.secret, C: p.C }));

describe('test mint with a cashu-ts 4 wallet', () => {
  let mint: TestMint;
  let wallet: Wallet;
  beforeAll(async () => {
    mint = await TestMint.start({ seed: 'unit', inputFeePpk: 100 });
    wallet = new Wallet(mint.url, {
      unit: 'sat',
      selectProofs: selectProofsDeterministic as never,
      bip39seed: new Uint8Array(64).fill(7),
    });
    await wallet.loadMint();
  });
  afterAll(() => mint.stop());

  it('mints 1000, swaps, melts 300 with reserve 10 and fee 3, and the books balance exactly', async () => {
    const q = await wallet.createMintQuoteBolt11(1000);
    const minted = await wallet.mintProofsBolt11(1000, q.quote);
    expect(sum(minted)).toBe(1000);
    expect(mint.ledger.worth(plain(minted)).unspent).toBe(1000);

    const invoice = fakeInvoice(300, 'melt-300');
    mint.lightning.plan(invoice, { feeReserve: 10, actualFee: 3 });
    const mq = await wallet.createMeltQuoteBolt11(invoice);
    expect(Number(mq.amount)).toBe(300);
    expect(Number(mq.fee_reserve)).toBe(10);
    const { keep, send } = await wallet.send(310, minted, { includeFees: true });
    const swapFee = 1000 - sum(keep) - sum(send);
    expect(swapFee).toBeGreaterThan(0);
    const meltFee = Number(wallet.getFeesForProofs(send));
    const res = await wallet.meltProofsBolt11(mq, send);
    expect(res.quote.state).toBe('PAID');
    const change = sum(res.change);
    // before = after + paid + Lightning fee + input fees
    expect(1000).toBe(sum(keep) + change + 300 + 3 + swapFee + meltFee);
    expect(mint.ledger.worth(plain([...keep, ...res.change])).unspent).toBe(sum(keep) + change);
    expect(mint.ledger.worth(plain(send)).spent).toBe(sum(send));
    expect(mint.ledger.identity().holds).toBe(true);
    // Melting the same proofs again: already spent (11001).
    const mq2 = await wallet.createMeltQuoteBolt11(fakeInvoice(5, 'again'));
    const again = await wallet.meltProofsBolt11(mq2, send).catch((e) => e);
    expect(again.code ?? again.status).toBe(11001);
  });

  it('keeps proofs SPENT and the quote PAID when the melt response is lost, and restore recovers the change', async () => {
    const seedWallet = new Wallet(mint.url, {
      unit: 'sat',
      selectProofs: selectProofsDeterministic as never,
      bip39seed: new Uint8Array(64).fill(9),
    });
    await seedWallet.loadMint();
    const q = await seedWallet.createMintQuoteBolt11(64);
    const proofs = await seedWallet.mintProofsBolt11(64, q.quote);
    const invoice = fakeInvoice(20, 'lost');
    mint.lightning.plan(invoice, { feeReserve: 4, actualFee: 1 });
    const mq = await seedWallet.createMeltQuoteBolt11(invoice);
    mint.faults.add({ endpoint: '/v1/melt/bolt11', kind: 'response-lost' });
    const err = await seedWallet.meltProofsBolt11(mq, proofs).catch((e) => e);
    mint.faults.clear();
    expect(err).toBeInstanceOf(Error);
    expect(mint.ledger.meltQuotes.get(mq.quote)?.state).toBe('PAID');
    expect(mint.ledger.checkState(proofs.map((p) => yOf(p.secret))).every((s) => s.state === 'SPENT')).toBe(true);
    // NUT-13: the same seed re-derives every output; NUT-09 returns the mint's signatures on them.
    const fresh = new Wallet(mint.url, { unit: 'sat', bip39seed: new Uint8Array(64).fill(9) });
    await fresh.loadMint();
    const { proofs: restored } = await fresh.restore(0, 100);
    const worth = mint.ledger.worth(plain(restored));
    expect(worth.unspent).toBe(64 - 20 - 1 - Number(seedWallet.getFeesForProofs(proofs)));
    expect(worth.spent).toBe(64);
  });

  it('ends pending-then-paid and pending-then-failed in the right states', async () => {
    for (const outcome of ['paid', 'failed'] as const) {
      const q = await wallet.createMintQuoteBolt11(32);
      const proofs = await wallet.mintProofsBolt11(32, q.quote);
      const invoice = fakeInvoice(16, `pending-${outcome}`);
      mint.lightning.plan(invoice, { feeReserve: 2, outcome: 'pending' });
      const mq = await wallet.createMeltQuoteBolt11(invoice);
      const res = await wallet.meltProofsBolt11(mq, proofs);
      expect(res.quote.state).toBe('PENDING');
      const ys = proofs.map((p) => yOf(p.secret));
      expect(mint.ledger.checkState(ys).every((s) => s.state === 'PENDING')).toBe(true);
      mint.ledger.settle(mq.quote, outcome);
      const after = await wallet.checkMeltQuoteBolt11(mq.quote);
      expect(after.state).toBe(outcome === 'paid' ? 'PAID' : 'UNPAID');
      expect(mint.ledger.checkState(ys).every((s) => s.state === (outcome === 'paid' ? 'SPENT' : 'UNSPENT'))).toBe(
        true,
      );
    }
  });

  it('derives the same keyset and signatures from the same seed', async () => {
    const other = await TestMint.start({ seed: 'unit', inputFeePpk: 100 });
    expect(other.ledger.activeKeyset.keysetId).toBe(mint.ledger.activeKeyset.keysetId);
    expect(wallet.keysetId).toBe(mint.ledger.activeKeyset.keysetId);
    await other.stop();
    expect(typeof getDecodedToken).toBe('function');
  });
});

describe('test mint without a socket, and under fuzz', () => {
  it('serves cashu-ts through nock interception, never reaching the network', async () => {
    const { interceptMint } = await import('./intercept.ts');
    const mint = new TestMint({ seed: 'nock' });
    const stop = interceptMint(mint, 'http://mint.meltcheck.test');
    try {
      const w = new Wallet('http://mint.meltcheck.test', {
        unit: 'sat',
        selectProofs: selectProofsDeterministic as never,
      });
      await w.loadMint();
      const q = await w.createMintQuoteBolt11(21);
      const proofs = await w.mintProofsBolt11(21, q.quote);
      expect(mint.ledger.worth(plain(proofs)).unspent).toBe(21);
      mint.faults.add({ endpoint: '/v1/checkstate', kind: 'response-lost' });
      const err = await w.checkProofsStates(proofs).catch((e) => e);
      expect(err).toBeInstanceOf(Error);
    } finally {
      stop();
    }
  });

  it('answers malformed request bodies with 4xx (a code, or 422 with a detail list as nutshell), never crashes', async () => {
    const fc = (await import('fast-check')).default;
    const mint = new TestMint({ seed: 'fuzz' });
    const paths = [
      '/v1/swap',
      '/v1/melt/bolt11',
      '/v1/mint/bolt11',
      '/v1/checkstate',
      '/v1/restore',
      '/v1/melt/quote/bolt11',
      '/v1/mint/quote/bolt11',
    ];
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...paths),
        fc.oneof(
          fc.json(),
          fc.string(),
          fc.jsonValue().map((v) => JSON.stringify({ inputs: v, outputs: v, quote: v, Ys: v, request: v, amount: v })),
        ),
        async (path, body) => {
          const r = await mint.respond('POST', path, body);
          expect([200, 400, 404, 422]).toContain(r.status);
          if (r.status === 422) expect(Array.isArray((r.body as { detail: unknown }).detail)).toBe(true);
          else if (r.status !== 200) expect(typeof (r.body as { code: unknown }).code).toBe('number');
        },
      ),
      { numRuns: 2000, seed: 4 },
    );
    expect(mint.ledger.identity().holds).toBe(true);
  });
});
