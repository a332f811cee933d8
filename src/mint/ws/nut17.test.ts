import { type Proof, Wallet } from '@cashu/cashu-ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { selectProofsDeterministic } from '../../proofs/select.ts';
import { until } from '../../testing/until.ts';
import { fakeInvoice } from '../invoice.ts';
import { yOf } from '../ledger.ts';
import { TestMint } from '../server.ts';
import { injectWebSocketIntoCashuTs, PlainWebSocket as WebSocket } from './client.ts';

injectWebSocketIntoCashuTs();

const sum = (ps: { amount: unknown }[]) => ps.reduce((s, p) => s + Number(p.amount), 0);

async function walletFor(mint: TestMint, fill: number): Promise<Wallet> {
  const w = new Wallet(mint.url, {
    unit: 'sat',
    selectProofs: selectProofsDeterministic as never,
    bip39seed: new Uint8Array(64).fill(fill),
  });
  await w.loadMint();
  return w;
}

async function fund(w: Wallet, amount: number): Promise<Proof[]> {
  const q = await w.createMintQuoteBolt11(amount);
  return w.mintProofsBolt11(amount, q.quote);
}

/** A melt of `amount` on an invoice planned as `outcome`, with cashu-ts subscribed to its quote and its inputs. */
async function watchedMelt(mint: TestMint, w: Wallet, amount: number, outcome: 'paid' | 'failed' | 'pending') {
  const invoice = fakeInvoice(amount, `ws-${outcome}-${Math.random()}`);
  mint.lightning.plan(invoice, { outcome, feeReserve: 4, actualFee: 1 });
  const quote = await w.createMeltQuoteBolt11(invoice);
  const { send } = await w.send(amount + 4, await fund(w, amount + 20), { includeFees: true });
  const quoteStates: string[] = [];
  const last: Record<string, unknown>[] = [];
  const proofStates = new Map<string, string[]>(send.map((p) => [yOf(p.secret), []]));
  const errors: Error[] = [];
  await w.on.meltQuoteUpdates(
    [quote.quote],
    (q) => {
      quoteStates.push(String(q.state));
      last[0] = q as never;
    },
    (e) => errors.push(e),
  );
  await w.on.proofStateUpdates(
    send,
    (s) => proofStates.get(s.Y)!.push(String(s.state)),
    (e) => errors.push(e),
  );
  // The first notification of each subscription is the state at subscribe time.
  await until('the initial states', () => quoteStates.length === 1 && [...proofStates.values()].every((s) => s.length));
  return { quote, send, quoteStates, proofStates, last, errors };
}

describe('NUT-17 on the test mint, through cashu-ts 4.8 subscriptions (ws injected)', () => {
  let mint: TestMint;
  let w: Wallet;
  beforeAll(async () => {
    mint = await TestMint.start({ seed: 'nut17' });
    w = await walletFor(mint, 17);
  });
  afterAll(async () => {
    w.mint.disconnectWebSocket();
    await mint.stop();
  });

  it('advertises NUT-17 in NUT-06 info with the three bolt11/sat commands', () => {
    const nut17 = w.getMintInfo().isSupported(17);
    expect(nut17.supported).toBe(true);
    expect(nut17.params).toEqual([
      { method: 'bolt11', unit: 'sat', commands: ['bolt11_mint_quote', 'bolt11_melt_quote', 'proof_state'] },
    ]);
  });

  it('tells a mint quote PAID at subscribe time (onceMintPaid), then ISSUED once minted', async () => {
    const q = await w.createMintQuoteBolt11(64);
    const paid = await w.on.onceMintPaid(q.quote, { timeoutMs: 5000 });
    expect([paid.quote, paid.state, Number(paid.amount)]).toEqual([q.quote, 'PAID', 64]);
    const states: string[] = [];
    await w.on.mintQuoteUpdates(
      [q.quote],
      (u) => states.push(String(u.state)),
      () => {},
    );
    await until('the initial mint quote state', () => states.length === 1);
    await w.mintProofsBolt11(64, q.quote);
    await until('ISSUED', () => states.length === 2);
    expect(states).toEqual(['PAID', 'ISSUED']);
  });

  it('tells a melt going PENDING then PAID, its inputs UNSPENT → PENDING → SPENT, with change and preimage', async () => {
    const m = await watchedMelt(mint, w, 50, 'pending');
    const paid = w.on.onceMeltPaid(m.quote.quote, { timeoutMs: 5000 });
    const res = await w.meltProofsBolt11(m.quote, m.send);
    expect(res.quote.state).toBe('PENDING');
    await until('PENDING', () => m.quoteStates.length === 2);
    mint.ledger.settle(m.quote.quote, 'paid');
    const done = await paid;
    await until(
      'PAID and SPENT',
      () => m.quoteStates.length === 3 && [...m.proofStates.values()].every((s) => s.length === 3),
    );
    expect(m.quoteStates).toEqual(['UNPAID', 'PENDING', 'PAID']);
    for (const states of m.proofStates.values()) expect(states).toEqual(['UNSPENT', 'PENDING', 'SPENT']);
    expect(done.state).toBe('PAID');
    expect(done.payment_preimage).toMatch(/^[0-9a-f]{64}$/);
    // change = inputs − 50 − routing fee 1 (input fee 0), exactly what the mint signed
    expect(sum(done.change ?? [])).toBe(sum(m.send) - 50 - 1);
    expect(m.errors).toEqual([]);
  });

  it('tells a failed payment as PENDING then back to UNPAID, its inputs released to UNSPENT', async () => {
    const m = await watchedMelt(mint, w, 20, 'failed');
    const failed = await w.meltProofsBolt11(m.quote, m.send).catch((e) => e);
    expect(failed.code).toBe(20004);
    await until(
      'UNPAID again',
      () => m.quoteStates.length === 3 && [...m.proofStates.values()].every((s) => s.length === 3),
    );
    expect(m.quoteStates).toEqual(['UNPAID', 'PENDING', 'UNPAID']);
    for (const states of m.proofStates.values()) expect(states).toEqual(['UNSPENT', 'PENDING', 'UNSPENT']);
  });

  it('sends nothing a lost response hid: the subscriber saw UNPAID only, the state is there to poll', async () => {
    const m = await watchedMelt(mint, w, 30, 'paid');
    mint.faults.addNext({ endpoint: '/v1/melt/bolt11', kind: 'response-lost' });
    const lost = await w.meltProofsBolt11(m.quote, m.send).catch((e) => e);
    expect(lost).toBeInstanceOf(Error);
    expect((await w.checkMeltQuoteBolt11(m.quote.quote)).state).toBe('PAID');
    // A new subscription on the same socket: once its snapshot (PAID) is here, anything sent before it is too.
    const again: string[] = [];
    await w.on.meltQuoteUpdates(
      [m.quote.quote],
      (q) => again.push(String(q.state)),
      () => {},
    );
    await until('the new snapshot', () => again.length === 1);
    expect(again).toEqual(['PAID']);
    expect(m.quoteStates).toEqual(['UNPAID']);
    for (const states of m.proofStates.values()) expect(states).toEqual(['UNSPENT']);
  });

  it('cuts the subscribers from the mint side when a hook says the wallet is being killed (drop or kill)', async () => {
    const hooks: TestMint['hooks'][] = [{ onRequest: () => 'drop' }, { onResponse: () => 'kill' }];
    for (const [i, h] of hooks.entries()) {
      const other = await walletFor(mint, 30 + i);
      const q = await other.createMintQuoteBolt11(8);
      const seen: string[] = [];
      await other.on.mintQuoteUpdates(
        [q.quote],
        (u) => seen.push(String(u.state)),
        () => {},
      );
      await until('the snapshot', () => seen.length === 1);
      let closed = false;
      other.mint.webSocketConnection!.onClose(() => (closed = true));
      mint.hooks = h;
      await other.mintProofsBolt11(8, q.quote).catch(() => {});
      mint.hooks = {};
      await until('the close', () => closed);
      expect(mint.websocket!.subscriptions).toBe(0);
      // Killed after the mint answered: the quote is ISSUED, and the dying wallet was not told.
      expect(seen).toEqual(['PAID']);
    }
  });
});

/** A raw NUT-17 client: what cashu-ts does not send (errors, unknown subIds). */
async function rawClient(url: string) {
  const ws = new WebSocket(`${url.replace('http', 'ws')}/v1/ws`);
  const inbox: any[] = [];
  ws.on('message', (d) => inbox.push(JSON.parse(d.toString())));
  await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
  const ask = async (msg: unknown, replies = 1) => {
    const from = inbox.length;
    ws.send(typeof msg === 'string' ? msg : JSON.stringify(msg));
    await until('the reply', () => inbox.length >= from + replies);
    return inbox.slice(from);
  };
  return { ws, ask, inbox };
}

describe('NUT-17 requests and errors (raw JSON-RPC over ws)', () => {
  let mint: TestMint;
  beforeAll(async () => {
    mint = await TestMint.start({ seed: 'nut17-raw' });
  });
  afterAll(() => mint.stop());

  it('answers subscribe with OK then the current state, and refuses unknown kinds, methods and subIds', async () => {
    const c = await rawClient(mint.url);
    const y = yOf('never-signed');
    const sub = { kind: 'proof_state', subId: 's1', filters: [y] };
    expect(await c.ask({ jsonrpc: '2.0', id: 0, method: 'subscribe', params: sub }, 2)).toEqual([
      { jsonrpc: '2.0', result: { status: 'OK', subId: 's1' }, id: 0 },
      {
        jsonrpc: '2.0',
        method: 'subscribe',
        params: { subId: 's1', payload: { Y: y, state: 'UNSPENT', witness: null } },
      },
    ]);
    const code = async (msg: unknown) => (await c.ask(msg))[0];
    expect(await code({ jsonrpc: '2.0', id: 1, method: 'subscribe', params: sub })).toMatchObject({
      error: { code: -32602 },
      id: 1,
    });
    expect(
      await code({
        jsonrpc: '2.0',
        id: 2,
        method: 'subscribe',
        params: { ...sub, subId: 's2', kind: 'bolt12_melt_quote' },
      }),
    ).toMatchObject({ error: { code: -32602, message: expect.stringContaining('unknown kind') }, id: 2 });
    expect(await code({ jsonrpc: '2.0', id: 3, method: 'unsubscribe', params: { subId: 'nope' } })).toMatchObject({
      error: { code: -32602, message: expect.stringContaining('not found') },
      id: 3,
    });
    expect(await code({ jsonrpc: '2.0', id: 4, method: 'publish', params: {} })).toMatchObject({
      error: { code: -32601 },
      id: 4,
    });
    expect(await code('{"jsonrpc": "2.0",')).toMatchObject({ error: { code: -32700 }, id: null });
    expect(await code({ jsonrpc: '2.0', id: 5, method: 'unsubscribe', params: { subId: 's1' } })).toEqual({
      jsonrpc: '2.0',
      result: { status: 'OK', subId: 's1' },
      id: 5,
    });
    expect(mint.websocket!.subscriptions).toBe(0);
    // An unknown quote has no state to tell: OK and nothing more (the next reply is the one to the next request).
    const unknownQuote = { kind: 'bolt11_melt_quote', subId: 's3', filters: ['melt_nope'] };
    const replies = await c.ask({ jsonrpc: '2.0', id: 6, method: 'subscribe', params: unknownQuote });
    const next = await c.ask({ jsonrpc: '2.0', id: 7, method: 'unsubscribe', params: { subId: 's3' } });
    expect([...replies, ...next].map((r) => r.id ?? r.method)).toEqual([6, 7]);
    c.ws.close();
  });

  it('a subscription made while a slow melt is answered starts at PAID and is not told the older states after', async () => {
    const w = await walletFor(mint, 20);
    const invoice = fakeInvoice(10, 'slow');
    mint.lightning.plan(invoice, { delayMs: 300 });
    const quote = await w.createMeltQuoteBolt11(invoice);
    const { send } = await w.send(12, await fund(w, 16), { includeFees: true });
    const melting = w.meltProofsBolt11(quote, send);
    await until('the books to change', () => mint.ledger.meltQuotes.get(quote.quote)?.state === 'PAID');
    const c = await rawClient(mint.url);
    const params = { kind: 'bolt11_melt_quote', subId: 'slow', filters: [quote.quote] };
    const first = await c.ask({ jsonrpc: '2.0', id: 0, method: 'subscribe', params }, 2);
    expect(first[1].params.payload.state).toBe('PAID');
    expect((await melting).quote.state).toBe('PAID');
    // The held PENDING/PAID went out with the response; the next reply on this socket comes after them, if any.
    await c.ask({ jsonrpc: '2.0', id: 1, method: 'unsubscribe', params: { subId: 'slow' } });
    expect(c.inbox.map((r) => r.id ?? r.params?.payload?.state)).toEqual([0, 'PAID', 1]);
    c.ws.close();
  });

  it('refuses an upgrade to any other path', async () => {
    const ws = new WebSocket(`${mint.url.replace('http', 'ws')}/v1/other`);
    const status = await new Promise((resolve) => ws.once('unexpected-response', (_q, res) => resolve(res.statusCode)));
    expect(status).toBe(404);
  });
});

describe('a test mint started without NUT-17', () => {
  let mint: TestMint;
  beforeAll(async () => {
    mint = await TestMint.start({ seed: 'nut17-off', websocket: false });
  });
  afterAll(() => mint.stop());

  it('does not advertise 17 and refuses the upgrade; cashu-ts subscriptions fail, polling works', async () => {
    const w = await walletFor(mint, 19);
    expect(w.getMintInfo().isSupported(17).supported).toBe(false);
    const ws = new WebSocket(`${mint.url.replace('http', 'ws')}/v1/ws`);
    const status = await new Promise((resolve) => ws.once('unexpected-response', (_q, res) => resolve(res.statusCode)));
    expect(status).toBe(404);
    const q = await w.createMintQuoteBolt11(8);
    await expect(
      w.on.mintQuoteUpdates(
        [q.quote],
        () => {},
        () => {},
      ),
    ).rejects.toThrow(/WebSocket/);
    expect((await w.checkMintQuoteBolt11(q.quote)).state).toBe('PAID');
    expect(mint.websocket).toBeUndefined();
    expect(mint.disconnectSubscribers()).toBe(0);
  });

  it('is what a mint without its own socket (nock interception) advertises too', async () => {
    const socketless = new TestMint({ seed: 'nut17-nock' });
    const info = (await socketless.respond('GET', '/v1/info', '')).body as { nuts: Record<string, unknown> };
    expect(Object.keys(info.nuts)).not.toContain('17');
    expect(Object.keys(info.nuts)).toContain('12');
  });
});
