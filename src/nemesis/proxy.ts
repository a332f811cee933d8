import { connect, createServer, type Server, type Socket } from 'node:net';
import { BSON } from 'bson';
import { trackCleanup } from '../harness/cleanup.ts';
import { OP_MSG, OP_QUERY } from '../sim/index.ts';
import { proxyConnectionString, resolveUpstream, type Upstream } from './proxy-target.ts';

/** A wallet command seen on the wire, in the order the wallet sent it (monitoring traffic excluded). */
export interface WireCommand {
  index: number;
  name: string;
  requestId: number;
  /** The collection a CRUD command names (its first field's value), when it names one. */
  collection?: string;
  /** Part of a multi-document transaction (autocommit: false): nothing of it lasts before commitTransaction. */
  inTransaction?: boolean;
}

/** forward; drop the command; reset the connection; delay it; or let it run and lose its reply (then reset). */
export type CommandAction = 'forward' | 'drop' | 'reset' | 'lose-reply' | { delayMs: number };

export interface ProxyHooks {
  /** Before a command is forwarded; may hold it (return a promise), drop it, or reset the connection. */
  onCommand?(c: WireCommand): CommandAction | Promise<CommandAction>;
  /** After a reply to a counted command was forwarded to the wallet (the wallet has it now). */
  onReply?(c: WireCommand): void | Promise<void>;
}

const MONITORING = new Set([
  'hello',
  'ismaster',
  'isMaster',
  'ping',
  'endSessions',
  'buildInfo',
  'buildinfo',
  'saslStart',
  'saslContinue',
]);

function splitFrames(buffer: Buffer): [Buffer[], Buffer] {
  const frames: Buffer[] = [];
  while (buffer.length >= 4) {
    const len = buffer.readInt32LE(0);
    if (len < 16 || buffer.length < len) break;
    frames.push(buffer.subarray(0, len));
    buffer = buffer.subarray(len);
  }
  return [frames, buffer];
}

/** The command's name, and the client's appName when the command is a handshake. */
function parseCommand(frame: Buffer): {
  name?: string;
  appName?: string;
  collection?: string;
  inTransaction?: boolean;
} {
  try {
    const op = frame.readInt32LE(12);
    let doc: Record<string, any> | undefined;
    if (op === OP_MSG && frame.readUInt8(20) === 0)
      doc = BSON.deserialize(frame.subarray(21, 21 + frame.readInt32LE(21)));
    if (op === OP_QUERY) {
      const at = frame.indexOf(0, 20) + 9;
      doc = BSON.deserialize(frame.subarray(at, at + frame.readInt32LE(at)));
      if (doc.$query) doc = doc.$query;
    }
    if (!doc) return {};
    const name = Object.keys(doc)[0];
    return {
      name,
      appName: doc.client?.application?.name,
      collection: typeof doc[name] === 'string' ? doc[name] : undefined,
      inTransaction: doc.autocommit === false,
    };
  } catch {
    return {};
  }
}

/**
 * A MongoDB-aware TCP proxy between the wallet and the cluster, for clusters without test commands and for
 * exact placement of faults: it numbers the wallet's commands and lets the nemesis act before each command and
 * after each reply (delay, drop the reply, reset the connection, or kill the wallet). Wallets connect to it with
 * directConnection=true, so the driver never bypasses it through the replica set's advertised hosts.
 */
export class WireProxy {
  private server?: Server;
  private sockets = new Set<Socket>();
  private counted = 0;
  armed = false;
  hooks: ProxyHooks = {};
  /** Replies to drop (by the request id they answer): the command ran, the wallet never hears. */
  readonly dropReplies = new Set<number>();
  readonly seen: WireCommand[] = [];
  port = 0;

  private upstream?: Upstream;

  /** In front of `clusterUri`'s primary (found at start); the wallet's URI keeps the cluster's credentials. */
  constructor(private readonly clusterUri: string) {}

  static fromUri(uri: string): WireProxy {
    return new WireProxy(uri);
  }

  get uri(): string {
    return proxyConnectionString(this.clusterUri, this.port);
  }

  /** Only connections of this client (by the appName of their handshake) are counted, when set. */
  private armedApp?: string;

  /** Starts numbering the wallet's commands from 0 (call right before the operation under test). */
  arm(hooks: ProxyHooks, appName?: string): void {
    this.hooks = hooks;
    this.armedApp = appName;
    this.counted = 0;
    this.seen.length = 0;
    this.armed = true;
  }

  disarm(): void {
    this.armed = false;
    this.hooks = {};
  }

  async start(): Promise<this> {
    this.upstream = await resolveUpstream(this.clusterUri);
    this.untrack = trackCleanup(() => this.stop());
    this.server = createServer((client) => this.pipe(client));
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.port = (this.server!.address() as { port: number }).port;
    return this;
  }

  private untrack?: () => void;

  async stop(): Promise<void> {
    this.untrack?.();
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  resetAll(): void {
    for (const s of this.sockets) s.destroy();
  }

  private pipe(client: Socket): void {
    const to = this.upstream!;
    const upstream = 'path' in to ? connect(to.path) : connect(to.port, to.host);
    this.sockets.add(client).add(upstream);
    const close = () => {
      client.destroy();
      upstream.destroy();
      this.sockets.delete(client);
      this.sockets.delete(upstream);
    };
    client.on('error', close).on('close', close);
    upstream.on('error', close).on('close', close);
    const pending = new Map<number, WireCommand>();
    let inBuf: Buffer = Buffer.alloc(0);
    let outBuf: Buffer = Buffer.alloc(0);
    let chain = Promise.resolve();
    const conn: { appName?: string } = {};
    client.on('data', (chunk) => {
      let frames: Buffer[];
      [frames, inBuf] = splitFrames(Buffer.concat([inBuf, chunk]));
      for (const frame of frames) chain = chain.then(() => this.forwardCommand(frame, upstream, close, pending, conn));
    });
    upstream.on('data', (chunk) => {
      let frames: Buffer[];
      [frames, outBuf] = splitFrames(Buffer.concat([outBuf, chunk]));
      for (const frame of frames) {
        const responseTo = frame.readInt32LE(8);
        if (this.dropReplies.delete(responseTo)) {
          close(); // the command ran; the wallet only sees the connection die
          return;
        }
        client.write(frame);
        const c = pending.get(responseTo);
        if (c) {
          pending.delete(responseTo);
          void this.hooks.onReply?.(c);
        }
      }
    });
  }

  private async forwardCommand(
    frame: Buffer,
    upstream: Socket,
    close: () => void,
    pending: Map<number, WireCommand>,
    conn: { appName?: string },
  ): Promise<void> {
    const { name, appName, collection, inTransaction } = parseCommand(frame);
    conn.appName ??= appName;
    const counted = this.armed && (!this.armedApp || conn.appName === this.armedApp);
    if (!counted || !name || MONITORING.has(name)) {
      upstream.write(frame);
      return;
    }
    const c: WireCommand = { index: this.counted++, name, requestId: frame.readInt32LE(4), collection, inTransaction };
    this.seen.push(c);
    const action = (await this.hooks.onCommand?.(c)) ?? 'forward';
    if (action === 'drop') return;
    if (action === 'reset') return close();
    if (typeof action === 'object') await new Promise((r) => setTimeout(r, action.delayMs));
    if (action === 'lose-reply') this.dropReplies.add(c.requestId);
    pending.set(c.requestId, c);
    upstream.write(frame);
  }
}
