import { MongoServerError } from 'mongodb';
import { expect, it } from 'vitest';
import { onEveryTarget } from './harness.ts';

const names = async (t: { db(): import('mongodb').Db }) =>
  (await t.db().listCollections({}, { nameOnly: true }).toArray()).map((c) => c.name);

// Transactions and sessions behaviour beyond the fault cases: DDL inside a transaction, snapshot reads outside one.
onEveryTarget('transaction conformance', (t) => {
  it('a collection created implicitly inside a transaction is invisible outside until commit', async () => {
    const s = t.client.startSession();
    s.startTransaction();
    await t.db().collection('ddl_commit').insertOne({ k: 1 }, { session: s });
    expect(await names(t)).not.toContain('ddl_commit');
    expect(await t.db().collection('ddl_commit').countDocuments()).toBe(0);
    await s.commitTransaction();
    await s.endSession();
    expect(await names(t)).toContain('ddl_commit');
    expect(await t.db().collection('ddl_commit').countDocuments()).toBe(1);
  });

  it('a collection and index created inside an aborted transaction are gone', async () => {
    const s = t.client.startSession();
    s.startTransaction();
    await t.db().createCollection('ddl_abort', { session: s });
    await t.db().collection('ddl_abort').createIndex({ secret: 1 }, { unique: true, session: s });
    await t.db().collection('ddl_abort').insertOne({ secret: 'x' }, { session: s });
    const dup = await t
      .db()
      .collection('ddl_abort')
      .insertOne({ secret: 'x' }, { session: s })
      .catch((e) => e);
    expect(dup.code).toBe(11000); // the transaction's own index is enforced inside it
    await s.abortTransaction();
    await s.endSession();
    expect(await names(t)).not.toContain('ddl_abort');
  });

  it('an index created inside a transaction on a collection it created arrives with the commit', async () => {
    const s = t.client.startSession();
    await s.withTransaction(async () => {
      await t.db().createCollection('ddl_idx', { session: s });
      await t.db().collection('ddl_idx').createIndex({ secret: 1 }, { unique: true, name: 'secret_u', session: s });
    });
    await s.endSession();
    const idx = await t.db().collection('ddl_idx').indexes();
    expect(idx.map((i) => i.name)).toContain('secret_u');
    const existing = t.client.startSession();
    existing.startTransaction();
    const err = await t
      .db()
      .collection('ddl_idx')
      .createIndex({ other: 1 }, { session: existing })
      .catch((e) => e);
    expect(err).toBeInstanceOf(MongoServerError);
    expect(err.code).toBe(263);
    await existing.abortTransaction().catch(() => {});
    await existing.endSession();
  });

  it('snapshot reads outside a transaction: one point in time across find, aggregate and distinct', async () => {
    const c = t.db().collection('snapreads');
    await c.insertMany([
      { k: 'a', n: 1 },
      { k: 'b', n: 2 },
    ]);
    const s = t.client.startSession({ snapshot: true });
    expect((await c.find({}, { session: s }).toArray()).map((d) => d.k)).toEqual(['a', 'b']);
    await c.insertOne({ k: 'c', n: 3 });
    await c.updateOne({ k: 'a' }, { $set: { n: 100 } });
    expect((await c.find({}, { session: s }).toArray()).map((d) => [d.k, d.n])).toEqual([
      ['a', 1],
      ['b', 2],
    ]);
    const [sum] = await c.aggregate([{ $group: { _id: null, n: { $sum: '$n' } } }], { session: s }).toArray();
    expect(sum.n).toBe(3);
    expect((await c.distinct('k', {}, { session: s })).sort()).toEqual(['a', 'b']);
    await s.endSession();
    expect(await c.countDocuments()).toBe(3);
  });

  it('a snapshot read answers atClusterTime, and reading at that time again gives the same documents', async () => {
    const c = t.db().collection('snapat');
    await c.insertOne({ k: 1 });
    const first = await t.db().command({ find: 'snapat', readConcern: { level: 'snapshot' } });
    const at = first.cursor.atClusterTime;
    expect(at?._bsontype).toBe('Timestamp');
    await c.insertOne({ k: 2 });
    const again = await t.db().command({ find: 'snapat', readConcern: { level: 'snapshot', atClusterTime: at } });
    expect(again.cursor.firstBatch.map((d: { k: number }) => d.k)).toEqual([1]);
    const distinct = await t.db().command({ distinct: 'snapat', key: 'k', readConcern: { level: 'snapshot' } });
    expect(distinct.atClusterTime?._bsontype).toBe('Timestamp');
    expect(distinct.values.sort()).toEqual([1, 2]);
  });
});
