import { MintError, NUT, SchemaError } from './errors.ts';
import { keysetKeysJson } from './keysets.ts';
import type { Ledger, MeltQuote, MintQuote } from './ledger.ts';
import { WS_KINDS } from './ws/rpc.ts';

type Body = Record<string, any>;
/** What this mint serves beyond the ledger (NUT-06 advertises it). */
export interface Served {
  websocket: boolean;
}
export type Route = (ledger: Ledger, body: Body, params: string[], served: Served) => unknown;

/** A mint quote as NUT-04 answers it (and NUT-17 notifies it). */
export const mintQuoteView = (q: MintQuote) => ({ ...q });

/** A melt quote as NUT-05 answers it (and NUT-17 notifies it): without the harness's plan and bookkeeping. */
export const meltView = (q: MeltQuote) => ({
  quote: q.quote,
  request: q.request,
  amount: q.amount,
  fee_reserve: q.fee_reserve,
  unit: q.unit,
  state: q.state,
  expiry: q.expiry,
  payment_preimage: q.payment_preimage,
  ...(q.change ? { change: q.change } : {}),
});

/** A body field of the wrong shape: 422, as nutshell's request models answer. */
const need = (cond: unknown, what: string) => {
  if (!cond) throw new SchemaError(what);
};

/** The endpoints cashu-ts 4.x calls, as [method, path pattern, handler]. */
export const ROUTES: [string, RegExp, Route][] = [
  [
    'GET',
    /^\/v1\/info$/,
    (l, _b, _p, served) => ({
      name: 'meltcheck test mint',
      pubkey: `02${'11'.repeat(32)}`,
      version: 'meltcheck-mint/0.1.0',
      contact: [],
      nuts: {
        4: { methods: [{ method: 'bolt11', unit: 'sat' }], disabled: false },
        5: { methods: [{ method: 'bolt11', unit: 'sat' }], disabled: false },
        7: { supported: true },
        8: { supported: true },
        9: { supported: true },
        12: { supported: true },
        ...(served.websocket
          ? { 17: { supported: [{ method: 'bolt11', unit: 'sat', commands: [...WS_KINDS] }] } }
          : {}),
      },
      motd: `keyset ${l.activeKeyset.keysetId}`,
    }),
  ],
  ['GET', /^\/v1\/keys$/, (l) => ({ keysets: [...l.keysets.values()].filter((k) => k.active).map(keysetKeysJson) })],
  [
    'GET',
    /^\/v1\/keysets$/,
    (l) => ({
      keysets: [...l.keysets.values()].map((k) => ({
        id: k.keysetId,
        unit: k.unit,
        active: k.active,
        input_fee_ppk: k.inputFeePpk,
      })),
    }),
  ],
  [
    'GET',
    /^\/v1\/keys\/([0-9a-f]+)$/,
    (l, _b, [id]) => {
      const k = l.keysets.get(id);
      if (!k) throw new MintError(NUT.KeysetUnknown, `keyset ${id} unknown`);
      return { keysets: [keysetKeysJson(k)] };
    },
  ],
  [
    'POST',
    /^\/v1\/mint\/quote\/bolt11$/,
    (l, b) => {
      need(b.unit === undefined || b.unit === 'sat', 'unit must be sat');
      need(Number.isSafeInteger(b.amount) && b.amount > 0, 'amount must be an integer > 0');
      const { quote, request, amount, unit, state, expiry } = l.createMintQuote(Number(b.amount));
      return { quote, request, amount, unit, state, expiry };
    },
  ],
  [
    'GET',
    /^\/v1\/mint\/quote\/bolt11\/([\w-]+)$/,
    (l, _b, [id]) => {
      const q = l.mintQuotes.get(id);
      if (!q) throw new MintError(NUT.BadRequest, 'quote not found');
      return mintQuoteView(q);
    },
  ],
  [
    'POST',
    /^\/v1\/mint\/bolt11$/,
    (l, b) => {
      need(typeof b.quote === 'string' && Array.isArray(b.outputs), 'quote and outputs are required');
      return { signatures: l.mint(String(b.quote), b.outputs) };
    },
  ],
  [
    'POST',
    /^\/v1\/swap$/,
    (l, b) => {
      need(Array.isArray(b.inputs) && Array.isArray(b.outputs), 'inputs and outputs are required');
      return { signatures: l.swap(b.inputs, b.outputs) };
    },
  ],
  [
    'POST',
    /^\/v1\/melt\/quote\/bolt11$/,
    (l, b) => {
      need(typeof b.request === 'string', 'request must be an invoice');
      return meltView(l.createMeltQuote(b.request));
    },
  ],
  [
    'GET',
    /^\/v1\/melt\/quote\/bolt11\/([\w-]+)$/,
    (l, _b, [id]) => {
      const q = l.meltQuotes.get(id);
      if (!q) throw new MintError(NUT.BadRequest, 'quote not found');
      return meltView(q);
    },
  ],
  ['POST', /^\/v1\/melt\/bolt11$/, (l, b) => meltView(l.melt(String(b.quote), b.inputs, b.outputs ?? []))],
  [
    'POST',
    /^\/v1\/checkstate$/,
    (l, b) => {
      need(Array.isArray(b.Ys) && b.Ys.every((y: unknown) => typeof y === 'string'), 'Ys must be an array of strings');
      return { states: l.checkState(b.Ys) };
    },
  ],
  [
    'POST',
    /^\/v1\/restore$/,
    (l, b) => {
      need(Array.isArray(b.outputs), 'outputs must be an array');
      const r = l.restore(b.outputs);
      return { outputs: r.outputs, signatures: r.signatures, promises: r.signatures };
    },
  ],
];
