import { type Document, MongoClient, MongoServerError, MongoWriteConcernError } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { realTopology } from '../../cluster/real-topology.ts';
import { simTopology, type TopologyControl } from '../../cluster/topology.ts';
import { SimServer } from '../server.ts';

// Replica-set behaviour as the SDAM, retryable-writes and read/write-concern specifications describe it, on the
// 3-member simulator and, when MELTCHECK_MONGODB_URI points at a 3-member set with test commands on, on it too.
interface Target {
  name: string;
  skipReason?: string;
  start(): Promise<{ uri: string; topology: TopologyControl; stop(): Promise<void> }>;
}

const realUri = process.env.MELTCHECK_MONGODB_URI;
const TARGETS: Target[] = [
  {
    name: 'sim (3 members)',
    async start() {
      const sim = await SimServer.start({ members: 3 });
      return { uri: sim.uri, topology: simTopology(sim.replSet!), stop: () => sim.stop() };
    },
  },
  {
    name: 'real',
    skipReason: realUri
      ? undefined
      : 'no real replica set here: set MELTCHECK_MONGODB_URI to a 3-member set started with enableTestCommands=1',
    async start() {
      return { uri: realUri as string, topology: realTopology(realUri as string), stop: async () => {} };
    },
  },
];

for (const target of TARGETS) {
  describe.skipIf(Boolean(target.skipReason))(
    `topology conformance on ${target.name} ${target.skipReason ?? ''}`,
    () => {
      let uri = '';
      let topology: TopologyControl;
      let stop: () => Promise<void> = async () => {};
      let client: MongoClient;
      const db = () => client.db(`conf_topology_${process.pid}`);

      beforeAll(async () => {
        ({ uri, topology, stop } = await target.start());
        client = await new MongoClient(uri, { appName: 'conformance-topology' }).connect();
        await db().dropDatabase();
      }, 60_000);
      afterAll(async () => {
        await topology.restore().catch(() => {});
        await db().dropDatabase();
        await client.close();
        await stop();
      }, 60_000);

      it('answers hello as a 3-member set: hosts, one primary, setName, setVersion, electionId, topologyVersion', async () => {
        const h = await client.db('admin').command({ hello: 1 });
        expect(h.hosts).toHaveLength(3);
        expect(h.isWritablePrimary).toBe(true);
        expect(h.primary).toBe(h.me);
        expect(typeof h.setName).toBe('string');
        expect(h.setVersion).toBeGreaterThanOrEqual(1);
        expect(h.electionId).toBeDefined();
        expect(h.topologyVersion?.processId).toBeDefined();
        for (const host of (h.hosts as string[]).filter((x) => x !== h.primary)) {
          const direct = await new MongoClient(`mongodb://${host}/?directConnection=true`).connect();
          try {
            const s = await direct.db('admin').command({ hello: 1 });
            expect([s.isWritablePrimary, s.secondary, s.primary, s.electionId]).toEqual([
              false,
              true,
              h.primary,
              undefined,
            ]);
            // A write sent to a secondary: NotWritablePrimary (10107), so the driver rediscovers.
            const err = await direct
              .db(db().databaseName)
              .collection('x')
              .insertOne({ a: 1 })
              .catch((e) => e);
            expect(err).toBeInstanceOf(MongoServerError);
            expect(err.code).toBe(10107);
          } finally {
            await direct.close();
          }
        }
      });

      it('w:majority waits for a majority (wtimeout: WriteConcernFailed), w:1 at once; majority reads lag', async () => {
        const c = db().collection('majority');
        await c.insertOne({ _id: 'base' as never });
        await topology.awaitReplication();
        await topology.pauseReplication();
        try {
          const err = await c
            .insertOne({ _id: 'waits' as never }, { writeConcern: { w: 'majority', wtimeoutMS: 300 } })
            .catch((e) => e);
          expect(err).toBeInstanceOf(MongoWriteConcernError);
          expect(err.code).toBe(64);
          await c.insertOne({ _id: 'w1' as never }, { writeConcern: { w: 1 } });
          const local = await c.find({}, { readConcern: { level: 'local' } }).toArray();
          const majority = await c.find({}, { readConcern: { level: 'majority' } }).toArray();
          expect(local.map((d) => d._id).sort()).toEqual(['base', 'w1', 'waits']);
          expect(majority.map((d) => d._id)).toEqual(['base']);
        } finally {
          await topology.resumeReplication();
        }
        await topology.awaitReplication();
        const after = await c.find({}, { readConcern: { level: 'majority' } }).toArray();
        expect(after).toHaveLength(3);
      });

      it('a stepdown: the driver follows the new primary and retries a write; the old primary refuses writes', async () => {
        const before = (await client.db('admin').command({ hello: 1 })).primary;
        await topology.stepDown({ catchUp: true });
        const c = db().collection('stepdown');
        await c.insertOne({ after: 'stepdown' });
        const now = (await client.db('admin').command({ hello: 1 })).primary;
        expect(now).not.toBe(before);
        expect(await c.countDocuments()).toBe(1);
      });

      it('a forced stepdown with replication paused rolls back what only the primary had; majority writes survive', async () => {
        const c = db().collection('rollback');
        await c.insertOne({ _id: 'durable' as never }, { writeConcern: { w: 'majority' } });
        await topology.awaitReplication();
        await topology.pauseReplication();
        await c.insertOne({ _id: 'primary-only' as never }, { writeConcern: { w: 1 } });
        await topology.stepDown({ catchUp: false });
        await topology.restore();
        const ids = (await c.find({}, { readConcern: { level: 'majority' } }).toArray()).map((d) => d._id);
        expect(ids).toEqual(['durable']);
      }, 60_000);

      // On mongod the stepdown races the secondaries' catch-up (the waiter may be satisfied first); the simulator
      // fixes the order, so this case is the simulator's documented choice, not a claim about every mongod.
      // Skipped on a real set: there, whether the commit is acknowledged before the stepdown is a race.
      it.skipIf(target.name === 'real')(
        `a commit waiting for the majority at a stepdown hears PrimarySteppedDown (189, RetryableWriteError); the driver retries it${target.name === 'real' ? ' (skipped: on mongod the stepdown and the majority acknowledgement race)' : ''}`,
        async () => {
          const replies: Document[] = [];
          const raw = await new MongoClient(uri, { appName: 'conformance-commit', monitorCommands: true }).connect();
          raw.on('commandSucceeded', (e) => e.commandName === 'commitTransaction' && replies.push(e.reply as Document));
          try {
            const c = raw.db(db().databaseName).collection('commit');
            await c.insertOne({ _id: 'seed' as never });
            await topology.awaitReplication();
            await topology.pauseReplication();
            const s = raw.startSession();
            s.startTransaction({ writeConcern: { w: 'majority' } });
            await c.insertOne({ _id: 'in-txn' as never }, { session: s });
            const commit = s.commitTransaction();
            await topology.awaitWriteWaiting();
            await topology.stepDown({ catchUp: true });
            await commit;
            await s.endSession();
            expect(replies[0].writeConcernError).toMatchObject({ code: 189, codeName: 'PrimarySteppedDown' });
            expect(replies[0].errorLabels).toContain('RetryableWriteError');
            expect(replies.at(-1)?.writeConcernError).toBeUndefined();
            expect(await c.countDocuments({ _id: 'in-txn' as never })).toBe(1);
          } finally {
            await topology.resumeReplication();
            await raw.close();
          }
        },
      );
    },
  );
}
