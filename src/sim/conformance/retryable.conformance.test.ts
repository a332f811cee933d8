import { Long, MongoServerError, MongoWriteConcernError } from 'mongodb';
import { expect, it } from 'vitest';
import { onEveryTarget } from './harness.ts';

// Retryable writes and sessions as the retryable-writes and sessions specifications describe them.
onEveryTarget('retryable-write conformance', (t) => {
  it('answers a retried statement with the stored result and names it in retriedStmtIds', async () => {
    const w = await t.wallet('stmt');
    const s = w.client.startSession();
    const cmd = { insert: 'rstmt', documents: [{ _id: 1 }, { _id: 2 }], txnNumber: Long.fromNumber(7) };
    const first = await w.db.command(cmd, { session: s });
    expect(first.n).toBe(2);
    expect(first.retriedStmtIds ?? []).toEqual([]);
    const again = await w.db.command(cmd, { session: s });
    expect(again.n).toBe(2);
    expect(again.retriedStmtIds).toEqual([0, 1]);
    expect(await t.db().collection('rstmt').countDocuments()).toBe(2);

    const fam = {
      findAndModify: 'rstmt',
      query: { _id: 1 },
      update: { $inc: { n: 1 } },
      txnNumber: Long.fromNumber(8),
    };
    await w.db.command(fam, { session: s });
    const famAgain = await w.db.command(fam, { session: s });
    expect(famAgain.retriedStmtId).toBe(0);
    expect(
      (
        await t
          .db()
          .collection('rstmt')
          .findOne({ _id: 1 as never })
      )?.n,
    ).toBe(1);
    await s.endSession();
  });

  it('refuses a txnNumber older than the session has used with TransactionTooOld (225)', async () => {
    const w = await t.wallet('stale'); // a fresh session pool: its session has seen no txnNumber yet
    const s = w.client.startSession();
    await w.db.command({ insert: 'old', documents: [{ k: 'new' }], txnNumber: Long.fromNumber(5) }, { session: s });
    const err = await w.db
      .command({ insert: 'old', documents: [{ k: 'stale' }], txnNumber: Long.fromNumber(4) }, { session: s })
      .catch((e) => e);
    expect(err).toBeInstanceOf(MongoServerError);
    expect(err.code).toBe(225);
    expect(err.codeName).toBe('TransactionTooOld');
    expect(await t.db().collection('old').countDocuments({ k: 'stale' })).toBe(0);
    await s.endSession();
  });

  it('onPrimaryTransactionalWrite with closeConnection: the write applies, the retry finds it, once', async () => {
    const w = await t.wallet('optw');
    await t.failPoint({ configureFailPoint: 'onPrimaryTransactionalWrite', mode: { times: 1 }, data: {} });
    await w.db.collection('optw').insertOne({ k: 'closed' });
    const off = await t.client.db('admin').command({ configureFailPoint: 'onPrimaryTransactionalWrite', mode: 'off' });
    expect(off.count).toBe(1);
    expect(await t.db().collection('optw').countDocuments({ k: 'closed' })).toBe(1);
  });

  it('onPrimaryTransactionalWrite with failBeforeCommitExceptionCode: not applied, retried by its label', async () => {
    const w = await t.wallet('optw-fail');
    await t.failPoint({
      configureFailPoint: 'onPrimaryTransactionalWrite',
      mode: { times: 1 },
      data: { closeConnection: false, failBeforeCommitExceptionCode: 262 },
    });
    await w.db.collection('optwf').insertOne({ k: 'retried' });
    expect(await t.db().collection('optwf').countDocuments({ k: 'retried' })).toBe(1);

    const noRetry = await t.wallet('optw-noretry', { retryWrites: false });
    await t.failPoint({
      configureFailPoint: 'onPrimaryTransactionalWrite',
      mode: { times: 1 },
      data: { closeConnection: false, failBeforeCommitExceptionCode: 262 },
    });
    // Without retryable writes there is no txnNumber: the fail point does not apply at all.
    await noRetry.db.collection('optwf').insertOne({ k: 'plain' });
    await t.failPoint({ configureFailPoint: 'onPrimaryTransactionalWrite', mode: 'off' });
    expect(await t.db().collection('optwf').countDocuments({ k: 'plain' })).toBe(1);
  });

  it('a w larger than the member count is UnsatisfiableWriteConcern (100), reported after the write', async () => {
    const c = t.db().collection('wbig');
    const err = await c.insertOne({ k: 1 }, { writeConcern: { w: 50 } }).catch((e) => e);
    expect(err).toBeInstanceOf(MongoWriteConcernError);
    expect(err.code).toBe(100);
    expect(err.codeName).toBe('UnsatisfiableWriteConcern');
    expect(await c.countDocuments()).toBe(1);
    const tag = await c.insertOne({ k: 2 }, { writeConcern: { w: 'noSuchTag' as unknown as number } }).catch((e) => e);
    expect(tag.code).toBe(79);
  });
});
