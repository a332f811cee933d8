import { MongoClient } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SimServer } from '../sim/server.ts';
import { dropRunDatabases, killRunSessions } from './run-sessions.ts';

// On a shared server meltcheck ends only its own run's sessions and drops only its own run's databases (sim).
describe('run-scoped session kill and database drop (sim)', () => {
  let sim: SimServer;
  const clients: MongoClient[] = [];
  const client = async (appName: string) => {
    const c = await new MongoClient(sim.uri, { appName }).connect();
    clients.push(c);
    return c;
  };
  beforeAll(async () => {
    sim = await SimServer.start();
  });
  afterAll(async () => {
    for (const c of clients) await c.close();
    await sim.stop();
  });

  it("kills the run's open transactions and leaves another user's running", async () => {
    const admin = await client('meltcheck-checker');
    const wallet = await client('meltcheck-wallet-r1-w0');
    const other = await client('someone-else');
    const otherRun = await client('meltcheck-wallet-r10-w0'); // same prefix text, different run
    const open = async (c: MongoClient, db: string) => {
      const s = c.startSession();
      s.startTransaction();
      await c.db(db).collection('t').insertOne({ x: 1 }, { session: s });
      return s;
    };
    const mine = await open(wallet, 'mc_r1_a');
    const theirs = await open(other, 'users_db');
    const notMine = await open(otherRun, 'mc_r10_a');
    expect(await killRunSessions(admin, 'meltcheck-wallet-r1-')).toBe(1);
    await expect(mine.commitTransaction()).rejects.toThrow(/aborted/);
    await theirs.commitTransaction();
    await notMine.commitTransaction();
    expect(await other.db('users_db').collection('t').countDocuments()).toBe(1);
    for (const s of [mine, theirs, notMine]) await s.endSession();
  });

  it("drops only the run's databases", async () => {
    const admin = await client('meltcheck-checker');
    for (const db of ['mc_r2_a', 'mc_r2_b', 'mc_r20_a', 'users2']) await admin.db(db).collection('t').insertOne({});
    expect((await dropRunDatabases(admin, 'r2')).sort()).toEqual(['mc_r2_a', 'mc_r2_b']);
    const left = (await admin.db('admin').admin().listDatabases({ nameOnly: true })).databases.map((d) => d.name);
    expect(left).toContain('mc_r20_a');
    expect(left).toContain('users2');
    expect(left).not.toContain('mc_r2_a');
  });
});
