import { Decimal128, Double, Int32, Long, MongoClient, MongoServerError, ObjectId } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { targets } from './targets.ts';

// The same operations, through the real driver, against every available target; exact codes and labels.
for (const target of targets) {
  describe.skipIf(Boolean(target.skipReason))(`conformance on ${target.name} ${target.skipReason ?? ''}`, () => {
    let stop: () => Promise<void>;
    let uri: string;
    let client: MongoClient;
    const db = () => client.db(`conformance_${process.pid}`);

    beforeAll(async () => {
      ({ uri, stop } = await target.start());
      client = await new MongoClient(uri, { appName: 'conformance-checker' }).connect();
      await db().dropDatabase();
    });
    afterAll(async () => {
      await db().dropDatabase();
      await client.close();
      await stop();
    });

    it('round-trips Int32, Double, Long, Decimal128, ObjectId and Date exactly', async () => {
      const c = db().collection('types');
      const doc = {
        _id: new ObjectId(),
        i: new Int32(7),
        d: new Double(7),
        l: Long.fromString('9007199254740993'),
        m: Decimal128.fromString('0.1'),
        t: new Date(1700000000123),
      };
      await c.insertOne(doc);
      const back = await c.findOne({ _id: doc._id }, { promoteValues: false, promoteLongs: false });
      expect(back?.i).toBeInstanceOf(Int32);
      expect(back?.d).toBeInstanceOf(Double);
      expect(back?.l).toBeInstanceOf(Long);
      expect(String(back?.l)).toBe('9007199254740993');
      expect(back?.m.toString()).toBe('0.1');
      expect((back?.t as Date | undefined)?.getTime()).toBe(1700000000123);
      expect(Object.keys(back ?? {})[0]).toBe('_id');
    });

    it('reports a duplicate key as E11000 with keyPattern and keyValue', async () => {
      const c = db().collection('dups');
      await c.createIndex({ tx: 1 }, { unique: true });
      await c.insertOne({ tx: 'a' });
      const err = await c.insertOne({ tx: 'a' }).catch((e) => e);
      expect(err).toBeInstanceOf(MongoServerError);
      expect(err.code).toBe(11000);
      expect(err.keyPattern).toEqual({ tx: 1 });
      expect(err.keyValue).toEqual({ tx: 'a' });
    });

    it('answers an unknown command with CommandNotFound (59)', async () => {
      const err = await db()
        .command({ noSuchCommandAnywhere: 1 })
        .catch((e) => e);
      expect(err.code).toBe(59);
      expect(err.codeName).toBe('CommandNotFound');
    });

    it('gives the second writer of a document WriteConflict (112) with TransientTransactionError', async () => {
      const c = db().collection('wc');
      const { insertedId } = await c.insertOne({ n: 0 });
      const a = client.startSession();
      const b = client.startSession();
      a.startTransaction();
      b.startTransaction();
      await c.updateOne({ _id: insertedId }, { $inc: { n: 1 } }, { session: a });
      const err = await c.updateOne({ _id: insertedId }, { $inc: { n: 1 } }, { session: b }).catch((e) => e);
      expect(err.code).toBe(112);
      expect(err.hasErrorLabel('TransientTransactionError')).toBe(true);
      await a.commitTransaction();
      // The server aborted b: anything further in it is NoSuchTransaction.
      const after = await c.findOne({}, { session: b }).catch((e) => e);
      expect(after.code).toBe(251);
      await b.abortTransaction().catch(() => {});
      await a.endSession();
      await b.endSession();
      expect((await c.findOne({ _id: insertedId }))?.n).toBe(1);
    });

    it('keeps a transaction on its snapshot, and conflicts on documents committed after it', async () => {
      const c = db().collection('snap');
      const { insertedId } = await c.insertOne({ v: 'old' });
      const s = client.startSession();
      s.startTransaction({ readConcern: { level: 'snapshot' } });
      expect((await c.findOne({ _id: insertedId }, { session: s }))?.v).toBe('old');
      await c.updateOne({ _id: insertedId }, { $set: { v: 'new' } });
      expect((await c.findOne({ _id: insertedId }, { session: s }))?.v).toBe('old');
      const err = await c.updateOne({ _id: insertedId }, { $set: { v: 'txn' } }, { session: s }).catch((e) => e);
      expect(err.code).toBe(112);
      await s.abortTransaction().catch(() => {});
      await s.endSession();
      expect((await c.findOne({ _id: insertedId }))?.v).toBe('new');
    });

    it('makes a non-transactional write wait for the transaction holding the document', async () => {
      const c = db().collection('wait');
      const { insertedId } = await c.insertOne({ n: 0 });
      const s = client.startSession();
      s.startTransaction();
      await c.updateOne({ _id: insertedId }, { $set: { n: 10 } }, { session: s });
      let done = false;
      const outside = c.updateOne({ _id: insertedId }, { $inc: { n: 1 } }).then(() => (done = true));
      await new Promise((r) => setTimeout(r, 150));
      expect(done).toBe(false);
      await s.commitTransaction();
      await outside;
      await s.endSession();
      expect((await c.findOne({ _id: insertedId }))?.n).toBe(11);
    });

    it('runs 8 concurrent withTransaction callers on one document to the right total, with retries', async () => {
      const c = db().collection('contended');
      const { insertedId } = await c.insertOne({ n: 0 });
      let attempts = 0;
      await Promise.all(
        Array.from({ length: 8 }, async () => {
          const s = client.startSession();
          try {
            await s.withTransaction(async () => {
              attempts++;
              const cur = await c.findOne({ _id: insertedId }, { session: s });
              await new Promise((r) => setTimeout(r, 5));
              await c.updateOne({ _id: insertedId }, { $set: { n: (cur?.n ?? 0) + 1 } }, { session: s });
            });
          } finally {
            await s.endSession();
          }
        }),
      );
      expect((await c.findOne({ _id: insertedId }))?.n).toBe(8);
      expect(attempts).toBeGreaterThan(8);
    });

    it('aborts a commit hit by failCommand closeConnection, then the driver retries it: applied once', async () => {
      const app = `closer-${Date.now()}`;
      const wallet = await new MongoClient(uri, { appName: app }).connect();
      const c = wallet.db(db().databaseName).collection('closeconn');
      await client.db('admin').command({
        configureFailPoint: 'failCommand',
        mode: { times: 1 },
        data: { failCommands: ['commitTransaction'], closeConnection: true, appName: app },
      });
      const s = wallet.startSession();
      await s.withTransaction(async () => {
        await c.insertOne({ k: 1 }, { session: s });
        await c.updateOne({ k: 1 }, { $inc: { hits: 1 } }, { session: s });
      });
      await s.endSession();
      await wallet.close();
      const docs = await db().collection('closeconn').find().toArray();
      expect(docs).toHaveLength(1);
      expect(docs[0].hits).toBe(1);
    });

    it('fails only the client named by appName, then turns itself off after times', async () => {
      const app = `victim-${Date.now()}`;
      const victim = await new MongoClient(uri, { appName: app, retryWrites: false }).connect();
      await client.db('admin').command({
        configureFailPoint: 'failCommand',
        mode: { times: 1 },
        data: { failCommands: ['insert'], errorCode: 112, errorLabels: ['TransientTransactionError'], appName: app },
      });
      await db().collection('fp').insertOne({ by: 'checker' }); // not the victim: unaffected
      const err = await victim
        .db(db().databaseName)
        .collection('fp')
        .insertOne({ by: 'victim' })
        .catch((e) => e);
      expect(err.code).toBe(112);
      expect(err.errorLabels).toEqual(['TransientTransactionError']);
      await victim.db(db().databaseName).collection('fp').insertOne({ by: 'victim' });
      await victim.close();
      expect(await db().collection('fp').countDocuments()).toBe(2);
    });

    it('retries a write whose connection was closed, and the retry is deduplicated', async () => {
      const app = `retry-${Date.now()}`;
      const wallet = await new MongoClient(uri, { appName: app }).connect();
      await client.db('admin').command({
        configureFailPoint: 'failCommand',
        mode: { times: 1 },
        data: { failCommands: ['update'], closeConnection: true, appName: app },
      });
      const c = wallet.db(db().databaseName).collection('retry');
      await c.insertOne({ _id: 'x' as never, n: 0 });
      await c.updateOne({ _id: 'x' as never }, { $inc: { n: 1 } });
      await wallet.close();
      expect(
        (
          await db()
            .collection('retry')
            .findOne({ _id: 'x' as never })
        )?.n,
      ).toBe(1);
    });

    it('reports writeConcernError on commit while the commit still applies', async () => {
      const app = `wce-${Date.now()}`;
      const wallet = await new MongoClient(uri, { appName: app }).connect();
      await client.db('admin').command({
        configureFailPoint: 'failCommand',
        mode: { times: 1 },
        data: {
          failCommands: ['commitTransaction'],
          writeConcernError: { code: 64, errmsg: 'wtimeout' },
          appName: app,
        },
      });
      const c = wallet.db(db().databaseName).collection('wce');
      const s = wallet.startSession();
      s.startTransaction({ writeConcern: { w: 'majority' } });
      await c.insertOne({ once: true }, { session: s });
      const err = await s.commitTransaction().catch((e) => e);
      expect(err?.code).toBe(64);
      await s.endSession();
      await wallet.close();
      expect(await db().collection('wce').countDocuments({ once: true })).toBe(1);
    });

    it('projects dotted paths through arrays of documents', async () => {
      const c = db().collection('proj');
      await c.insertOne({
        _id: 'p' as never,
        proofs: [
          { secret: 's1', amount: 1 },
          { secret: 's2', amount: 2 },
        ],
        n: 1,
      });
      expect(await c.findOne({ _id: 'p' as never }, { projection: { 'proofs.secret': 1 } })).toEqual({
        _id: 'p',
        proofs: [{ secret: 's1' }, { secret: 's2' }],
      });
      expect(await c.findOne({ _id: 'p' as never }, { projection: { 'proofs.amount': 0, n: 0 } })).toEqual({
        _id: 'p',
        proofs: [{ secret: 's1' }, { secret: 's2' }],
      });
    });

    it('finds with sort, skip, limit, projection and small batches', async () => {
      const c = db().collection('finds');
      await c.insertMany(Array.from({ length: 30 }, (_, i) => ({ i, parity: i % 2, pad: 'x' })));
      const got = await c
        .find({ parity: 1 }, { projection: { pad: 0, _id: 0 }, sort: { i: -1 }, skip: 2, limit: 9, batchSize: 2 })
        .toArray();
      expect(got.map((d) => d.i)).toEqual([25, 23, 21, 19, 17, 15, 13, 11, 9]);
      expect(Object.keys(got[0])).toEqual(['i', 'parity']);
      expect(await c.countDocuments({ i: { $gte: 10 } })).toBe(20);
      expect((await c.distinct('parity')).sort()).toEqual([0, 1]);
      const up = await c.findOneAndUpdate({ i: 100 }, { $set: { j: 1 } }, { upsert: true, returnDocument: 'after' });
      expect(up?.i).toBe(100);
      expect(up?.j).toBe(1);
    });
  });
}
