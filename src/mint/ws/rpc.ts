/**
 * NUT-17's JSON-RPC 2.0 messages: parsing what a wallet sends, and the shapes the mint sends back. Pure.
 */

/** The subscription kinds the test mint serves (NUT-17 with NUT-23 for bolt11 quotes, NUT-07 for proofs). */
export const WS_KINDS = ['bolt11_mint_quote', 'bolt11_melt_quote', 'proof_state'] as const;
export type WsKind = (typeof WS_KINDS)[number];

/** JSON-RPC 2.0's own error codes (NUT-17 uses them; it fixes none of its own). */
export const RPC = {
  ParseError: -32700,
  InvalidRequest: -32600,
  MethodNotFound: -32601,
  InvalidParams: -32602,
} as const;

/** Longest filter (quote id or hex Y) and most filters per subscription: a bound, as any server has one. */
export const MAX_FILTER_LEN = 200;
export const MAX_FILTERS = 1000;

export type WsRequest =
  | { method: 'subscribe'; id: number; kind: WsKind; subId: string; filters: string[] }
  | { method: 'unsubscribe'; id: number; subId: string };

export interface WsErrorResponse {
  jsonrpc: '2.0';
  error: { code: number; message: string };
  id: number | null;
}

export const rpcError = (id: number | null, code: number, message: string): WsErrorResponse => ({
  jsonrpc: '2.0',
  error: { code, message },
  id,
});

export const rpcResult = (id: number, subId: string) => ({ jsonrpc: '2.0', result: { status: 'OK', subId }, id });

export const notification = (subId: string, payload: unknown) => ({
  jsonrpc: '2.0',
  method: 'subscribe',
  params: { subId, payload },
});

const isObject = (v: unknown): v is Record<string, unknown> => Boolean(v) && typeof v === 'object' && !Array.isArray(v);

/** One text frame from a wallet: a request the mint can act on, or the error response to send back. */
export function parseRequest(text: string): WsRequest | WsErrorResponse {
  let msg: unknown;
  try {
    msg = JSON.parse(text);
  } catch {
    return rpcError(null, RPC.ParseError, 'Parse error: not JSON');
  }
  if (!isObject(msg) || msg.jsonrpc !== '2.0' || !Number.isSafeInteger(msg.id) || typeof msg.method !== 'string')
    return rpcError(
      isObject(msg) && Number.isSafeInteger(msg.id) ? (msg.id as number) : null,
      RPC.InvalidRequest,
      'Invalid request: jsonrpc "2.0", an integer id and a method are required',
    );
  const id = msg.id as number;
  if (msg.method !== 'subscribe' && msg.method !== 'unsubscribe')
    return rpcError(id, RPC.MethodNotFound, `Method not found: ${msg.method.slice(0, 50)}`);
  const p = msg.params;
  if (!isObject(p) || typeof p.subId !== 'string' || p.subId.length === 0 || p.subId.length > MAX_FILTER_LEN)
    return rpcError(id, RPC.InvalidParams, 'Invalid params: subId must be a non-empty string');
  if (msg.method === 'unsubscribe') return { method: 'unsubscribe', id, subId: p.subId };
  if (!WS_KINDS.includes(p.kind as WsKind))
    return rpcError(id, RPC.InvalidParams, `Invalid params: unknown kind ${String(p.kind).slice(0, 50)}`);
  const filters = p.filters;
  if (
    !Array.isArray(filters) ||
    filters.length === 0 ||
    filters.length > MAX_FILTERS ||
    !filters.every((f) => typeof f === 'string' && f.length > 0 && f.length <= MAX_FILTER_LEN)
  )
    return rpcError(id, RPC.InvalidParams, 'Invalid params: filters must be a non-empty list of ids');
  return { method: 'subscribe', id, kind: p.kind as WsKind, subId: p.subId, filters: [...new Set(filters)] };
}
