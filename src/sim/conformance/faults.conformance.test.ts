import { MongoServerError } from 'mongodb';
import { expect, it } from 'vitest';
import { onEveryTarget } from './harness.ts';

// Fault injection as the transactions, convenient-API and retryable-writes specifications describe mongod's
// behaviour: failCommand fails a command before it runs; labels come from the server's rules unless given.
onEveryTarget('fault conformance', (t) => {
  it('failCommand on a statement inside a transaction: the statement does not run, the transaction stays open', async () => {
    const w = await t.wallet('txn-stmt', { retryWrites: false });
    const c = w.db.collection('stmt');
    const s = w.client.startSession();
    s.startTransaction();
    await c.insertOne({ k: 'first' }, { session: s });
    await t.failPoint({
      configureFailPoint: 'failCommand',
      mode: { times: 1 },
      data: { failCommands: ['insert'], errorCode: 11601, appName: w.appName },
    });
    const err = await c.insertOne({ k: 'lost' }, { session: s }).catch((e) => e);
    expect(err).toBeInstanceOf(MongoServerError);
    expect(err.code).toBe(11601);
    expect(err.codeName).toBe('Interrupted');
    expect(err.hasErrorLabel('TransientTransactionError')).toBe(false);
    await c.insertOne({ k: 'second' }, { session: s });
    await s.commitTransaction();
    await s.endSession();
    const keys = (await t.db().collection('stmt').find().toArray()).map((d) => d.k).sort();
    expect(keys).toEqual(['first', 'second']);
  });

  it('withTransaction retries a transaction whose statement failed with a transient error, and commits once', async () => {
    const w = await t.wallet('txn-retry');
    const c = w.db.collection('retrytxn');
    await t.failPoint({
      configureFailPoint: 'failCommand',
      mode: { times: 1 },
      data: { failCommands: ['update'], errorCode: 112, appName: w.appName },
    });
    const s = w.client.startSession();
    let attempts = 0;
    await s.withTransaction(async () => {
      attempts++;
      await c.insertOne({ k: `a${attempts}` }, { session: s });
      await c.updateOne({ k: `a${attempts}` }, { $set: { paid: true } }, { session: s });
    });
    await s.endSession();
    expect(attempts).toBe(2);
    const docs = await t.db().collection('retrytxn').find().toArray();
    expect(docs.map((d) => [d.k, d.paid])).toEqual([['a2', true]]);
  });

  for (const code of [112, 24, 246, 251, 267]) {
    it(`commitTransaction failing with ${code} carries TransientTransactionError; withTransaction commits once`, async () => {
      const w = await t.wallet(`commit-${code}`);
      const c = w.db.collection(`commit${code}`);
      const probe = w.client.startSession();
      probe.startTransaction();
      await c.insertOne({ probe: true }, { session: probe });
      await t.failPoint({
        configureFailPoint: 'failCommand',
        mode: { times: 1 },
        data: { failCommands: ['commitTransaction'], errorCode: code, appName: w.appName },
      });
      const err = await probe.commitTransaction().catch((e) => e);
      expect(err.code).toBe(code);
      expect(err.hasErrorLabel('TransientTransactionError')).toBe(true);
      expect(err.hasErrorLabel('UnknownTransactionCommitResult')).toBe(false);
      await probe.abortTransaction().catch(() => {});
      await probe.endSession();

      await t.failPoint({
        configureFailPoint: 'failCommand',
        mode: { times: 1 },
        data: { failCommands: ['commitTransaction'], errorCode: code, appName: w.appName },
      });
      const s = w.client.startSession();
      let attempts = 0;
      await s.withTransaction(async () => {
        attempts++;
        await c.insertOne({ run: attempts }, { session: s });
      });
      await s.endSession();
      expect(attempts).toBe(2);
      const docs = await t.db().collection(`commit${code}`).find().toArray();
      expect(docs.map((d) => d.run)).toEqual([2]);
    });
  }

  it('MaxTimeMSExpired (50) inside a transaction is not transient, on a statement or on commit', async () => {
    const w = await t.wallet('maxtime', { retryWrites: false });
    const c = w.db.collection('maxtime');
    const s = w.client.startSession();
    s.startTransaction();
    await c.insertOne({ k: 1 }, { session: s });
    await t.failPoint({
      configureFailPoint: 'failCommand',
      mode: { times: 2 },
      data: { failCommands: ['insert', 'commitTransaction'], errorCode: 50, appName: w.appName },
    });
    const onInsert = await c.insertOne({ k: 2 }, { session: s }).catch((e) => e);
    expect(onInsert.code).toBe(50);
    expect(onInsert.errorLabels ?? []).toEqual([]);
    const onCommit = await s.commitTransaction().catch((e) => e);
    expect(onCommit.code).toBe(50);
    expect(onCommit.hasErrorLabel('TransientTransactionError')).toBe(false);
    await s.commitTransaction(); // the failed commit did not run; the transaction is still there to commit
    await s.endSession();
    expect(await t.db().collection('maxtime').countDocuments()).toBe(1);
  });

  it('errorLabels: [] means no labels: a retryable code then surfaces instead of being retried', async () => {
    const w = await t.wallet('nolabels');
    const c = w.db.collection('nolabels');
    await t.failPoint({
      configureFailPoint: 'failCommand',
      mode: { times: 1 },
      data: { failCommands: ['insert'], errorCode: 91, errorLabels: [], appName: w.appName },
    });
    const err = await c.insertOne({ k: 1 }).catch((e) => e);
    expect(err.code).toBe(91);
    expect(err.codeName).toBe('ShutdownInProgress');
    expect(err.hasErrorLabel('RetryableWriteError')).toBe(false); // the driver may add its own ResetPool
    expect(await t.db().collection('nolabels').countDocuments()).toBe(0);

    // Without errorLabels the server labels it RetryableWriteError, and the driver's retry applies it once.
    await t.failPoint({
      configureFailPoint: 'failCommand',
      mode: { times: 1 },
      data: { failCommands: ['insert'], errorCode: 91, appName: w.appName },
    });
    await c.insertOne({ k: 2 });
    expect(await t.db().collection('nolabels').countDocuments()).toBe(1);
  });

  for (const labels of [['RetryableWriteError'], undefined]) {
    it(`a retryable write with an injected writeConcernError (labels ${JSON.stringify(labels)}) is applied once; the retry gets the stored success`, async () => {
      const w = await t.wallet('wce-retry');
      const c = w.db.collection(`wce${labels ? 'l' : 'n'}`);
      await t.failPoint({
        configureFailPoint: 'failCommand',
        mode: { times: 1 },
        data: {
          failCommands: ['insert'],
          writeConcernError: { code: 91, errmsg: 'Replication is being shut down' },
          ...(labels ? { errorLabels: labels } : {}),
          appName: w.appName,
        },
      });
      const r = await c.insertOne({ k: 'once' });
      expect(r.acknowledged).toBe(true);
      expect(await t.db().collection(c.collectionName).countDocuments({ k: 'once' })).toBe(1);
    });
  }

  it('a writeConcernError with a non-retryable code reaches the client though the write applied', async () => {
    const w = await t.wallet('wce-64');
    const c = w.db.collection('wce64');
    await t.failPoint({
      configureFailPoint: 'failCommand',
      mode: { times: 1 },
      data: { failCommands: ['insert'], writeConcernError: { code: 64, errmsg: 'wtimeout' }, appName: w.appName },
    });
    const err = await c.insertOne({ k: 1 }).catch((e) => e);
    expect(err.code).toBe(64);
    expect(err.errorLabels ?? []).not.toContain('RetryableWriteError');
    expect(await t.db().collection('wce64').countDocuments()).toBe(1);
  });
});
