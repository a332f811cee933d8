import { Decimal128, Double, Int32, Long, MongoServerError } from 'mongodb';
import mongoose from 'mongoose';
import { expect, it } from 'vitest';
import { onEveryTarget } from './harness.ts';

const raw = { promoteValues: false, promoteLongs: false } as const;

// CRUD behaviour wallets rely on, as the CRUD specification and mongod define it (own data, own words).
onEveryTarget('crud conformance', (t) => {
  it('keeps _id: null as a valid _id (upsert and raw insert)', async () => {
    const c = t.db().collection<{ _id: null | string; v: number }>('nullid');
    const r = await c.updateOne({ _id: null }, { $set: { v: 1 } }, { upsert: true });
    expect(r.upsertedCount).toBe(1);
    expect(r.upsertedId).toBeNull();
    expect(await c.findOne({ _id: null })).toEqual({ _id: null, v: 1 });
    const dup = await t
      .db()
      .command({ insert: 'nullid', documents: [{ _id: null, v: 2 }] })
      .catch((e) => e);
    expect(dup.writeErrors?.[0]?.code ?? dup.code).toBe(11000);
  });

  it('updates array elements with $, $[] and $[id] + arrayFilters', async () => {
    const c = t.db().collection('positional');
    await c.insertOne({
      _id: 'w' as never,
      proofs: [
        { secret: 's1', amount: 1, state: 'unspent' },
        { secret: 's2', amount: 2, state: 'unspent' },
        { secret: 's4', amount: 4, state: 'unspent' },
      ],
      tags: [1, 2, 3],
    });
    await c.updateOne({ _id: 'w' as never, 'proofs.secret': 's2' }, { $set: { 'proofs.$.state': 'pending' } });
    await c.updateOne(
      { _id: 'w' as never },
      { $set: { 'proofs.$[big].state': 'spent' } },
      { arrayFilters: [{ 'big.amount': { $gte: 4 } }] },
    );
    await c.updateOne({ _id: 'w' as never }, { $inc: { 'tags.$[]': 10 } });
    const d = await c.findOne({ _id: 'w' as never });
    expect(d?.proofs.map((p: { state: string }) => p.state)).toEqual(['unspent', 'pending', 'spent']);
    expect(d?.tags).toEqual([11, 12, 13]);
    const noMatch = await c.updateOne({ _id: 'w' as never }, { $set: { 'proofs.$.state': 'x' } }).catch((e) => e);
    expect(noMatch).toBeInstanceOf(MongoServerError);
    expect(noMatch.code).toBe(2);
    const noFilter = await c.updateOne({ _id: 'w' as never }, { $set: { 'proofs.$[q].state': 'x' } }).catch((e) => e);
    expect(noFilter.code).toBe(2);
    const found = await c.findOneAndUpdate(
      { _id: 'w' as never },
      { $set: { 'proofs.$[p].state': 'reserved' } },
      { arrayFilters: [{ 'p.secret': 's1' }], returnDocument: 'after' },
    );
    expect(found?.proofs[0].state).toBe('reserved');
  });

  it('applies pipeline-style updates, keeping stored number types', async () => {
    const c = t.db().collection('pipeline');
    await c.insertOne({ _id: 'p' as never, amount: new Int32(5), fee: Long.fromNumber(2), note: 'x', old: 1 });
    const r = await c.updateOne({ _id: 'p' as never }, [
      { $set: { total: { $add: ['$amount', '$fee'] }, state: 'spent' } },
      { $unset: 'old' },
    ]);
    expect(r.modifiedCount).toBe(1);
    const d = await c.findOne({ _id: 'p' as never }, raw);
    expect(d?.amount).toBeInstanceOf(Int32);
    expect(d?.fee).toBeInstanceOf(Long);
    expect(d?.total).toBeInstanceOf(Long);
    expect(Number(d?.total)).toBe(7);
    expect(d?.state).toBe('spent');
    expect(d && 'old' in d).toBe(false);
    const same = await c.updateOne({ _id: 'p' as never }, [{ $set: { state: 'spent' } }]);
    expect(same.modifiedCount).toBe(0);
    const up = await c.updateOne({ _id: 'q' as never }, [{ $set: { n: 1 } }], { upsert: true });
    expect(up.upsertedId).toBe('q');
    const bad = await c.updateOne({ _id: 'p' as never }, [{ $match: {} }]).catch((e) => e);
    expect(bad).toBeInstanceOf(MongoServerError);
  });

  it('returns aggregation numbers by their stored BSON type', async () => {
    const c = t.db().collection('aggtypes');
    await c.insertMany([
      {
        owner: 'a',
        i: new Int32(3),
        l: Long.fromString('9007199254740993'),
        d: new Double(2),
        m: Decimal128.fromString('1.10'),
      },
      { owner: 'a', i: new Int32(4), l: Long.fromNumber(1), d: new Double(3), m: Decimal128.fromString('2.25') },
    ]);
    const [sums] = await c
      .aggregate(
        [{ $group: { _id: '$owner', i: { $sum: '$i' }, l: { $sum: '$l' }, d: { $sum: '$d' }, n: { $sum: 1 } } }],
        raw,
      )
      .toArray();
    expect(sums.i).toBeInstanceOf(Int32);
    expect(sums.i.valueOf()).toBe(7);
    expect(sums.l).toBeInstanceOf(Long);
    expect(sums.d).toBeInstanceOf(Double);
    expect(sums.d.valueOf()).toBe(5);
    expect(sums.n).toBeInstanceOf(Int32);
    const passed = await c.aggregate([{ $project: { _id: 0, i: 1, l: 1, m: 1 } }, { $sort: { i: 1 } }], raw).toArray();
    expect(passed[0].i).toBeInstanceOf(Int32);
    expect(passed.map((p) => p.m.toString())).toEqual(['1.10', '2.25']);
    expect(String(passed[0].l)).toBe('9007199254740993');
    expect(passed[0].l).toBeInstanceOf(Long);
  });

  it('joins with $lookup and combines with $unionWith', async () => {
    const tokens = t.db().collection('tokens');
    const proofs = t.db().collection('proofs');
    await tokens.insertMany([
      { _id: 't1' as never, owner: 'alice' },
      { _id: 't2' as never, owner: 'bob' },
    ]);
    await proofs.insertMany([
      { token: 't1', amount: new Int32(2) },
      { token: 't1', amount: new Int32(8) },
      { token: 't2', amount: new Int32(4) },
    ]);
    const balances = await tokens
      .aggregate(
        [
          { $lookup: { from: 'proofs', localField: '_id', foreignField: 'token', as: 'proofs' } },
          { $project: { owner: 1, balance: { $sum: '$proofs.amount' }, n: { $size: '$proofs' } } },
          { $sort: { owner: 1 } },
        ],
        raw,
      )
      .toArray();
    expect(balances.map((b) => [b.owner, Number(b.balance), Number(b.n)])).toEqual([
      ['alice', 10, 2],
      ['bob', 4, 1],
    ]);
    expect(balances[0].balance).toBeInstanceOf(Int32);
    const joined = await tokens
      .aggregate([
        { $match: { _id: 't1' } },
        { $lookup: { from: 'proofs', localField: '_id', foreignField: 'token', as: 'p' } },
      ])
      .toArray();
    expect(joined[0].p.map((p: { amount: number }) => p.amount).sort()).toEqual([2, 8]);
    const all = await tokens
      .aggregate([
        { $project: { _id: 0, k: '$owner' } },
        { $unionWith: { coll: 'proofs', pipeline: [{ $project: { _id: 0, k: '$token' } }] } },
      ])
      .toArray();
    expect(all.map((d) => d.k).sort()).toEqual(['alice', 'bob', 't1', 't1', 't2']);
  });

  it('mongoose: positional and index updates of subdocuments', async () => {
    const conn = await mongoose.createConnection(t.uri, { dbName: t.db().databaseName }).asPromise();
    try {
      const Proof = new mongoose.Schema({ secret: String, amount: Number, state: String });
      const Wallet = conn.model('MgWallet', new mongoose.Schema({ owner: String, proofs: [Proof] }));
      const w = await Wallet.create({
        owner: 'carol',
        proofs: [
          { secret: 'a', amount: 1, state: 'unspent' },
          { secret: 'b', amount: 2, state: 'unspent' },
        ],
      });
      const loaded = await Wallet.findById(w._id).orFail();
      loaded.proofs[1].state = 'pending';
      await loaded.save();
      await Wallet.updateOne({ _id: w._id, 'proofs.secret': 'a' }, { $set: { 'proofs.$.state': 'spent' } });
      await Wallet.updateOne(
        { _id: w._id },
        { $set: { 'proofs.$[x].amount': 20 } },
        { arrayFilters: [{ 'x.secret': 'b' }] },
      );
      const after = await Wallet.findById(w._id).lean().orFail();
      expect(after.proofs.map((p) => [p.secret, p.amount, p.state])).toEqual([
        ['a', 1, 'spent'],
        ['b', 20, 'pending'],
      ]);
    } finally {
      await conn.close();
    }
  });

  it('honours a case-insensitive collation (strength 2) in find, count, distinct, update and delete', async () => {
    const c = t.db().collection('collate');
    await c.insertMany([
      { owner: 'Alice', n: 1 },
      { owner: 'alice', n: 2 },
      { owner: 'ALICE', n: 3 },
      { owner: 'Bob', n: 4 },
      { owner: 'alicé', n: 5 },
    ]);
    const ci = { locale: 'en', strength: 2 };
    expect(await c.countDocuments({ owner: 'alice' }, { collation: ci })).toBe(3);
    expect(await c.countDocuments({ owner: 'alice' })).toBe(1);
    expect(await c.countDocuments({ owner: 'alice' }, { collation: { locale: 'en', strength: 1 } })).toBe(4);
    const found = await c.find({ owner: 'ALICE' }, { collation: ci, sort: { n: 1 } }).toArray();
    expect(found.map((d) => d.n)).toEqual([1, 2, 3]);
    expect((await c.distinct('owner', { owner: { $ne: 'bob' } }, { collation: ci })).length).toBe(2);
    const u = await c.updateMany({ owner: 'alice' }, { $set: { seen: true } }, { collation: ci });
    expect(u.modifiedCount).toBe(3);
    const d = await c.deleteMany({ owner: 'BOB' }, { collation: ci });
    expect(d.deletedCount).toBe(1);
  });

  it("refuses unknown command fields and invalid options with mongod's codes", async () => {
    const unknown = await t
      .db()
      .command({ find: 'anything', noSuchOption: 1 })
      .catch((e) => e);
    expect(unknown).toBeInstanceOf(MongoServerError);
    expect(unknown.code).toBe(40415);
    const badType = await t
      .db()
      .command({ find: 'anything', limit: 'ten' })
      .catch((e) => e);
    expect(badType.code).toBe(14);
    const badStrength = await t
      .db()
      .collection('anything')
      .find({}, { collation: { locale: 'en', strength: 9 } })
      .toArray()
      .catch((e) => e);
    expect(badStrength).toBeInstanceOf(MongoServerError);
  });
});
