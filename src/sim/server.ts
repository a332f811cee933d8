import { createServer, type Server } from 'node:net';
import { type Document, ObjectId } from 'bson';
import { Authenticator, type SimUser } from './auth/authenticator.ts';
import { helloReply } from './commands/admin.ts';
import type { ServerInfo } from './commands/context.ts';
import { clusterTime, dispatch } from './dispatch.ts';
import { type Before, faultsAfter, faultsBefore } from './fault-layer.ts';
import type { CommandGate } from './gate.ts';
import { CLOSE_CONNECTION } from './retryable.ts';
import { createState, type SimState } from './state.ts';
import { Connection, type ConnectionHandler, isAwaitable } from './wire/connection.ts';
import type { Request } from './wire/frame.ts';

export interface SimOptions {
  /** 0 picks a free port. */
  port?: number;
  host?: string;
  setName?: string;
  /** false presents a standalone mongod (transactions refused, as mongod refuses them). */
  replicaSet?: boolean;
  transactionLifetimeMs?: number;
  /** Randomness for activationProbability; inject a seeded one for replayable runs. */
  random?: () => number;
  /** The server's clock in ms (default Date.now): transaction lifetimes are measured on it. */
  clock?: () => number;
  log?: (line: string) => void;
  /** Users (admin database, SCRAM-SHA-256/SHA-1); when given, every connection must authenticate. */
  users?: SimUser[];
}

const HELLO = new Set(['hello', 'isMaster', 'ismaster']);
const UNGATED = new Set([
  ...HELLO,
  'configureFailPoint',
  'endSessions',
  'killAllSessions',
  'ping',
  'buildInfo',
  'buildinfo',
]);

/** A MongoDB wire-protocol server presenting one replica-set primary. See src/sim/README.md. */
export class SimServer implements ConnectionHandler {
  readonly state: SimState;
  private server?: Server;
  private connections = new Set<Connection>();
  private nextConnectionId = 1;
  private readonly logLine: (line: string) => void;
  private readonly auth?: Authenticator;

  constructor(private readonly options: SimOptions = {}) {
    const info: ServerInfo = {
      host: options.host ?? '127.0.0.1',
      port: options.port ?? 0,
      setName: options.setName ?? 'meltcheck-sim',
      processId: new ObjectId(),
      startedAt: new Date(),
      transactionLifetimeMs: options.transactionLifetimeMs ?? 60_000,
      replicaSet: options.replicaSet ?? true,
    };
    this.state = createState(info, options.random ?? Math.random, options.clock ?? Date.now);
    this.logLine = options.log ?? (() => {});
    if (options.users?.length) this.auth = new Authenticator(options.users);
  }

  static async start(options: SimOptions = {}): Promise<SimServer> {
    const sim = new SimServer(options);
    await sim.listen();
    return sim;
  }

  get gate(): CommandGate {
    return this.state.gate;
  }

  get port(): number {
    return this.state.info.port;
  }

  /** A connection string the real driver accepts: the replica-set name and the exact host it advertises. */
  get uri(): string {
    const { host, port, setName, replicaSet } = this.state.info;
    return replicaSet
      ? `mongodb://${host}:${port}/?replicaSet=${setName}`
      : `mongodb://${host}:${port}/?directConnection=true`;
  }

  private reaper?: NodeJS.Timeout;

  /** Aborts transactions past their lifetime, as mongod's periodic job does, releasing what they hold. */
  private reap(): void {
    const limit = this.state.info.transactionLifetimeMs;
    for (const t of [...this.state.store.transactions()])
      if (this.state.now() - t.startedAt > limit) this.state.store.abort(t, 'transaction lifetime limit');
  }

  private listen(): Promise<void> {
    this.reaper = setInterval(() => this.reap(), Math.min(1000, this.state.info.transactionLifetimeMs)).unref();
    const server = createServer((socket) => {
      const conn = new Connection(this.nextConnectionId++, socket, this);
      this.connections.add(conn);
      socket.on('close', () => this.connections.delete(conn));
    });
    this.server = server;
    return new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.options.port ?? 0, this.state.info.host, () => {
        const addr = server.address();
        if (addr && typeof addr === 'object') this.state.info.port = addr.port;
        resolve();
      });
    });
  }

  /** Closes every connection (clients see a network error) and stops listening. */
  async stop(): Promise<void> {
    clearInterval(this.reaper);
    this.state.gate.open();
    for (const c of this.connections) c.close();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  log(line: string): void {
    this.logLine(line);
  }

  async awaitHello(req: Request, conn: Connection): Promise<Document | undefined> {
    const ms = Math.min(Number(req.body.maxAwaitTimeMS ?? 10_000), 10_000);
    await new Promise<void>((resolve) => {
      const onClose = () => {
        clearTimeout(t);
        resolve();
      };
      const t = setTimeout(() => {
        conn.socket.off('close', onClose);
        resolve();
      }, ms);
      conn.socket.once('close', onClose);
    });
    return conn.closed ? undefined : this.hello(req, conn);
  }

  private hello(req: Request, conn: Connection): Document {
    const legacy = req.kind === 'query' || Object.keys(req.body)[0] !== 'hello';
    const auth = this.auth?.helloFields(req.body);
    return { ...helloReply(this.state.info, conn.id, legacy), ...auth, ...clusterTime(this.state.store.clock) };
  }

  async handle(req: Request, conn: Connection): Promise<Document | undefined> {
    const body = req.body;
    const name = Object.keys(body)[0] ?? '';
    const db = req.kind === 'query' ? req.collection.split('.')[0] : String(body.$db ?? 'admin');
    if (HELLO.has(name)) {
      conn.appName ??= body.client?.application?.name;
      if (req.kind === 'msg' && isAwaitable(body) && sameTopology(body, this.state.info.processId))
        return this.awaitHello(req, conn);
    }
    const authReply = this.auth?.intercept(name, body, db, conn);
    if (authReply) return { ...authReply, ...clusterTime(this.state.store.clock) };
    const gated = !UNGATED.has(name);
    const before = await faultsBefore(this.state, { name, db, body, conn, gated }, (l) => this.log(l));
    // From here until its answer the command is the server's: the gate's `settled` counts it as running.
    if (!gated) return this.run(req, conn, name, db, before);
    this.state.gate.entered(conn.appName);
    try {
      return await this.run(req, conn, name, db, before);
    } finally {
      this.state.gate.left(conn.appName);
    }
  }

  private async run(req: Request, conn: Connection, name: string, db: string, before: Before) {
    const body = req.body;
    if (before.action === 'closed') return undefined;
    if (before.action === 'reply') return before.reply;
    const fault = before.fault;
    let reply = HELLO.has(name)
      ? this.hello(req, conn)
      : await dispatch(this.state, body, db, { connectionId: conn.id, appName: conn.appName });
    if ((reply as { [CLOSE_CONNECTION]?: boolean })[CLOSE_CONNECTION]) {
      this.log(`onPrimaryTransactionalWrite: closing connection ${conn.id} after ${name}`);
      conn.close();
      return undefined;
    }
    reply = faultsAfter(fault, reply, name, body);
    return { ...reply, ...clusterTime(this.state.store.clock) };
  }
}

function sameTopology(body: Document, processId: unknown): boolean {
  const tv = body.topologyVersion as Document | undefined;
  return tv?.processId?.toString() === String(processId);
}
