import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { connect, type Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { connect as connectTls } from 'node:tls';
import { MintFaults } from './faults.ts';
import type { MintHooks } from './hooks.ts';

/**
 * meltcheck's HTTP proxy in front of a mint it does not control (nutshell): the same faults and hooks the test
 * mint has built in. A lost request never reaches the mint; a lost response was fully processed by the mint and
 * then the wallet's connection is cut. WebSocket upgrades (NUT-17 subscriptions, `/v1/ws`) are tunnelled to the
 * mint as they are: no faults on them, and they end when the proxy stops.
 */
export class MintHttpProxy {
  readonly faults = new MintFaults();
  hooks: MintHooks = {};
  /** Melt requests the mint answered (any status): it received their inputs. */
  meltsAnswered = 0;
  private server?: Server;
  private port = 0;
  /** Upgraded connections leave the HTTP server's books: they are ended here. */
  private tunnels = new Set<Duplex | Socket>();

  constructor(private readonly target: string) {}

  async start(): Promise<this> {
    this.server = createServer((req, res) => void this.handle(req, res).catch(() => req.socket.destroy()));
    this.server.on('upgrade', (req, socket, head) => this.tunnel(req, socket, head));
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
    for (const s of this.tunnels) s.destroy();
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  /** The upgrade request as it came, to the mint, then bytes both ways until either side ends. */
  private tunnel(req: IncomingMessage, client: Duplex, head: Buffer): void {
    const target = new URL(this.target);
    const tls = target.protocol === 'https:';
    const port = Number(target.port || (tls ? 443 : 80));
    const upstream = tls
      ? connectTls({ port, host: target.hostname, servername: target.hostname })
      : connect(port, target.hostname);
    for (const s of [client, upstream]) {
      this.tunnels.add(s);
      s.on('error', () => {});
      s.on('close', () => {
        this.tunnels.delete(s);
        client.destroy();
        upstream.destroy();
      });
    }
    upstream.once(tls ? 'secureConnect' : 'connect', () => {
      // As the HTTP requests are: the mint's base path, then the wallet's path.
      const path = `${target.pathname.replace(/\/$/, '')}${req.url ?? '/'}`;
      const lines = [`${req.method} ${path} HTTP/${req.httpVersion}`];
      for (let i = 0; i < req.rawHeaders.length; i += 2) {
        const [name, value] = [req.rawHeaders[i], req.rawHeaders[i + 1]];
        lines.push(`${name}: ${name.toLowerCase() === 'host' ? target.host : value}`);
      }
      upstream.write(`${lines.join('\r\n')}\r\n\r\n`);
      if (head.length) upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
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
