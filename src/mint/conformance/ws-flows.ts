import { type Proof, Wallet } from '@cashu/cashu-ts';
import { until as untilWithin } from '../../testing/until.ts';
import { signedInvoice } from '../bolt11.ts';
import { yOf } from '../ledger.ts';
import { PlainWebSocket } from '../ws/client.ts';
import type { Observation } from './flows.ts';
import type { FlowTarget } from './targets.ts';

const until = (what: string, done: () => boolean, ms = 10_000) => untilWithin(what, done, ms);

/** A state repeated with nothing changed in between carries no news: compared once. */
const sum = (ps: { amount: unknown }[]) => ps.reduce((s, p) => s + Number(p.amount), 0);

const changes = (states: string[]) => states.filter((s, i) => s !== states[i - 1]);

async function funded(w: Wallet, amount: number): Promise<Proof[]> {
  const q = await w.createMintQuoteBolt11(amount);
  await w.on.onceMintPaid(q.quote, { timeoutMs: 10_000 });
  return w.mintProofsBolt11(amount, q.quote);
}

/**
 * A melt watched through cashu-ts's NUT-17 subscriptions (quote and inputs subscribed before the melt request),
 * until the quote and every input reach a final state. Records the sequences of states the mint notified.
 */
async function watchedMelt(w: Wallet, t: FlowTarget, label: string, amount: number): Promise<Observation> {
  const quote = await w.createMeltQuoteBolt11(signedInvoice(amount, `${t.kind}/ws/${label}`));
  const need = Number(quote.amount) + Number(quote.fee_reserve);
  const { send } = await w.send(need, await funded(w, need + 16), { includeFees: true });
  const quoteStates: string[] = [];
  let last: { payment_preimage?: string | null; change?: { amount: unknown }[] } = {};
  const proofStates = new Map(send.map((p) => [yOf(p.secret), [] as string[]]));
  const cancel = [
    await w.on.meltQuoteUpdates(
      [quote.quote],
      (q) => {
        quoteStates.push(String(q.state));
        last = q;
      },
      () => {},
    ),
    await w.on.proofStateUpdates(
      send,
      (s) => proofStates.get(s.Y)?.push(String(s.state)),
      () => {},
    ),
  ];
  await until('the snapshots', () => quoteStates.length > 0 && [...proofStates.values()].every((s) => s.length > 0));
  const melt = await w.meltProofsBolt11(quote, send).then(
    (r) => String(r.quote.state),
    (e) => ({ code: (e as { code?: number }).code ?? 'error' }),
  );
  const final = (s: string[]) => ['PAID', 'SPENT'].includes(s.at(-1)!) || (s.length > 2 && s.at(-1) !== 'PENDING');
  await until(`${label}: final states`, () => final(quoteStates) && [...proofStates.values()].every(final));
  for (const c of cancel) c();
  return {
    melt,
    quote: changes(quoteStates),
    inputs: [...new Set([...proofStates.values()].map((s) => changes(s).join(' → ')))],
    preimage: Boolean(last.payment_preimage),
    // What the last notification says was given back, against what the melt should give (routing fee 1 on both).
    changeShort: melt === 'PAID' ? sum(send) - amount - 1 - sum(last.change ?? []) : null,
  };
}

/**
 * A raw JSON-RPC exchange: whether each answer is an error, with the request's id. `codes`: the error codes, which
 * NUT-17 leaves to the mint (kept apart, not compared).
 */
async function rawErrors(url: string): Promise<Observation> {
  const ws = new PlainWebSocket(`${url.replace(/^http/, 'ws')}/v1/ws`);
  const inbox: Record<string, any>[] = [];
  ws.on('message', (d) => inbox.push(JSON.parse(d.toString())));
  await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
  const ask = async (id: number, method: string, params: unknown) => {
    ws.send(JSON.stringify({ jsonrpc: '2.0', id, method, params }));
    await until(`reply ${id}`, () => inbox.some((m) => m.id === id));
    const r = inbox.find((m) => m.id === id)!;
    if (r.error) codes.push(r.error.code);
    return r.error ? { error: true, id: r.id } : { result: r.result };
  };
  const codes: number[] = [];
  const y = yOf('meltcheck-ws-never-signed');
  const obs = {
    unknownKind: await ask(1, 'subscribe', { kind: 'bolt99_melt_quote', subId: 'k', filters: ['x'] }),
    unknownSubId: await ask(2, 'unsubscribe', { subId: 'never-subscribed' }),
    subscribe: await ask(3, 'subscribe', { kind: 'proof_state', subId: 'p', filters: [y] }),
  };
  await until('the snapshot', () => inbox.some((m) => m.method === 'subscribe'));
  const snapshot = inbox.find((m) => m.method === 'subscribe')!.params;
  ws.close();
  return {
    ...obs,
    snapshot: { subId: snapshot.subId, Y: snapshot.payload.Y === y, state: snapshot.payload.state },
    codes,
  };
}

/**
 * NUT-17 flows, the same against any mint: the NUT-06 advertisement, a mint quote's and a melt's notification
 * sequences through cashu-ts, a failed payment's, and the JSON-RPC answers to bad requests. The caller has
 * injected a WebSocket implementation into cashu-ts (Node 20 has none).
 */
export async function runWsFlows(t: FlowTarget): Promise<Observation> {
  const obs: Observation = {};
  const w = new Wallet(t.url, { unit: 'sat', bip39seed: new Uint8Array(64).fill(23) });
  await w.loadMint();
  const nut17 = w.getMintInfo().isSupported(17);
  // The commands' order is the mint's: compared as a set.
  obs.info = {
    supported: nut17.supported,
    params: nut17.params?.map((p) => ({ method: p.method, unit: p.unit, commands: [...p.commands].sort() })),
  };

  // A mint quote: PAID before it is minted (the test mint at once, FakeWallet in the background), ISSUED after.
  const q = await w.createMintQuoteBolt11(32);
  const mintStates: string[] = [];
  const cancel = await w.on.mintQuoteUpdates(
    [q.quote],
    (u) => mintStates.push(String(u.state)),
    () => {},
  );
  await w.on.onceMintPaid(q.quote, { timeoutMs: 10_000 });
  await w.mintProofsBolt11(32, q.quote);
  await until('ISSUED', () => mintStates.at(-1) === 'ISSUED');
  cancel();
  // FakeWallet pays a deposit in the background: nutshell may tell UNPAID first, or PAID twice. By meaning.
  obs.mintQuote = { paidBeforeIssued: mintStates.indexOf('PAID') < mintStates.indexOf('ISSUED'), last: 'ISSUED' };
  obs.mintQuoteStates = mintStates;

  obs.meltPaid = await watchedMelt(w, t, 'paid', 64);
  obs.rpc = await rawErrors(t.url);
  await t.lightning('failed');
  obs.meltFailed = await watchedMelt(w, t, 'failed', 16);
  await t.lightning('paid');
  w.mint.disconnectWebSocket();
  return obs;
}
