import type { Document } from 'bson';
import { Codes, CommandError, writeConflict } from '../errors.ts';
import { matcher } from '../query/filter.ts';
import { getPath, keyOf, plainDoc } from '../values.ts';
import { CollectionData, type IndexSpec } from './collection.ts';
import type { Transaction } from './transaction.ts';

export { CollectionData, type IndexSpec } from './collection.ts';

function checkName(name: string): void {
  if (!/^[^$\0]+$/.test(name) || name.startsWith('system.'))
    throw new CommandError(Codes.InvalidNamespace, `Invalid collection name: ${name}`);
}

/**
 * Who reads: a transaction sees its snapshot plus its own writes; a snapshot read outside a transaction sees the
 * commits up to `snapshotTs`; anyone else sees the latest commit.
 */
export interface View {
  txn?: Transaction;
  snapshotTs?: number;
}

/** Versions kept per document for snapshot reads at an earlier cluster time (older ones: SnapshotTooOld). */
const HISTORY_PER_DOCUMENT = 64;

/** Raised when a non-transactional write must wait for a transaction holding the document. */
export class Blocked extends Error {
  constructor(readonly holder: Transaction) {
    super('blocked by an open transaction');
  }
}

/**
 * Multi-version storage. Every committed write gets a timestamp from one logical clock; transactions read the
 * versions at or before their snapshot, and the first writer of a document holds it until commit or abort
 * (MongoDB's first-writer-wins: a second writer gets WriteConflict, a non-transactional writer waits).
 */
export class Store {
  clock = 0;
  /** Snapshots older than this may miss versions that were pruned. */
  historyFloor = 0;
  readonly dbs = new Map<string, Map<string, CollectionData>>();
  readonly locks = new Map<string, Transaction>();
  /** Versions at or after this point are never pruned (a replica set's least applied member may need them). */
  retainFrom: () => number = () => this.clock;
  private waiters: (() => void)[] = [];
  /** Writers waiting for a transaction to end, per client appName (the command gate asks, see CommandGate.settled). */
  private blocked = new Map<string, number>();

  collection(db: string, name: string): CollectionData | undefined {
    return this.dbs.get(db)?.get(name);
  }

  /** The collection as a view sees it: a transaction also sees the collections it created. */
  collectionIn(db: string, name: string, view: View): CollectionData | undefined {
    return this.collection(db, name) ?? view.txn?.created.get(`${db}.${name}`);
  }

  /** Creates the collection if needed; inside a transaction the creation is the transaction's until commit. */
  ensureCollectionIn(db: string, name: string, view: View, options: Document = {}): CollectionData {
    const found = this.collectionIn(db, name, view);
    if (found) return found;
    if (!view.txn) return this.ensureCollection(db, name, options);
    checkName(name);
    const c = new CollectionData(db, name, options);
    view.txn.created.set(c.ns, c);
    return c;
  }

  ensureCollection(db: string, name: string, options: Document = {}): CollectionData {
    let colls = this.dbs.get(db);
    if (!colls) {
      colls = new Map();
      this.dbs.set(db, colls);
    }
    let c = colls.get(name);
    if (!c) {
      checkName(name);
      c = new CollectionData(db, name, options);
      colls.set(name, c);
    }
    return c;
  }

  dropCollection(db: string, name: string): boolean {
    const c = this.collection(db, name);
    if (!c) return false;
    for (const k of c.versions.keys()) if (this.locks.has(`${c.ns}\0${k}`)) throw writeConflict();
    this.dbs.get(db)?.delete(name);
    return true;
  }

  private visible(c: CollectionData, key: string, view: View): Document | null {
    const own = view.txn?.writes.get(c.ns);
    if (own?.has(key)) return own.get(key) ?? null;
    const chain = c.versions.get(key);
    if (!chain) return null;
    const at = view.txn?.snapshotTs ?? view.snapshotTs;
    if (at === undefined) return chain[chain.length - 1].doc;
    for (let i = chain.length - 1; i >= 0; i--) if (chain[i].ts <= at) return chain[i].doc;
    return null;
  }

  /** Every document visible to the view, in _id insertion order. */
  scan(c: CollectionData | undefined, view: View): Document[] {
    if (!c) return [];
    const out: Document[] = [];
    for (const key of c.versions.keys()) {
      const d = this.visible(c, key, view);
      if (d) out.push(d);
    }
    const own = view.txn?.writes.get(c.ns);
    if (own) for (const [key, d] of own) if (d && !c.versions.has(key)) out.push(d);
    return out;
  }

  /**
   * Writes one document version (null deletes). In a transaction it goes to the write set after the
   * first-writer-wins checks; outside one it commits at once, or throws Blocked while a transaction holds it.
   */
  write(c: CollectionData, id: unknown, doc: Document | null, view: View, insert: boolean): void {
    const key = keyOf(id);
    const lockKey = `${c.ns}\0${key}`;
    const holder = this.locks.get(lockKey);
    if (view.txn) {
      if (holder && holder !== view.txn) throw writeConflict();
      const chain = c.versions.get(key);
      if (chain && chain[chain.length - 1].ts > view.txn.snapshotTs) throw writeConflict();
    } else if (holder) throw new Blocked(holder);
    if (insert && this.visible(c, key, view)) throw duplicateKey(c, c.indexes[0], { _id: id });
    if (doc) this.checkUnique(c, key, doc, view);
    if (view.txn) {
      view.txn.written(c.ns).set(key, doc);
      this.locks.set(lockKey, view.txn);
    } else {
      this.append(c, key, doc, ++this.clock);
    }
  }

  private append(c: CollectionData, key: string, doc: Document | null, ts: number): void {
    let chain = c.versions.get(key);
    if (!chain) {
      chain = [];
      c.versions.set(key, chain);
    }
    chain.push({ ts, doc });
    // Keep some history for snapshot reads at an earlier time, never less than open transactions need.
    const oldest = this.oldestSnapshot();
    while (chain.length > HISTORY_PER_DOCUMENT && chain[1].ts <= oldest) {
      this.historyFloor = Math.max(this.historyFloor, chain[1].ts);
      chain.shift();
    }
  }

  private openTxns = new Set<Transaction>();
  register(txn: Transaction): void {
    this.openTxns.add(txn);
  }
  private oldestSnapshot(): number {
    let min = Math.min(this.clock, this.retainFrom());
    for (const t of this.openTxns) min = Math.min(min, t.snapshotTs);
    return min;
  }

  private checkUnique(c: CollectionData, key: string, doc: Document, view: View): void {
    for (const index of c.indexes) {
      if (!index.unique || index.name === '_id_') continue;
      const mine = indexKey(index, doc);
      if (mine === undefined) continue;
      for (const other of this.scan(c, view)) {
        if (keyOf(other._id) === key) continue;
        if (indexKey(index, other) === mine) throw duplicateKey(c, index, keyValue(index, doc));
      }
      // Held by another open transaction, or committed after our snapshot: not visible, yet it would clash.
      for (const t of this.openTxns) {
        if (t === view.txn) continue;
        for (const [k, d] of t.writes.get(c.ns) ?? []) {
          if (d && k !== key && indexKey(index, d) === mine) {
            if (view.txn) throw writeConflict();
            throw new Blocked(t);
          }
        }
      }
      if (view.txn) {
        for (const [k, chain] of c.versions) {
          const last = chain[chain.length - 1];
          if (k !== key && last.ts > view.txn.snapshotTs && last.doc && indexKey(index, last.doc) === mine)
            throw writeConflict();
        }
      }
    }
  }

  commit(txn: Transaction): void {
    const ts = ++this.clock;
    txn.commitTs = ts;
    this.openTxns.delete(txn);
    for (const created of txn.created.values()) {
      const existing = this.collection(created.db, created.name);
      if (!existing) this.ensureCollection(created.db, created.name).adopt(created);
      else
        for (const i of created.indexes) if (!existing.indexes.some((e) => e.name === i.name)) existing.indexes.push(i);
    }
    for (const [ns, writes] of txn.writes) {
      const dot = ns.indexOf('.');
      const c = this.ensureCollection(ns.slice(0, dot), ns.slice(dot + 1));
      for (const [key, doc] of writes) this.append(c, key, doc, ts);
    }
    txn.state = 'committed';
    this.release(txn);
  }

  abort(txn: Transaction, reason: string): void {
    if (txn.state !== 'in_progress') return;
    this.openTxns.delete(txn);
    txn.state = 'aborted';
    txn.abortReason = reason;
    this.release(txn);
  }

  private release(txn: Transaction): void {
    for (const [k, holder] of this.locks) if (holder === txn) this.locks.delete(k);
    const w = this.waiters;
    this.waiters = [];
    for (const wake of w) wake();
  }

  /** Resolves when some transaction ends (a blocked writer then retries); `appName` is the waiting client's. */
  nextRelease(appName = ''): Promise<void> {
    this.blocked.set(appName, (this.blocked.get(appName) ?? 0) + 1);
    return new Promise((resolve) =>
      this.waiters.push(() => {
        const n = (this.blocked.get(appName) ?? 1) - 1;
        if (n > 0) this.blocked.set(appName, n);
        else this.blocked.delete(appName);
        resolve();
      }),
    );
  }

  /** How many writers of a client wait for a transaction to end. */
  blockedWriters(appName: string): number {
    return this.blocked.get(appName) ?? 0;
  }

  transactions(): Iterable<Transaction> {
    return this.openTxns;
  }
}

function indexKey(index: IndexSpec, doc: Document): string | undefined {
  if (index.partialFilterExpression && !matcher(index.partialFilterExpression)(doc)) return undefined;
  const values = Object.keys(index.key).map((f) => getPath(plainDoc(doc), f));
  if (index.sparse && values.every((v) => v === undefined)) return undefined;
  return keyOf(values.map((v) => v ?? null));
}

function keyValue(index: IndexSpec, doc: Document): Document {
  return Object.fromEntries(Object.keys(index.key).map((f) => [f, getPath(doc, f) ?? null]));
}

export function duplicateKey(c: CollectionData, index: IndexSpec, value: Document): CommandError {
  const shown = Object.entries(value)
    .map(([k, v]) => `${k}: ${JSON.stringify(v)}`)
    .join(', ');
  return new CommandError(
    Codes.DuplicateKey,
    `E11000 duplicate key error collection: ${c.ns} index: ${index.name} dup key: { ${shown} }`,
    [],
    { keyPattern: index.key, keyValue: value },
  );
}
