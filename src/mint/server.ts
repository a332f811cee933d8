import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { MintError, NUT, SchemaError } from './errors.ts';
import { MintFaults } from './faults.ts';
import type { MintHooks } from './hooks.ts';
import { Ledger } from './ledger.ts';
import { Lightning } from './lightning.ts';
import { ROUTES } from './routes.ts';
import { type Notice, SubscriptionServer } from './ws/server.ts';

export interface TestMintOptions {
  seed?: string;
  inputFeePpk?: number;
  /** How a failed Lightning payment is answered: an error (default) or 200 with state UNPAID (both occur). */
  failedAs?: 'error' | 'unpaid';
  port?: number;
  log?: (line: string) => void;
  /**
   * NUT-17 WebSocket subscriptions at /v1/ws, advertised in NUT-06 info (default on). Off: not advertised and the
   * upgrade refused (404), as a mint without NUT-17; a wallet must poll.
   */
  websocket?: boolean;
}

const MAX_BODY = 1_000_000;

/** The test mint over HTTP: real BDHKE from cashu-ts, fake Lightning, injectable faults, and its ledger as oracle. */
export class TestMint {
  readonly ledger: Ledger;
  readonly lightning = new Lightning();
  readonly faults = new MintFaults();
  /** Observers of every call (the nemesis kills the wallet around mint calls with these). */
  hooks: MintHooks = {};
  /** NUT-17 subscriptions; absent when the mint runs without WebSocket. */
  readonly websocket?: SubscriptionServer;
  private server?: Server;
  private port = 0;

  constructor(private readonly options: TestMintOptions = {}) {
    this.ledger = new Ledger(options.seed ?? 'meltcheck', options.inputFeePpk ?? 0, this.lightning);
    this.ledger.failedAs = options.failedAs ?? 'error';
    if (options.websocket !== false) this.websocket = new SubscriptionServer(this.ledger, options.log);
  }

  static async start(options: TestMintOptions = {}): Promise<TestMint> {
    const mint = new TestMint(options);
    await mint.listen(options.port ?? 0);
    return mint;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  private listen(port: number): Promise<void> {
    // One bad request never takes the mint down: every handler failure is answered (or the socket closed) here.
    this.server = createServer((req, res) => {
      req.on('error', () => {}); // a client that aborts mid-body
      this.handle(req, res).catch((e) => this.fail(res, e));
    });
    this.websocket?.attach(this.server);
    this.server.on('clientError', (_e, socket) => {
      if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n');
      else socket.destroy();
    });
    return new Promise((resolve, reject) => {
      this.server!.once('error', reject);
      this.server!.listen(port, '127.0.0.1', () => {
        this.port = (this.server!.address() as { port: number }).port;
        resolve();
      });
    });
  }

  /**
   * Cuts every WebSocket subscriber at once, from the mint's side: done when a hook says the wallet is being killed
   * (hooks.ts), so no notification reaches the dying process after that decision. How many connections it cut.
   */
  disconnectSubscribers(): number {
    return this.websocket?.disconnectAll() ?? 0;
  }

  async stop(): Promise<void> {
    await this.websocket?.stop();
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  /** Handles one request; usable without a socket (the nock interception mode calls it directly). */
  async respond(
    method: string,
    path: string,
    rawBody: string,
  ): Promise<{ status: number; body: unknown; fault?: string }> {
    const route = ROUTES.find(([m, re]) => m === method && re.test(path));
    const endpoint = route ? `${method} ${route[1].source}` : `${method} ${path}`;
    if (this.hooks.onRequest?.(path) === 'drop') {
      this.disconnectSubscribers(); // the wallet is being killed (hooks.ts)
      return { status: 0, body: null, fault: 'request-lost' };
    }
    const fault = this.faults.next(path);
    if (fault?.kind === 'request-lost') return { status: 0, body: null, fault: 'request-lost' };
    if (fault?.kind === 'delay') await new Promise((r) => setTimeout(r, fault.ms ?? 100));
    if (fault?.kind === 'http500') return { status: 500, body: { detail: 'internal error (injected)', code: 0 } };
    let status = 200;
    let body: unknown;
    const notices: Notice[] = [];
    try {
      if (!route) throw Object.assign(new MintError(NUT.BadRequest, `no endpoint ${method} ${path}`), { status: 404 });
      let parsed: Record<string, unknown> = {};
      if (method === 'POST') {
        try {
          parsed = rawBody ? JSON.parse(rawBody) : {};
        } catch {
          throw new SchemaError('body is not JSON');
        }
        if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed))
          throw new SchemaError('body must be an object');
      }
      const params = path.match(route[1])!.slice(1);
      // Without its own socket (nock interception) there is no /v1/ws to serve: not advertised.
      const served = { websocket: Boolean(this.websocket && this.server) };
      const run = () => route[2](this.ledger, parsed, params, served);
      body = this.websocket ? this.websocket.hold(notices, run) : run();
      if (path === '/v1/melt/bolt11') {
        const q = this.ledger.meltQuotes.get(String(parsed.quote));
        if (q?.plan.delayMs) await new Promise((r) => setTimeout(r, q.plan.delayMs));
      }
    } catch (e) {
      if (e instanceof SchemaError) {
        status = 422;
        body = { detail: [{ type: 'value_error', loc: ['body'], msg: e.detail }] };
      } else if (e instanceof MintError) {
        status = (e as MintError & { status?: number }).status ?? 400;
        body = { detail: e.detail, code: e.code };
      } else {
        status = 400;
        body = { detail: `bad request: ${(e as Error).message}`, code: NUT.BadRequest };
      }
    }
    this.options.log?.(`mint ${endpoint} -> ${status}`);
    if (this.hooks.onResponse?.(path, status, body) === 'kill') this.disconnectSubscribers();
    // The notifications travel with the response: a fault that hides it hides them (ws/server.ts).
    if (fault?.kind === 'response-lost') return { status: 0, body, fault: 'response-lost' };
    if (fault?.kind === 'malformed') return { status, body: '{"signatures": [', fault: 'malformed' };
    this.websocket?.send(notices);
    return { status, body };
  }

  private fail(res: ServerResponse, e: unknown): void {
    this.options.log?.(`mint: bad request (${String((e as Error)?.message ?? e).split('\n')[0]})`);
    if (res.headersSent || res.destroyed) return void res.destroy();
    res
      .writeHead(400, { 'content-type': 'application/json' })
      .end(JSON.stringify({ detail: 'bad request', code: NUT.BadRequest }));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    let size = 0;
    const chunks: Buffer[] = [];
    for await (const c of req) {
      size += (c as Buffer).length;
      if (size > MAX_BODY) {
        res.writeHead(413).end();
        return;
      }
      chunks.push(c as Buffer);
    }
    let url: URL;
    try {
      url = new URL(req.url ?? '/', 'http://mint');
    } catch {
      // `GET //` and the like: not a path the mint serves
      res
        .writeHead(400, { 'content-type': 'application/json' })
        .end(JSON.stringify({ detail: 'malformed URL', code: NUT.BadRequest }));
      return;
    }
    const r = await this.respond(req.method ?? 'GET', url.pathname, Buffer.concat(chunks).toString('utf8'));
    if (r.fault === 'request-lost' || r.fault === 'response-lost') {
      req.socket.destroy(); // the client sees a network error; with response-lost the mint has already committed
      return;
    }
    const text = typeof r.body === 'string' ? r.body : JSON.stringify(r.body);
    res.writeHead(r.status, { 'content-type': 'application/json' }).end(text);
  }
}
