import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { sumAmounts } from '../../proofs/proof.ts';
import { fakeProofs } from '../../testing/proofs.ts';
import { type SimWorld, simWorld } from '../../testing/sim-mongoose.ts';
import { DuplicateMeltError, MeltValidationError, ProofReuseError, SourceTokensUnavailableError } from './errors.ts';
import { COLLECTIONS } from './models.ts';
import { WalletRepository } from './repository.ts';

// The seed's own test list, through real mongoose against the simulator.
describe('reference executeAtomicMelt (sim backend)', () => {
  let w: SimWorld;
  let repo: WalletRepository;
  let meta: { npub: string; wallet_id: string; mint_url: string };
  let n = 0;

  beforeAll(async () => {
    w = await simWorld('seed_tests');
    repo = new WalletRepository(w.conn);
    await repo.init();
  });
  afterAll(() => w.close());
  beforeEach(async () => {
    n++;
    const npub = `npub1test${n}`;
    meta = { npub, wallet_id: await repo.createWallet(npub, 'http://mint.test'), mint_url: 'http://mint.test' };
  });

  const db = () => w.checker.db('seed_tests');
  const tokens = (filter = {}) =>
    db()
      .collection(COLLECTIONS.tokens)
      .find({ npub: meta.npub, ...filter })
      .toArray();
  const audits = () => db().collection(COLLECTIONS.audit).find({ npub: meta.npub }).toArray();
  const fund = async (label: string, amounts: number[]) =>
    repo.storeToken({
      ...meta,
      proofs: fakeProofs(`${meta.npub}/${label}`, amounts),
      transaction_id: `${meta.npub}-${label}`,
    });
  const balance = async () =>
    sumAmounts((await tokens({ status: 'unspent' })).map((t) => ({ amount: t.total_amount })));

  it('reads the owner balance in one aggregation: sources before the melt, keep and change after', async () => {
    expect(await repo.balance(meta)).toEqual({ spendable: 0, pending: 0 });
    const a = await fund('a', [8, 2]);
    await fund('b', [16]);
    expect(await repo.balance(meta)).toEqual({ spendable: 26, pending: 0 });
    await repo.executeAtomicMelt(
      [a],
      fakeProofs(`${meta.npub}/k`, [4]),
      fakeProofs(`${meta.npub}/c`, [1]),
      'tx-b',
      meta,
    );
    expect(await repo.balance(meta)).toEqual({ spendable: 21, pending: 0 });
    // Another owner's tokens never count.
    const other = { ...meta, npub: `${meta.npub}-other` };
    expect(await repo.balance(other)).toEqual({ spendable: 0, pending: 0 });
    expect(await balance()).toBe(21);
  });

  it('spends the sources, stores keep and change as change documents, and audits without secrets', async () => {
    const a = await fund('a', [8, 2]);
    const b = await fund('b', [16]);
    const keep = fakeProofs(`${meta.npub}/keep`, [4, 1]);
    const change = fakeProofs(`${meta.npub}/change`, [2]);
    const r = await repo.executeAtomicMelt([a, b], keep, change, 'tx-ok', meta);
    expect(r).toMatchObject({
      success: true,
      transaction_id: 'tx-ok',
      source_tokens_spent: 2,
      keep_amount: 5,
      melt_change_amount: 2,
    });
    expect(r.operations.map((o) => o.type)).toEqual(['mark_spent', 'store_keep', 'store_melt_change', 'audit']);
    const spent = await tokens({ status: 'spent' });
    expect(spent.map((t) => String(t._id)).sort()).toEqual([a, b].sort());
    const live = await tokens({ status: 'unspent' });
    expect(live.map((t) => t.transaction_type)).toEqual(['change', 'change']);
    expect(await balance()).toBe(7);
    expect(await tokens({ transaction_type: 'melted' })).toHaveLength(0);
    const [audit] = await audits();
    expect(audit.transaction_id).toBe('tx-ok');
    const text = JSON.stringify(audit);
    for (const p of [...keep, ...change]) expect(text).not.toContain(p.secret);
    expect(audit.consumed_ys).toHaveLength(3);
  });

  it('rolls everything back when a write inside the transaction fails', async () => {
    const a = await fund('a', [8]);
    await w.failNext({ failCommands: ['insert'], errorCode: 2 }, { skip: 1 }); // the change document's insert
    const err = await repo
      .executeAtomicMelt([a], fakeProofs(`${meta.npub}/k`, [4]), fakeProofs(`${meta.npub}/c`, [3]), 'tx-rb', meta)
      .catch((e) => e);
    await w.failNext({ failCommands: ['insert'] }, 'off');
    expect(err.code).toBe(2);
    expect(await tokens({ status: 'spent' })).toHaveLength(0);
    expect(await tokens({ transaction_type: 'change' })).toHaveLength(0);
    expect(await audits()).toHaveLength(0);
    expect(await balance()).toBe(8);
  });

  it('validates metadata before any write', async () => {
    const a = await fund('a', [8]);
    for (const bad of [
      { ...meta, npub: '' },
      { ...meta, wallet_id: undefined },
      { ...meta, mint_url: undefined },
    ]) {
      const err = await repo.executeAtomicMelt([a], [], [], 'tx-bad', bad as never).catch((e) => e);
      expect(err).toBeInstanceOf(MeltValidationError);
    }
    expect(await tokens({ status: 'spent' })).toHaveLength(0);
    expect(await audits()).toHaveLength(0);
  });

  it('lets exactly one of 8 concurrent melts of the same sources win', async () => {
    const a = await fund('a', [8, 4]);
    const b = await fund('b', [2]);
    const results = await Promise.allSettled(
      Array.from({ length: 8 }, (_, i) =>
        repo.executeAtomicMelt(
          [a, b],
          fakeProofs(`${meta.npub}/k${i}`, [1]),
          fakeProofs(`${meta.npub}/c${i}`, [2]),
          `tx-c${i}`,
          meta,
        ),
      ),
    );
    const ok = results.filter((r) => r.status === 'fulfilled');
    expect(ok).toHaveLength(1);
    for (const r of results) if (r.status === 'rejected') expect(r.reason).toBeInstanceOf(SourceTokensUnavailableError);
    expect(await balance()).toBe(3);
    expect(await audits()).toHaveLength(1);
  });

  it('stores nothing for empty keep and empty change', async () => {
    const a = await fund('a', [4]);
    const r = await repo.executeAtomicMelt([a], [], null, 'tx-empty', meta);
    expect(r.keep_token_id).toBeNull();
    expect(r.melt_change_token_id).toBeNull();
    expect(await tokens({ transaction_type: 'change' })).toHaveLength(0);
    expect(await balance()).toBe(0);
    expect(await audits()).toHaveLength(1);
  });

  it('melts a single token exactly', async () => {
    const a = await fund('a', [64]);
    const r = await repo.executeAtomicMelt([a], [], fakeProofs(`${meta.npub}/c`, [1]), 'tx-single', meta);
    expect(r.source_tokens_spent).toBe(1);
    expect(await balance()).toBe(1);
  });

  it('refuses a repeated transactionId without applying it twice', async () => {
    const a = await fund('a', [4]);
    const b = await fund('b', [4]);
    await repo.executeAtomicMelt([a], [], fakeProofs(`${meta.npub}/c1`, [1]), 'tx-dup', meta);
    const err = await repo
      .executeAtomicMelt([b], [], fakeProofs(`${meta.npub}/c2`, [1]), 'tx-dup', meta)
      .catch((e) => e);
    expect(err).toBeInstanceOf(DuplicateMeltError);
    expect(await balance()).toBe(5);
    expect(await audits()).toHaveLength(1);
  });

  it('is safe when the driver retries the whole callback after a TransientTransactionError', async () => {
    const a = await fund('a', [8]);
    await w.failNext({ failCommands: ['update'], errorCode: 112, errorLabels: ['TransientTransactionError'] });
    await repo.executeAtomicMelt(
      [a],
      fakeProofs(`${meta.npub}/k`, [2]),
      fakeProofs(`${meta.npub}/c`, [1]),
      'tx-retry',
      meta,
    );
    expect(await tokens({ transaction_type: 'change' })).toHaveLength(2);
    expect(await balance()).toBe(3);
    expect(await audits()).toHaveLength(1);
  });

  it('refuses to store a consumed proof again as change', async () => {
    const proofs = fakeProofs(`${meta.npub}/a`, [8]);
    const a = await repo.storeToken({ ...meta, proofs, transaction_id: `${meta.npub}-reuse` });
    const err = await repo.executeAtomicMelt([a], proofs, [], 'tx-reuse', meta).catch((e) => e);
    expect(err).toBeInstanceOf(ProofReuseError);
    expect(err.message).not.toContain(proofs[0].secret);
    expect(await balance()).toBe(8);
  });
});
