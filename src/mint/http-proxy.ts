import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { MintFaults } from './faults.ts';
import type { MintHooks } from './hooks.ts';

/**
 * meltcheck's HTTP proxy in front of a mint it does not control (nutshell): the same faults and hooks the test
 * mint has built in. A lost request never reaches the mint; a lost response was fully processed by the mint and
 * then the wallet's connection is cut.
 */
export class MintHttpProxy {
  readonly faults = new MintFaults();
  hooks: MintHooks = {};
  /** Melt requests the mint answered (any status): it received their inputs. */
  meltsAnswered = 0;
  private server?: Server;
  private port = 0;

  constructor(private readonly target: string) {}

  async start(): Promise<this> {
    this.server = createServer((req, res) => void this.handle(req, res).catch(() => req.socket.destroy()));
    await new Promise<void>((resolve, reject) => {
      this.server!.once('error', reject);
      this.server!.listen(0, '127.0.0.1', () => resolve());
    });
    this.port = (this.server.address() as { port: number }).port;
    return this;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const path = new URL(req.url ?? '/', 'http://mint').pathname;
    if (this.hooks.onRequest?.(path) === 'drop') return void req.socket.destroy();
    const fault = this.faults.next(path);
    if (fault?.kind === 'request-lost') return void req.socket.destroy();
    if (fault?.kind === 'delay') await new Promise((r) => setTimeout(r, fault.ms ?? 100));
    if (fault?.kind === 'http500') {
      res.writeHead(500, { 'content-type': 'application/json' }).end('{"detail":"internal error (injected)","code":0}');
      return;
    }
    const upstream = await fetch(`${this.target}${req.url ?? '/'}`, {
      method: req.method,
      headers: { 'content-type': 'application/json' },
      ...(req.method === 'GET' || req.method === 'HEAD' ? {} : { body: Buffer.concat(chunks) }),
    });
    const body = await upstream.text();
    if (path === '/v1/melt/bolt11' && req.method === 'POST') this.meltsAnswered++;
    this.hooks.onResponse?.(path, upstream.status);
    if (fault?.kind === 'response-lost') return void req.socket.destroy();
    if (fault?.kind === 'malformed') {
      res.writeHead(upstream.status, { 'content-type': 'application/json' }).end('{"signatures": [');
      return;
    }
    res.writeHead(upstream.status, { 'content-type': upstream.headers.get('content-type') ?? 'application/json' });
    res.end(body);
  }
}
