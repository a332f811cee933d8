import { Wallet } from '@cashu/cashu-ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { until } from '../testing/until.ts';
import { MintHttpProxy } from './http-proxy.ts';
import { NUTSHELL_VERSION, nutshellMissing } from './nutshell/install.ts';
import { NutshellProcess } from './nutshell/process.ts';
import { TestMint } from './server.ts';
import { injectWebSocketIntoCashuTs } from './ws/client.ts';

injectWebSocketIntoCashuTs();

// A wallet that subscribes (NUT-17) to a mint behind meltcheck's HTTP proxy (nutshell, --mint url:) gets its
// notifications through the proxy: the upgrade is tunnelled to the mint, and ends when the proxy stops.
describe('the mint HTTP proxy tunnels NUT-17 WebSocket subscriptions (test mint behind it)', () => {
  let mint: TestMint;
  let proxy: MintHttpProxy;
  let w: Wallet;
  beforeAll(async () => {
    mint = await TestMint.start({ seed: 'proxy-ws' });
    proxy = await new MintHttpProxy(mint.url).start();
    w = new Wallet(proxy.url, { unit: 'sat' });
    await w.loadMint();
  });
  afterAll(async () => {
    w.mint.disconnectWebSocket();
    await proxy.stop();
    await mint.stop();
  });

  it('delivers a mint quote going PAID then ISSUED through the proxy, and cuts the tunnel when the proxy stops', async () => {
    expect(w.getMintInfo().isSupported(17).supported).toBe(true);
    const q = await w.createMintQuoteBolt11(16);
    const states: string[] = [];
    const errors: Error[] = [];
    await w.on.mintQuoteUpdates(
      [q.quote],
      (u) => states.push(String(u.state)),
      (e) => errors.push(e),
    );
    await until('the state at subscribe time', () => states.length === 1);
    await w.mintProofsBolt11(16, q.quote);
    await until('ISSUED', () => states.length === 2);
    expect([states, errors]).toEqual([['PAID', 'ISSUED'], []]);
    // The subscription is one connection at the mint, through the tunnel; stopping the proxy ends it there too.
    expect(mint.websocket!.subscriptions).toBe(1);
    await proxy.stop();
    await until('the mint to see the subscriber go', () => mint.websocket!.subscriptions === 0);
  });
});

const missing = nutshellMissing();

// The same through the proxy in front of a real nutshell (the way service checks reach it).
describe('the mint HTTP proxy tunnels NUT-17 to nutshell', () => {
  it.skipIf(Boolean(missing))(
    missing ? `skipped: ${missing}` : `delivers a deposit's states from nutshell ${NUTSHELL_VERSION} through the proxy`,
    { timeout: 60_000 },
    async () => {
      const n = await NutshellProcess.start({ label: 'proxy-ws', inputFeePpk: 0 });
      const proxy = await new MintHttpProxy(n.url).start();
      const w = new Wallet(proxy.url, { unit: 'sat' });
      try {
        await w.loadMint();
        const q = await w.createMintQuoteBolt11(16);
        const states: string[] = [];
        await w.on.mintQuoteUpdates(
          [q.quote],
          (u) => states.push(String(u.state)),
          () => {},
        );
        await until('PAID', () => states.includes('PAID'), 20_000);
        await w.mintProofsBolt11(16, q.quote);
        await until('ISSUED', () => states.at(-1) === 'ISSUED', 20_000);
        // nutshell's FakeWallet pays in the background: UNPAID may come first, PAID may be told twice.
        expect(states.indexOf('PAID')).toBeLessThan(states.indexOf('ISSUED'));
      } finally {
        w.mint.disconnectWebSocket();
        await proxy.stop();
        await n.stop();
      }
    },
  );
});
