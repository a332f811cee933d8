import { fileURLToPath } from 'node:url';
import { MongoClient } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSim } from '../cluster/sim-cluster.ts';
import { AdapterBroke } from '../harness/containment.ts';
import { ProcessDied, WalletProcess } from './child.ts';
import { WarmPool } from './warm-pool.ts';

const EXITS_ON_LOAD = fileURLToPath(new URL('../../fixtures/misbehaving/exits-on-load.ts', import.meta.url));

// sim backend: the processes run the reference adapter against meltcheck's simulator.
describe('WarmPool: wallet processes loaded ahead of need', () => {
  let cluster: Awaited<ReturnType<typeof startSim>>;
  beforeAll(async () => {
    cluster = await startSim();
  });
  afterAll(() => cluster.stop());
  const ctx = (i: number) => ({ uri: cluster.uri, dbName: `warm${i}`, appName: `warm-${i}`, seed: 1 });

  it('a taken process is set up with the context it is given, each its own', async () => {
    const pool = new WarmPool(1);
    pool.prime('reference');
    const registry = new Set<WalletProcess>();
    const a = await WalletProcess.start('reference', ctx(1), { warm: pool, registry });
    const b = await WalletProcess.start('reference', ctx(2), { warm: pool, registry });
    try {
      expect(a.appName).toBe('warm-1');
      expect(b.appName).toBe('warm-2');
      expect(registry.size).toBe(2);
      // Each works against its own database: the context reached the process after it had loaded.
      await a.call<string>('createWallet', 'npub1warm', 'https://mint.example');
      const client = await new MongoClient(cluster.uri).connect();
      try {
        const wallets = async (db: string) => client.db(db).collection('wallets').countDocuments();
        expect(await wallets('warm1')).toBe(1);
        expect(await wallets('warm2')).toBe(0);
      } finally {
        await client.close();
      }
    } finally {
      await a.stop();
      await b.stop();
      pool.close();
    }
  });

  it('a process that ended while it waited fails its setup as the adapter breaking, never hangs', async () => {
    const pool = new WarmPool(1);
    pool.prime(EXITS_ON_LOAD);
    await expect(WalletProcess.start(EXITS_ON_LOAD, ctx(3), { warm: pool })).rejects.toBeInstanceOf(AdapterBroke);
    pool.close();
  });

  it('a spare aborted while it loads is killed at once, not awaited', async () => {
    const done = new AbortController();
    const starting = WalletProcess.start('reference', ctx(4), { signal: done.signal });
    done.abort();
    await expect(starting).rejects.toBeInstanceOf(ProcessDied);
  });
});
