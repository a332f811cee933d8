import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { MongoClient } from 'mongodb';
import { describe, expect, it } from 'vitest';

const BIN = join(import.meta.dirname, '../../bin/meltcheck.js');

/** Starts `meltcheck <cmd>`, waits for the first stdout line (its address), returns it and a stopper. */
async function serve(args: string[]): Promise<{ address: string; stop(): Promise<number | null> }> {
  const child = spawn(process.execPath, [BIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  const address = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
      if (out.includes('\n')) resolve(out.split('\n')[0].trim());
    });
    child.on('exit', (code) => reject(new Error(`exited ${code}`)));
  });
  return {
    address,
    stop: () =>
      new Promise((resolve) => {
        child.on('exit', (code) => resolve(code));
        child.kill('SIGINT');
      }),
  };
}

describe('standalone servers', () => {
  it('meltcheck sim prints a connection string the driver uses for a transaction, and stops on Ctrl-C', async () => {
    const sim = await serve(['sim', '--port', '0']);
    expect(sim.address).toMatch(/^mongodb:\/\/127\.0\.0\.1:\d+\/\?replicaSet=meltcheck-sim$/);
    const client = await new MongoClient(sim.address).connect();
    const s = client.startSession();
    await s.withTransaction(async () => {
      await client.db('x').collection('c').insertOne({ a: 1 }, { session: s });
    });
    await s.endSession();
    expect(await client.db('x').collection('c').countDocuments()).toBe(1);
    await client.close();
    expect(await sim.stop()).toBe(0);
  });

  it('meltcheck mint prints its URL and serves NUT-06 info with bolt11 under NUT-4 and NUT-5', async () => {
    const mint = await serve(['mint', '--port', '0', '--input-fee-ppk', '100']);
    expect(mint.address).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const info = await (await fetch(`${mint.address}/v1/info`)).json();
    expect(info.nuts['4'].methods[0]).toEqual({ method: 'bolt11', unit: 'sat' });
    expect(info.nuts['5'].methods[0]).toEqual({ method: 'bolt11', unit: 'sat' });
    const keysets = await (await fetch(`${mint.address}/v1/keysets`)).json();
    expect(keysets.keysets[0].input_fee_ppk).toBe(100);
    expect(await mint.stop()).toBe(0);
  });
});
