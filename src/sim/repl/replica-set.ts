import { type Document, Long, ObjectId } from 'bson';
import { Codes, CommandError } from '../errors.ts';
import type { Sessions } from '../sessions.ts';
import type { Store } from '../storage/store.ts';
import { timestampOf } from '../timestamps.ts';
import { type RolledBack, rollBack } from './rollback.ts';

/**
 * Three members of one simulated replica set sharing one history. Every write happens on the primary in one
 * total order (the store's logical clock); a secondary is a prefix of it (`applied`). Replication, elections and
 * rollback are therefore moves of pointers into that history, driven by the harness: deterministic by design.
 */

/** What the replica set needs from a member's network front (a SimServer). */
export interface MemberHandle {
  readonly address: string;
  dropConnections(): void;
  stopListening(): Promise<void>;
  listen(): Promise<void>;
  topologyChanged(): void;
}

export type Role = 'PRIMARY' | 'SECONDARY' | 'DOWN';

export interface ReplOptions {
  /** Simulated election time: how long the set is without a primary after the primary fails (default 5 ms). */
  electionMs?: number;
  /** Replication lag of every secondary (default 0: applied on the next turn of the event loop). */
  lagMs?: number;
  log?: (line: string) => void;
}

/** Writes a new primary did not have: undone on the member that had them (and in the shared history). */
export interface RollbackEvent {
  term: number;
  /** The member that had been primary when the writes were taken. */
  member: number;
  /** The common point: everything after it was rolled back. */
  commonPoint: number;
  documents: RolledBack[];
}

export interface TopologyEvent {
  kind:
    | 'stepdown'
    | 'kill'
    | 'restart'
    | 'partition'
    | 'heal'
    | 'clients-cut'
    | 'clients-restored'
    | 'election'
    | 'rollback';
  member: number;
  term: number;
  documents?: number;
}

type WaitResult = 'ok' | 'timeout' | 'stepped-down';
interface Waiter {
  member: number;
  ts: number;
  need: number;
  done(r: WaitResult): void;
}

class Member {
  role: Role = 'SECONDARY';
  applied = 0;
  paused = false;
  partitioned = false;
  /** Clients cannot reach it (its port is closed) while it stays in the set. */
  clientsCut = false;
  counter = 0;
  processId = new ObjectId();
  timer?: NodeJS.Timeout;
  constructor(
    readonly id: number,
    public lagMs: number,
  ) {}
}

const READS = new Set([
  'find',
  'getMore',
  'killCursors',
  'aggregate',
  'count',
  'distinct',
  'listCollections',
  'listIndexes',
  'listDatabases',
]);
const ANYWHERE = new Set([
  'hello',
  'isMaster',
  'ismaster',
  'ping',
  'buildInfo',
  'buildinfo',
  'serverStatus',
  'replSetGetStatus',
  'getParameter',
  'configureFailPoint',
  'endSessions',
  'killSessions',
  'killAllSessions',
  'replSetStepDown',
]);

export class ReplicaSet {
  term = 1;
  primary?: number;
  readonly members: Member[];
  readonly rollbacks: RollbackEvent[] = [];
  readonly events: TopologyEvent[] = [];
  electionMs: number;
  private handles: MemberHandle[] = [];
  private waiters = new Set<Waiter>();
  private electionTimer?: NodeJS.Timeout;
  private excluded?: number;
  private primaryWaiters: (() => void)[] = [];
  private readonly log: (line: string) => void;

  constructor(
    size: number,
    readonly setName: string,
    private readonly store: Store,
    private readonly sessions: Sessions,
    opts: ReplOptions = {},
  ) {
    this.members = Array.from({ length: size }, (_, i) => new Member(i, opts.lagMs ?? 0));
    this.electionMs = opts.electionMs ?? 5;
    this.log = opts.log ?? (() => {});
    this.members[0].role = 'PRIMARY';
    this.primary = 0;
    // Versions a secondary (or a rollback) may still need are kept: pruning stops at the least applied member.
    store.retainFrom = () => Math.min(...this.members.map((m) => this.appliedOf(m)));
  }

  attach(handles: MemberHandle[]): void {
    this.handles = handles;
  }

  address(id: number): string {
    return this.handles[id]?.address ?? '';
  }

  role(id: number): Role {
    return this.members[id].role;
  }

  private appliedOf(m: Member): number {
    return m.id === this.primary ? this.store.clock : m.applied;
  }

  /** The newest point a majority of members has applied: what w:'majority' waits for, what majority reads see. */
  majorityPoint(): number {
    const applied = this.members.map((m) => this.appliedOf(m)).sort((a, b) => b - a);
    return applied[Math.floor(this.members.length / 2)];
  }

  // ---- commands as each member sees them

  /**
   * May this member run the command? A primary runs anything; a secondary serves reads that allow it (a read
   * preference other than primary), at the point it has applied; writes get NotWritablePrimary, other reads
   * NotPrimaryNoSecondaryOk — mongod's codes, so the driver rediscovers and retries.
   */
  admit(id: number, name: string, body: Document): { readAt?: number } {
    const m = this.members[id];
    if (m.role === 'PRIMARY' || ANYWHERE.has(name)) return {};
    if (READS.has(name) && body.autocommit === undefined) {
      const mode = (body.$readPreference as Document | undefined)?.mode;
      if (mode && mode !== 'primary') return { readAt: m.applied };
      throw new CommandError(13435, 'not primary and secondaryOk=false');
    }
    throw new CommandError(Codes.NotWritablePrimary, 'not primary');
  }

  /** Where a read outside a transaction reads: majority and snapshot at the majority point; local at the newest. */
  readAt(_member: number, body: Document, admitted: { readAt?: number }): number | undefined {
    const level = (body.readConcern as Document | undefined)?.level;
    if (level === 'majority' || level === 'snapshot')
      return Math.min(admitted.readAt ?? Infinity, this.majorityPoint());
    return admitted.readAt;
  }

  /** Resolves when `need` members (or a majority) have applied `ts`, after `wtimeout`, or when the member steps down. */
  waitFor(id: number, ts: number, w: number | 'majority', wtimeoutMs?: number): Promise<WaitResult> {
    const need = w === 'majority' ? Math.floor(this.members.length / 2) + 1 : w;
    if (this.count(ts) >= need) return Promise.resolve('ok');
    this.kick();
    return new Promise((resolve) => {
      let timer: NodeJS.Timeout | undefined;
      const waiter: Waiter = {
        member: id,
        ts,
        need,
        done: (r) => {
          clearTimeout(timer);
          this.waiters.delete(waiter);
          resolve(r);
        },
      };
      if (wtimeoutMs && wtimeoutMs > 0) timer = setTimeout(() => waiter.done('timeout'), wtimeoutMs);
      this.waiters.add(waiter);
    });
  }

  /** Resolves when some write waits for its write concern (the harness's cue: a commit is on the primary alone). */
  async awaitWaiter(signal?: AbortSignal, above = 0): Promise<void> {
    while (this.waiters.size <= above && !signal?.aborted) await new Promise((r) => setTimeout(r, 1));
  }

  /** How many writes wait for their write concern now. */
  get waiting(): number {
    return this.waiters.size;
  }

  private count(ts: number): number {
    return this.members.filter((m) => this.appliedOf(m) >= ts).length;
  }

  private settle(): void {
    for (const w of [...this.waiters]) if (this.count(w.ts) >= w.need) w.done('ok');
  }

  private failWaiters(id: number): void {
    for (const w of [...this.waiters]) if (w.member === id) w.done('stepped-down');
  }

  // ---- replication

  private replicates(m: Member): boolean {
    const p = this.primary === undefined ? undefined : this.members[this.primary];
    return !!p && !p.partitioned && m.role === 'SECONDARY' && !m.paused && !m.partitioned;
  }

  /** Schedules every secondary that may replicate and is behind to apply the primary's history after its lag. */
  kick(): void {
    for (const m of this.members) {
      if (m.timer || !this.replicates(m) || m.applied >= this.store.clock) continue;
      m.timer = setTimeout(() => {
        m.timer = undefined;
        if (!this.replicates(m)) return;
        m.applied = Math.max(m.applied, this.store.clock);
        this.settle();
        this.kick();
      }, m.lagMs);
    }
  }

  /** Stops (or resumes) replication to one secondary, or to every secondary. */
  pause(id?: number): void {
    for (const m of this.pick(id)) m.paused = true;
  }

  resume(id?: number): void {
    for (const m of this.pick(id)) m.paused = false;
    this.kick();
  }

  setLag(lagMs: number, id?: number): void {
    for (const m of this.pick(id)) m.lagMs = lagMs;
  }

  private pick(id?: number): Member[] {
    return id === undefined ? this.members : [this.members[id]];
  }

  /** Resolves when every secondary that replicates has applied the whole history. */
  async awaitReplication(): Promise<void> {
    for (;;) {
      this.kick();
      if (this.members.every((m) => !this.replicates(m) || m.applied >= this.store.clock)) return;
      await new Promise((r) => setTimeout(r, 1));
    }
  }

  // ---- elections and faults

  /** The primary steps down; with `catchUp`, secondaries first receive all it has (nothing is rolled back). */
  stepDown(opts: { catchUp?: boolean; electionMs?: number } = {}): void {
    const p = this.primary;
    if (p === undefined) throw new CommandError(Codes.NotWritablePrimary, "not primary so can't step down");
    this.demote(p);
    if (opts.catchUp)
      for (const m of this.members) if (m.role === 'SECONDARY' && !m.partitioned) m.applied = this.store.clock;
    this.record('stepdown', p);
    this.scheduleElection(p, opts.electionMs);
  }

  /**
   * The member's process dies: its connections drop, its port stops answering. A primary's writes not on a
   * majority are rolled back when the next primary is elected.
   */
  async kill(id: number): Promise<void> {
    const m = this.members[id];
    if (m.role === 'DOWN') return;
    if (this.primary === id) this.demote(id);
    m.role = 'DOWN';
    clearTimeout(m.timer);
    m.timer = undefined;
    this.handles[id]?.dropConnections();
    await this.handles[id]?.stopListening();
    this.record('kill', id);
    this.changed();
    this.scheduleElection();
  }

  async restart(id: number): Promise<void> {
    const m = this.members[id];
    if (m.role !== 'DOWN') return;
    if (!m.clientsCut) await this.handles[id]?.listen();
    m.role = 'SECONDARY';
    m.processId = new ObjectId();
    m.counter = 0;
    this.record('restart', id);
    this.changed();
    this.kick();
    if (this.primary === undefined) this.scheduleElection();
  }

  /** Cuts the member off from the others (clients still reach it). A primary cut off from the majority keeps
   * taking writes until the majority elects a new primary, then steps down; its unreplicated writes roll back. */
  partition(id: number): void {
    this.members[id].partitioned = true;
    this.record('partition', id);
    if (this.primary === id) this.scheduleElection(id);
  }

  /**
   * A network cut between the clients and one member, the set itself whole: the member's connections drop and its
   * port stops answering, while it goes on replicating, voting and acknowledging majority writes.
   */
  async cutFromClients(id: number): Promise<void> {
    const m = this.members[id];
    if (m.role === 'DOWN' || m.clientsCut) return;
    m.clientsCut = true;
    this.handles[id]?.dropConnections();
    await this.handles[id]?.stopListening();
    this.record('clients-cut', id);
  }

  async reachClients(id: number): Promise<void> {
    const m = this.members[id];
    if (!m.clientsCut) return;
    m.clientsCut = false;
    if (m.role !== 'DOWN') await this.handles[id]?.listen();
    this.record('clients-restored', id);
  }

  heal(id: number): void {
    this.members[id].partitioned = false;
    this.record('heal', id);
    this.kick();
    if (this.primary === undefined) this.scheduleElection();
  }

  /** Resolves with the primary once the set has one and no election is pending. */
  async awaitPrimary(): Promise<number> {
    while (this.primary === undefined || this.electionTimer)
      await new Promise<void>((r) => this.primaryWaiters.push(r));
    return this.primary;
  }

  private demote(id: number): void {
    const m = this.members[id];
    m.applied = this.store.clock;
    m.role = 'SECONDARY';
    if (this.primary === id) this.primary = undefined;
    // Writes still waiting for their write concern learn nothing certain (mongod: PrimarySteppedDown); open
    // transactions are aborted, as mongod aborts them on stepdown.
    this.failWaiters(id);
    for (const t of [...this.store.transactions()]) this.store.abort(t, 'primary stepped down');
    this.changed();
  }

  private scheduleElection(exclude?: number, ms = this.electionMs): void {
    this.excluded = exclude;
    clearTimeout(this.electionTimer);
    this.electionTimer = setTimeout(() => {
      this.electionTimer = undefined;
      this.elect();
    }, ms);
  }

  /** The most up-to-date member that can see a majority wins (ties: the lowest id) — deterministic. */
  private elect(): void {
    const reachable = this.members.filter((m) => m.role !== 'DOWN' && !m.partitioned);
    const candidates = reachable
      .filter((m) => m.id !== this.excluded || reachable.length === 1)
      .sort((a, b) => this.appliedOf(b) - this.appliedOf(a) || a.id - b.id);
    const winner = candidates[0];
    if (!winner || reachable.length * 2 <= this.members.length) {
      this.log('election: no member can see a majority; no primary');
      this.wakePrimaryWaiters();
      return;
    }
    const old = this.primary;
    if (old !== undefined && old !== winner.id) this.demote(old);
    const common = this.appliedOf(winner);
    if (common < this.store.clock) {
      const documents = rollBack(this.store, this.sessions, common);
      const from = old ?? this.lastPrimary;
      this.rollbacks.push({ term: this.term, member: from, commonPoint: common, documents });
      this.events.push({ kind: 'rollback', member: from, term: this.term, documents: documents.length });
      this.log(`rollback: ${documents.length} document versions after point ${common}`);
      // Nothing is left after the common point: a member that has it has everything.
      for (const m of this.members) m.applied = m.applied >= common ? this.store.clock : m.applied;
    }
    this.term++;
    winner.role = 'PRIMARY';
    this.primary = winner.id;
    this.lastPrimary = winner.id;
    winner.applied = this.store.clock;
    this.record('election', winner.id);
    this.changed();
    this.kick();
    this.wakePrimaryWaiters();
  }

  private lastPrimary = 0;

  private wakePrimaryWaiters(): void {
    const w = this.primaryWaiters;
    this.primaryWaiters = [];
    for (const wake of w) wake();
  }

  private record(kind: TopologyEvent['kind'], member: number): void {
    this.events.push({ kind, member, term: this.term });
    this.log(`${kind}: member ${member} (term ${this.term})`);
  }

  /** Every member's hello changes: new topologyVersion counters, and streaming hellos answer at once. */
  private changed(): void {
    for (const m of this.members) m.counter++;
    for (const h of this.handles) h.topologyChanged();
  }

  // ---- what members say about the set

  topologyVersion(id: number): Document {
    const m = this.members[id];
    return { processId: m.processId, counter: Long.fromNumber(m.counter) };
  }

  helloFields(id: number, legacy: boolean): Document {
    const m = this.members[id];
    const isPrimary = m.role === 'PRIMARY';
    const hosts = this.members.map((x) => this.address(x.id));
    const mp = this.majorityPoint();
    const last = this.appliedOf(m);
    return {
      ...(legacy ? { ismaster: isPrimary } : { isWritablePrimary: isPrimary }),
      topologyVersion: this.topologyVersion(id),
      hosts,
      setName: this.setName,
      setVersion: 1,
      secondary: m.role === 'SECONDARY',
      ...(this.primary !== undefined ? { primary: this.address(this.primary) } : {}),
      me: this.address(id),
      ...(isPrimary ? { electionId: electionId(this.term) } : {}),
      lastWrite: {
        opTime: { ts: timestampOf(last), t: Long.fromNumber(this.term) },
        lastWriteDate: new Date(),
        majorityOpTime: { ts: timestampOf(mp), t: Long.fromNumber(this.term) },
        majorityWriteDate: new Date(),
      },
    };
  }

  status(id: number): Document {
    const state = (m: Member) => (m.role === 'PRIMARY' ? 1 : m.role === 'SECONDARY' ? 2 : 8);
    return {
      set: this.setName,
      myState: state(this.members[id]),
      term: Long.fromNumber(this.term),
      members: this.members.map((m) => ({
        _id: m.id,
        name: this.address(m.id),
        health: m.role === 'DOWN' ? 0 : 1,
        state: state(m),
        stateStr: m.role === 'DOWN' ? '(not reachable/healthy)' : m.role,
        optime: { ts: timestampOf(this.appliedOf(m)), t: Long.fromNumber(this.term) },
        ...(m.id === id ? { self: true } : {}),
      })),
      ok: 1,
    };
  }

  /** replSetStepDown: `force` steps down at once; otherwise the secondaries catch up first (nothing rolls back). */
  stepDownCommand(id: number, body: Document): Document {
    if (this.primary !== id) throw new CommandError(Codes.NotWritablePrimary, "not primary so can't step down");
    this.stepDown({ catchUp: body.force !== true });
    return { ok: 1 };
  }

  stop(): void {
    clearTimeout(this.electionTimer);
    this.electionTimer = undefined;
    for (const m of this.members) clearTimeout(m.timer);
    for (const w of [...this.waiters]) w.done('stepped-down');
    this.wakePrimaryWaiters();
  }
}

/** mongod's electionId: an ObjectId that grows with the term (drivers compare it to spot a stale primary). */
function electionId(term: number): ObjectId {
  return new ObjectId(`7fffffff${term.toString(16).padStart(16, '0')}`);
}
