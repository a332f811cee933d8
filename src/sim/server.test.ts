import { connect, type Socket } from 'node:net';
import fc from 'fast-check';
import { MongoClient } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SimServer } from './server.ts';
import { encodeMsg } from './wire/frame.ts';

// Behaviour only the simulator has (or that needs its knobs): lifetime, standalone mode, the gate, bad frames.
describe('simulator', () => {
  let sim: SimServer;
  let client: MongoClient;
  beforeAll(async () => {
    sim = await SimServer.start({ transactionLifetimeMs: 300 });
    client = await new MongoClient(sim.uri, { appName: 'checker' }).connect();
  });
  afterAll(async () => {
    await client.close();
    await sim.stop();
  });

  it('aborts a transaction older than its lifetime limit: NoSuchTransaction afterwards', async () => {
    const c = client.db('life').collection('c');
    const s = client.startSession();
    s.startTransaction();
    await c.insertOne({ a: 1 }, { session: s });
    await new Promise((r) => setTimeout(r, 400));
    const err = await s.commitTransaction().catch((e) => e);
    expect(err.code).toBe(251);
    await s.endSession();
    expect(await c.countDocuments()).toBe(0);
  });

  it('measures transaction lifetimes on its injected clock (no waiting)', async () => {
    let now = 1_000_000;
    const timed = await SimServer.start({ transactionLifetimeMs: 60_000, clock: () => now });
    const c2 = await new MongoClient(timed.uri).connect();
    try {
      const c = c2.db('clock').collection('c');
      const s = c2.startSession();
      s.startTransaction();
      await c.insertOne({ a: 1 }, { session: s });
      now += 59_000; // still within its lifetime
      await c.insertOne({ a: 2 }, { session: s });
      now += 2_000; // past it
      const err = await s.commitTransaction().catch((e) => e);
      expect(err.code).toBe(251);
      await s.endSession();
      expect(await c.countDocuments()).toBe(0);
    } finally {
      await c2.close();
      await timed.stop();
    }
  });

  it('streams exhaust hello replies to the monitor', async () => {
    const awaited: boolean[] = [];
    const c = new MongoClient(sim.uri, { heartbeatFrequencyMS: 500 });
    c.on('serverHeartbeatSucceeded', (e) => awaited.push(e.awaited));
    await c.connect();
    await new Promise((r) => setTimeout(r, 1200));
    await c.close();
    expect(awaited.filter(Boolean).length).toBeGreaterThan(0);
  });

  it('tells the harness when a client can do nothing more until the gate is stepped (settled)', async () => {
    // A server of its own: stepping its gate must not show in another test's `released` list.
    const sim = await SimServer.start();
    const client = await new MongoClient(sim.uri).connect();
    const holder = await new MongoClient(sim.uri, { appName: 'holder' }).connect();
    const writer = await new MongoClient(sim.uri, { appName: 'writer' }).connect();
    const db = (m: MongoClient) => m.db('settle').collection<{ _id: string; n: number }>('c');
    await db(client).insertOne({ _id: 'doc', n: 0 });
    const s = holder.startSession();
    try {
      s.startTransaction();
      await db(holder).updateOne({ _id: 'doc' }, { $inc: { n: 1 } }, { session: s });
      expect(sim.gate.settled('writer')).toBe(false); // between commands: what it does next is unknown
      sim.gate.filter = (c) => c.appName === 'holder';
      sim.gate.hold();
      // The non-transactional writer waits inside the server for the holder's transaction: settled.
      const blocked = db(writer).updateOne({ _id: 'doc' }, { $inc: { n: 10 } });
      for (let i = 0; i < 500 && !sim.gate.settled('writer'); i++) await new Promise((r) => setTimeout(r, 5));
      expect(sim.gate.settled('writer')).toBe(true);
      // The holder's commit waits at the gate: settled too; released, the writer runs and is no longer blocked.
      const commit = s.commitTransaction();
      expect(await sim.gate.waitFor(1, 5000)).toBe(1);
      expect(sim.gate.settled('holder')).toBe(true);
      sim.gate.step(0);
      await commit;
      await blocked;
      expect(sim.gate.settled('writer')).toBe(false);
      expect((await db(client).findOne({ _id: 'doc' }))?.n).toBe(11);
    } finally {
      sim.gate.open();
      await s.endSession();
      await holder.close();
      await writer.close();
      await client.close();
      await sim.stop();
    }
  });

  it('lets the harness choose the order of concurrently pending commands', async () => {
    const app = 'gated';
    const gated = await new MongoClient(sim.uri, { appName: app, maxPoolSize: 4 }).connect();
    const c = gated.db('gate').collection<{ _id: string; log: string[] }>('c');
    await c.insertOne({ _id: 'doc', log: [] });
    sim.gate.hold();
    const writes = ['a', 'b', 'c'].map((tag) => c.updateOne({ _id: 'doc' }, { $push: { log: tag } }));
    expect(await sim.gate.waitFor(3, 5000)).toBe(3);
    const order = sim.gate.pending().map((p) => p.seq);
    // Release in reverse arrival order, one at a time.
    for (let i = 2; i >= 0; i--) {
      const idx = sim.gate.pending().findIndex((p) => p.seq === order[i]);
      sim.gate.step(idx);
      await new Promise((r) => setTimeout(r, 20));
    }
    sim.gate.open();
    await Promise.all(writes);
    const doc = await client
      .db('gate')
      .collection('c')
      .findOne({ _id: 'doc' as never });
    expect(doc?.log).toHaveLength(3);
    // Arrival order is the driver's; the stored order must be exactly the reverse of it.
    const arrived = sim.gate.released.map((p) => p.seq);
    expect(arrived).toEqual([...order].reverse());
    await gated.close();
  });

  it('survives 10,000 malformed frames and keeps serving other connections', async () => {
    let sent = 0;
    const send = (bytes: Uint8Array) =>
      new Promise<void>((resolve) => {
        const s: Socket = connect(sim.port, '127.0.0.1', () => {
          s.end(bytes);
        });
        s.resume(); // consume replies, or the socket never sees the server's FIN
        s.on('error', () => resolve());
        s.on('close', () => resolve());
        s.setTimeout(2000, () => s.destroy());
      });
    const valid = encodeMsg(1, 0, { ping: 1, $db: 'admin' });
    const frame = fc.oneof(
      fc.uint8Array({ minLength: 0, maxLength: 64 }),
      // A valid frame with some bytes flipped: exercises the decoder and BSON parser deep inside.
      fc.tuple(fc.nat(valid.length - 1), fc.integer({ min: 1, max: 255 })).map(([at, x]) => {
        const b = Buffer.from(valid);
        b[at] ^= x;
        return b;
      }),
      fc.uint8Array({ minLength: 16, maxLength: 80 }).map((b) => {
        const buf = Buffer.from(b);
        buf.writeInt32LE(buf.length, 0);
        buf.writeInt32LE(2013, 12);
        return buf;
      }),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(frame, { minLength: 50, maxLength: 50 }), async (frames) => {
        sent += frames.length;
        await Promise.all(frames.map(send));
        expect((await client.db('admin').command({ ping: 1 })).ok).toBe(1);
      }),
      { numRuns: 200, seed: 42 },
    );
    expect(sent).toBeGreaterThanOrEqual(10_000);
  });
});

describe('simulator as a standalone', () => {
  it('refuses transactions as mongod refuses them off a replica set', async () => {
    const sim = await SimServer.start({ replicaSet: false });
    const client = await new MongoClient(sim.uri).connect();
    const s = client.startSession();
    s.startTransaction();
    const err = await client
      .db('x')
      .collection('c')
      .insertOne({ a: 1 }, { session: s })
      .catch((e) => e);
    expect(err).toBeInstanceOf(Error);
    // mongod answers IllegalOperation (20) 'Transaction numbers are only allowed on a replica set member'; the driver
    // rewords exactly that reply as 'does not support retryable writes'.
    expect(String(err.message)).toMatch(/does not support retryable writes/);
    await s.endSession().catch(() => {});
    await client.close();
    await sim.stop();
  });
});
