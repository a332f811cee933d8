import { MongoClient } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { simTopology, type TopologyControl } from '../../cluster/topology.ts';
import { SimServer } from '../server.ts';

// The stale secondary balance-reads keeps on three members, through the real driver: majority writes still succeed
// (the member cut off from the clients acknowledges them), every secondary read goes to the member that lags.
describe('a stale secondary in the clients way (sim, 3 members, mongodb driver)', () => {
  let sim: SimServer;
  let topology: TopologyControl;
  let client: MongoClient;
  beforeAll(async () => {
    sim = await SimServer.start({ members: 3 });
    topology = simTopology(sim.replSet!);
    client = await new MongoClient(sim.uri, { appName: 'stale-secondary', serverSelectionTimeoutMS: 3000 }).connect();
  });
  afterAll(async () => {
    await client.close();
    await sim.stop();
  });

  it('acknowledges majority writes, answers secondary reads from the lagging member only, and restores', async () => {
    const coll = client.db('stale').collection('t');
    await coll.insertOne({ _id: 'before' as never }, { writeConcern: { w: 'majority' } });
    await topology.awaitReplication();
    const lagging = await topology.staleSecondary!();
    const cut = sim.replSet!.members.find((m) => m.clientsCut)!;
    expect(cut.id).not.toBe(lagging);
    expect(sim.replSet!.members[lagging].paused).toBe(true);
    // The cut member refuses clients but its replication goes on: the write below needs it for a majority.
    const direct = new MongoClient(`mongodb://${sim.replSet!.address(cut.id)}/?directConnection=true`, {
      serverSelectionTimeoutMS: 300,
    });
    await expect(direct.connect()).rejects.toThrow();
    await direct.close();
    await coll.insertOne({ _id: 'after' as never }, { writeConcern: { w: 'majority', wtimeout: 2000 } });
    expect(sim.replSet!.members[cut.id].applied).toBeGreaterThan(sim.replSet!.members[lagging].applied);
    for (let i = 0; i < 5; i++) {
      const ids = (await coll.find({}, { readPreference: 'secondaryPreferred' }).toArray()).map((d) => d._id);
      expect(ids).toEqual(['before']);
    }
    expect((await coll.find({}).toArray()).map((d) => d._id)).toEqual(['before', 'after']);
    await topology.restore();
    expect(sim.replSet!.members.some((m) => m.clientsCut || m.paused)).toBe(false);
    expect(sim.replSet!.events.map((e) => e.kind)).toEqual(expect.arrayContaining(['clients-cut', 'clients-restored']));
    const fresh = await coll.find({}, { readPreference: 'secondary' }).toArray();
    expect(fresh.map((d) => d._id)).toEqual(['before', 'after']);
  });
});
