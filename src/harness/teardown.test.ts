import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MongoClient } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { certify } from '../cli/certify.ts';
import { SimServer } from '../sim/server.ts';
import { cleanupCount } from './cleanup.ts';

// adapter.teardown() throwing must not skip dropDatabase nor proxy.stop() (sim, via --cluster uri).
describe('a throwing teardown (sim)', () => {
  let sim: SimServer;
  beforeAll(async () => {
    sim = await SimServer.start();
  });
  afterAll(() => sim.stop());

  it('still drops the database and stops the proxy, and the check does not pass', async () => {
    const out = mkdtempSync(join(tmpdir(), 'mc-td-'));
    const adapter = join(import.meta.dirname, 'testdata/throwing-teardown-adapter.ts');
    const quiet = [
      vi.spyOn(console, 'log').mockImplementation(() => {}),
      vi.spyOn(console, 'error').mockImplementation(() => {}),
    ];
    try {
      await certify([
        '--cluster',
        'uri',
        '--uri',
        sim.uri,
        '--adapter',
        adapter,
        '--check',
        'wire-faults',
        '--seed',
        '2',
        '--out',
        out,
      ]);
    } finally {
      for (const q of quiet) q.mockRestore();
    }
    const report = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8'));
    expect(report.checks[0].status).not.toBe('pass');
    expect(cleanupCount()).toBe(0); // the proxy unregistered itself: it was stopped
    const admin = await new MongoClient(sim.uri).connect();
    try {
      const dbs = (await admin.db('admin').admin().listDatabases({ nameOnly: true })).databases.map((d) => d.name);
      expect(dbs.filter((n) => n.startsWith('mc_'))).toEqual([]);
    } finally {
      await admin.close();
    }
  }, 60_000);
});
