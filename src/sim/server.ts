import { createServer, type Server } from 'node:net';
import { type Document, ObjectId } from 'bson';
import { Authenticator, type SimUser } from './auth/authenticator.ts';
import { helloReply } from './commands/admin.ts';
import type { ServerInfo } from './commands/context.ts';
import { clusterTime, dispatch } from './dispatch.ts';
import { type Before, faultsAfter, faultsBefore } from './fault-layer.ts';
import type { CommandGate } from './gate.ts';
import { type MemberHandle, type ReplicaSet, ReplicaSet as ReplicaSetImpl } from './repl/replica-set.ts';
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
  /**
   * 3: a three-member replica set on three loopback ports (`port`, `port+1`, `port+2` when a port is given),
   * with replication, write-concern waits, elections and rollback (`sim.replSet`). Default 1: one member.
   */
  members?: 1 | 3;
  /** Three members: simulated election time in ms (default 5) and replication lag in ms (default 0). */
  electionMs?: number;
  lagMs?: number;
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
export class SimServer implements ConnectionHandler, MemberHandle {
  readonly state: SimState;
  /** Three members: the set this member belongs to (the harness drives elections and faults through it). */
  readonly replSet?: ReplicaSet;
  private siblings: SimServer[] = [this];
  private helloWaiters = new Set<() => void>();
  private server?: Server;
  private connections = new Set<Connection>();
  private nextConnectionId = 1;
  private readonly logLine: (line: string) => void;
  private readonly auth?: Authenticator;

  constructor(options: SimOptions = {}, shared?: { state: SimState; replSet: ReplicaSet; member: number }) {
    const info: ServerInfo = {
      host: options.host ?? '127.0.0.1',
      port: shared && options.port ? options.port + shared.member : (options.port ?? 0),
      setName: options.setName ?? 'meltcheck-sim',
      processId: new ObjectId(),
      startedAt: new Date(),
      transactionLifetimeMs: options.transactionLifetimeMs ?? 60_000,
      replicaSet: options.replicaSet ?? true,
    };
    this.state = shared
      ? { ...shared.state, info, repl: shared.replSet, member: shared.member }
      : createState(info, options.random ?? Math.random, options.clock ?? Date.now);
    this.replSet = shared?.replSet;
    this.logLine = options.log ?? (() => {});
    if (options.users?.length) this.auth = new Authenticator(options.users);
  }

  static async start(options: SimOptions = {}): Promise<SimServer> {
    if (options.members === 3) return SimServer.startReplicaSet(options);
    const sim = new SimServer(options);
    await sim.listen();
    return sim;
  }

  /** Three members sharing one history (see src/sim/repl/replica-set.ts); the first is returned, primary. */
  private static async startReplicaSet(options: SimOptions): Promise<SimServer> {
    const base = createState(
      {
        host: '',
        port: 0,
        setName: '',
        processId: null,
        startedAt: new Date(),
        transactionLifetimeMs: 0,
        replicaSet: true,
      },
      options.random ?? Math.random,
      options.clock ?? Date.now,
    );
    const setName = options.setName ?? 'meltcheck-sim';
    const replSet = new ReplicaSetImpl(3, setName, base.store, base.sessions, {
      electionMs: options.electionMs,
      lagMs: options.lagMs,
      log: options.log,
    });
    const members = [0, 1, 2].map(
      (member) => new SimServer({ ...options, replicaSet: true }, { state: base, replSet, member }),
    );
    for (const m of members) m.siblings = members;
    try {
      for (const m of members) await m.listen();
    } catch (e) {
      for (const m of members) await m.stopListening().catch(() => {});
      throw e;
    }
    replSet.attach(members);
    return members[0];
  }

  /** host:port as this member advertises itself. */
  get address(): string {
    return `${this.state.info.host}:${this.state.info.port}`;
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
    if (this.replSet) return `mongodb://${this.siblings.map((m) => m.address).join(',')}/?replicaSet=${setName}`;
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

  /** Starts listening (again, on the same port, after a simulated member restart). */
  listen(): Promise<void> {
    clearInterval(this.reaper);
    this.reaper = setInterval(() => this.reap(), Math.min(1000, this.state.info.transactionLifetimeMs)).unref();
    const server = createServer((socket) => {
      const conn = new Connection(this.nextConnectionId++, socket, this);
      this.connections.add(conn);
      socket.on('close', () => this.connections.delete(conn));
    });
    this.server = server;
    return new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.state.info.port, this.state.info.host, () => {
        const addr = server.address();
        if (addr && typeof addr === 'object') this.state.info.port = addr.port;
        resolve();
      });
    });
  }

  /** Closes every connection (clients see a network error) and stops listening — every member's, in a set. */
  async stop(): Promise<void> {
    this.replSet?.stop();
    this.state.gate.open();
    for (const m of this.siblings) {
      m.dropConnections();
      await m.stopListening();
    }
  }

  /** A simulated process death: every client connection of this member drops at once. */
  dropConnections(): void {
    for (const c of this.connections) c.close();
    this.wakeHellos();
  }

  async stopListening(): Promise<void> {
    clearInterval(this.reaper);
    const server = this.server;
    this.server = undefined;
    await new Promise<void>((resolve) => (server?.listening ? server.close(() => resolve()) : resolve()));
  }

  /** The set's topology changed: streaming hellos answer now, with the new topologyVersion. */
  topologyChanged(): void {
    this.wakeHellos();
  }

  private wakeHellos(): void {
    const w = [...this.helloWaiters];
    this.helloWaiters.clear();
    for (const wake of w) wake();
  }

  log(line: string): void {
    this.logLine(line);
  }

  async awaitHello(req: Request, conn: Connection): Promise<Document | undefined> {
    const ms = Math.min(Number(req.body.maxAwaitTimeMS ?? 10_000), 10_000);
    await new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(t);
        conn.socket.off('close', done);
        this.helloWaiters.delete(done);
        resolve();
      };
      const t = setTimeout(done, ms);
      conn.socket.once('close', done);
      if (this.replSet) this.helloWaiters.add(done);
    });
    return conn.closed ? undefined : this.hello(req, conn);
  }

  private hello(req: Request, conn: Connection): Document {
    const legacy = req.kind === 'query' || Object.keys(req.body)[0] !== 'hello';
    const auth = this.auth?.helloFields(req.body);
    const set = this.replSet?.helloFields(this.state.member ?? 0, legacy);
    const base = helloReply(this.state.info, conn.id, legacy);
    if (set) delete base.electionId; // only a primary has one
    if (set && legacy) delete base.isWritablePrimary;
    if (set && !legacy) delete base.ismaster;
    return { ...base, ...set, ...auth, ...clusterTime(this.state.store.clock) };
  }

  async handle(req: Request, conn: Connection): Promise<Document | undefined> {
    const body = req.body;
    const name = Object.keys(body)[0] ?? '';
    const db = req.kind === 'query' ? req.collection.split('.')[0] : String(body.$db ?? 'admin');
    if (HELLO.has(name)) {
      conn.appName ??= body.client?.application?.name;
      const current = this.replSet?.topologyVersion(this.state.member ?? 0);
      if (
        req.kind === 'msg' &&
        isAwaitable(body) &&
        sameTopology(body, current?.processId ?? this.state.info.processId, current?.counter)
      )
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
    this.replSet?.kick(); // a write on the primary: secondaries that replicate start applying it
    return { ...reply, ...clusterTime(this.state.store.clock) };
  }
}

function sameTopology(body: Document, processId: unknown, counter?: unknown): boolean {
  const tv = body.topologyVersion as Document | undefined;
  if (counter !== undefined && Number(tv?.counter ?? -1) < Number(counter)) return false;
  return tv?.processId?.toString() === String(processId);
}
