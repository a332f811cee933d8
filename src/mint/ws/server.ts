import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { type WebSocket, WebSocketServer } from 'ws';
import type { Ledger, LedgerChange } from '../ledger.ts';
import { meltView, mintQuoteView } from '../routes.ts';
import { type Change, Subscriptions } from './registry.ts';
import { notification, parseRequest, RPC, rpcError, rpcResult, type WsKind } from './rpc.ts';

/** A change with what subscribers are told of it, copied when it happened (the ledger mutates its objects). */
export interface Notice extends Change {
  payload: unknown;
}

const MAX_MESSAGE = 1_000_000;

/**
 * NUT-17 at `/v1/ws` on the test mint's HTTP server: subscribe/unsubscribe over JSON-RPC 2.0, the current state of
 * each subscribed object first, then one notification per state change of the books.
 *
 * The harness's faults act on HTTP calls, so the notifications a call causes travel with its response: the mint
 * holds them while it answers and sends them when the response goes out, or never when a fault hides the response
 * (the state is still there to poll or to subscribe to again). Changes made outside a call (a pending payment
 * settled by the harness) are sent at once. The socket itself is not a mint call: it has no faults and no crash
 * points, so crash labels stay where they are.
 */
export class SubscriptionServer {
  private readonly wss = new WebSocketServer({ noServer: true, maxPayload: MAX_MESSAGE });
  private readonly subs = new Subscriptions<WebSocket>();
  private clock = 0;
  private collecting?: Notice[];

  constructor(
    private readonly ledger: Ledger,
    private readonly log?: (line: string) => void,
  ) {
    ledger.onChange = (c) => this.changed(c);
    this.wss.on('connection', (ws) => this.serve(ws));
  }

  /** Serves upgrades to `/v1/ws` on this HTTP server; an upgrade to any other path is answered 404. */
  attach(server: Server): void {
    server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
      socket.on('error', () => {});
      let path = '';
      try {
        path = new URL(req.url ?? '/', 'http://mint').pathname;
      } catch {}
      if (path !== '/v1/ws') {
        socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
        return;
      }
      this.wss.handleUpgrade(req, socket, head, (ws) => this.wss.emit('connection', ws, req));
    });
  }

  /** Runs one call's work on the books with the notifications it causes held back, into `held`. */
  hold<T>(held: Notice[], work: () => T): T {
    const outer = this.collecting;
    this.collecting = held;
    try {
      return work();
    } finally {
      this.collecting = outer;
    }
  }

  /** Sends notices to every subscription they are news to. */
  send(notices: Notice[]): void {
    for (const n of notices)
      for (const { conn, subId } of this.subs.route(n))
        if (conn.readyState === conn.OPEN) conn.send(JSON.stringify(notification(subId, n.payload)));
  }

  /** Cuts every subscriber's connection at once (the harness does so when it kills a wallet). How many it cut. */
  disconnectAll(): number {
    let n = 0;
    for (const ws of this.wss.clients) {
      this.subs.drop(ws);
      ws.terminate();
      n++;
    }
    return n;
  }

  get subscriptions(): number {
    return this.subs.count();
  }

  async stop(): Promise<void> {
    this.disconnectAll();
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
  }

  private changed(c: LedgerChange): void {
    const n: Notice = { kind: c.kind, id: c.id, seq: ++this.clock, payload: payloadOf(c) };
    if (this.collecting) this.collecting.push(n);
    else this.send([n]);
  }

  /** The current state of one object, or undefined for a quote the mint does not know (nothing to tell). */
  private snapshot(kind: WsKind, id: string): unknown {
    if (kind === 'proof_state') return this.ledger.checkState([id])[0];
    if (kind === 'bolt11_mint_quote') {
      const q = this.ledger.mintQuotes.get(id);
      return q && mintQuoteView(q);
    }
    const q = this.ledger.meltQuotes.get(id);
    return q && meltView(q);
  }

  private serve(ws: WebSocket): void {
    const reply = (msg: unknown) => ws.readyState === ws.OPEN && ws.send(JSON.stringify(msg));
    ws.on('error', () => {});
    ws.on('close', () => this.subs.drop(ws));
    ws.on('message', (data, isBinary) => {
      if (isBinary) return void reply(rpcError(null, RPC.InvalidRequest, 'Invalid request: text frames only'));
      const req = parseRequest(data.toString());
      if ('error' in req) return void reply(req);
      if (req.method === 'unsubscribe') {
        if (!this.subs.unsubscribe(ws, req.subId))
          return void reply(rpcError(req.id, RPC.InvalidParams, `Subscription not found: ${req.subId}`));
        return void reply(rpcResult(req.id, req.subId));
      }
      // Registered and answered in one turn of the event loop: no change can fall between snapshot and registration.
      const refused = this.subs.subscribe(ws, req.subId, req.kind, req.filters, this.clock);
      if (refused) return void reply(rpcError(req.id, RPC.InvalidParams, `Invalid params: ${refused}`));
      this.log?.(`mint ws subscribe ${req.kind} (${req.filters.length})`);
      reply(rpcResult(req.id, req.subId));
      for (const f of req.filters) {
        const payload = this.snapshot(req.kind, f);
        if (payload !== undefined) reply(notification(req.subId, payload));
      }
    });
  }
}

function payloadOf(c: LedgerChange): unknown {
  if (c.kind === 'proof_state') return { Y: c.id, state: c.state, witness: null };
  return structuredClone(c.kind === 'bolt11_mint_quote' ? mintQuoteView(c.quote) : meltView(c.quote));
}
