import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestMint } from './server.ts';

/** Sends raw bytes, returns whatever comes back before the server closes or `ms` pass. */
function raw(port: number, bytes: string, opts: { destroyAfterWrite?: boolean } = {}): Promise<string> {
  return new Promise((resolve) => {
    let got = '';
    const s = connect(port, '127.0.0.1', () => {
      s.write(bytes);
      if (opts.destroyAfterWrite) {
        s.destroy();
        resolve('');
      }
    });
    s.on('data', (d) => {
      got += d;
    });
    s.on('close', () => resolve(got));
    s.on('error', () => resolve(got));
    s.setTimeout(2000, () => s.destroy());
  });
}

// The test mint serves on through malformed requests: each is answered 4xx (or dropped), none kills the process.
describe('test mint robustness', () => {
  let mint: TestMint;
  let port: number;
  beforeAll(async () => {
    mint = await TestMint.start();
    port = Number(new URL(mint.url).port);
  });
  afterAll(() => mint.stop());

  const healthy = async () => (await fetch(`${mint.url}/v1/info`)).status;

  it('answers GET // with 400 and serves on', async () => {
    expect(await raw(port, 'GET // HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n')).toMatch(/^HTTP\/1\.1 400/);
    expect(await healthy()).toBe(200);
  });

  it('survives a client that aborts mid-body', async () => {
    await raw(port, 'POST /v1/swap HTTP/1.1\r\nHost: x\r\nContent-Length: 500\r\n\r\n{"inputs": [', {
      destroyAfterWrite: true,
    });
    await new Promise((r) => setTimeout(r, 50));
    expect(await healthy()).toBe(200);
  });

  it('answers garbage that is not HTTP with 400', async () => {
    expect(await raw(port, '\u0000\u0001 nonsense\r\n\r\n')).toMatch(/^HTTP\/1\.1 400/);
    expect(await healthy()).toBe(200);
  });

  it('answers a body that is not JSON with 400', async () => {
    const r = await fetch(`${mint.url}/v1/swap`, { method: 'POST', body: '{not json' });
    expect(r.status).toBe(400);
    expect(await healthy()).toBe(200);
  });
});
