import { MongoClient } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { MARKER } from '../cluster/marker.ts';
import { SimServer } from '../sim/server.ts';
import { main } from './main.ts';

// `meltcheck clean` drops what earlier runs left behind, and only that (sim).
describe('meltcheck clean (sim)', () => {
  let sim: SimServer;
  beforeAll(async () => {
    sim = await SimServer.start();
  });
  afterAll(() => sim.stop());

  it('drops marked mc_* databases and nothing else', async () => {
    const admin = await new MongoClient(sim.uri).connect();
    try {
      await admin.db('mc_old_run').collection(MARKER).insertOne({ runId: 'old' });
      await admin.db('mc_old_run').collection('tokens').insertOne({});
      await admin.db('mc_not_ours').collection('tokens').insertOne({}); // mc_ name, no marker
      await admin.db('wallets').collection(MARKER).insertOne({}); // marker, not an mc_ name
      const log = vi.spyOn(console, 'log').mockImplementation(() => {});
      let code: number;
      try {
        code = await main(['clean', '--uri', sim.uri]);
      } finally {
        log.mockRestore();
      }
      expect(code).toBe(0);
      const names = (await admin.db('admin').admin().listDatabases({ nameOnly: true })).databases.map((d) => d.name);
      expect(names).not.toContain('mc_old_run');
      expect(names).toContain('mc_not_ours');
      expect(names).toContain('wallets');
    } finally {
      await admin.close();
    }
  });

  it('refuses a remote server without --allow-remote (exit 2)', async () => {
    const err = vi.spyOn(console, 'error').mockImplementation(() => {});
    try {
      expect(await main(['clean', '--uri', 'mongodb://db.example.invalid:27017/'])).toBe(2);
      expect(err.mock.calls[0][0]).toMatch(/refusing remote host/);
    } finally {
      err.mockRestore();
    }
  });
});
