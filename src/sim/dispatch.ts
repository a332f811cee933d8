import { Binary, type Document, Long, Timestamp } from 'bson';
import * as admin from './commands/admin.ts';
import type { Ctx, Handler } from './commands/context.ts';
import * as ddl from './commands/ddl.ts';
import * as read from './commands/read.ts';
import { currentOp, isCurrentOp, killSessions, noteSession } from './commands/session-admin.ts';
import * as write from './commands/write.ts';
import { Codes, CommandError, RETRYABLE_CODES } from './errors.ts';
import type { SessionState } from './sessions.ts';
import type { SimState } from './state.ts';
import { Transaction } from './storage/transaction.ts';

const HANDLERS: Record<string, Handler> = {
  ping: () => ({ ok: 1 }),
  buildInfo: admin.buildInfo,
  buildinfo: admin.buildInfo,
  serverStatus: admin.serverStatus,
  replSetGetStatus: admin.replSetGetStatus,
  configureFailPoint: admin.configureFailPoint,
  getParameter: () => ({ featureCompatibilityVersion: { version: '7.0' }, ok: 1 }),
  listDatabases: ddl.listDatabases,
  create: ddl.create,
  drop: ddl.drop,
  dropDatabase: ddl.dropDatabase,
  listCollections: ddl.listCollections,
  listIndexes: ddl.listIndexes,
  createIndexes: ddl.createIndexes,
  dropIndexes: ddl.dropIndexes,
  insert: write.insert,
  update: write.update,
  delete: write.del,
  findAndModify: write.findAndModify,
  findandmodify: write.findAndModify,
  find: read.find,
  getMore: read.getMore,
  killCursors: read.killCursors,
  aggregate: read.aggregate,
  count: read.count,
  distinct: read.distinct,
};

const IN_TXN = new Set([
  'find',
  'getMore',
  'killCursors',
  'aggregate',
  'distinct',
  'insert',
  'update',
  'delete',
  'findAndModify',
  'findandmodify',
  'commitTransaction',
  'abortTransaction',
  'create',
  'createIndexes',
]);
const RETRYABLE_WRITES = new Set(['insert', 'update', 'delete', 'findAndModify', 'findandmodify']);
const TRANSIENT = new Set([Codes.WriteConflict, Codes.NoSuchTransaction, 24 /* LockTimeout */, 50]);

export interface Caller {
  connectionId: number;
  appName?: string;
}

/** Runs one command against the simulator's state and returns mongod's reply document (errors included). */
export async function dispatch(state: SimState, body: Document, db: string, caller: Caller): Promise<Document> {
  const name = Object.keys(body)[0];
  const session = state.sessions.get(body.lsid as Document | undefined);
  const inTxn = body.autocommit !== undefined;
  let txn: Transaction | undefined;
  noteSession(state, body.lsid as Document | undefined, caller.appName, caller.connectionId);
  try {
    if (name === 'killSessions') return killSessions(state, body);
    if (isCurrentOp(name, body)) return currentOp(state, body);
    if (name === 'endSessions') {
      for (const s of state.sessions.end((body.endSessions ?? []) as Document[]))
        if (s.txn) state.store.abort(s.txn, 'session ended');
      return { ok: 1 };
    }
    if (name === 'commitTransaction' || name === 'abortTransaction') return finishTxn(state, name, body, session);
    if (name === 'killAllSessions') {
      // What an operator (or the harness, after killing a wallet) runs so abandoned transactions release their locks.
      for (const t of [...state.store.transactions()]) state.store.abort(t, 'killAllSessions');
      return { ok: 1 };
    }
    if (inTxn) {
      txn = transactionFor(state, name, body, session);
    } else if (body.txnNumber !== undefined && RETRYABLE_WRITES.has(name)) {
      if (!state.info.replicaSet)
        throw new CommandError(
          Codes.IllegalOperation,
          'Transaction numbers are only allowed on a replica set member or mongos',
        );
      const prior = session?.replies.get(Number(body.txnNumber));
      if (prior) return { ...prior, retriedStmtIds: [] };
    }
    const handler = HANDLERS[name];
    if (!handler) throw new CommandError(Codes.CommandNotFound, `no such command: '${name}'`);
    const ctx: Ctx = {
      body,
      name,
      db,
      store: state.store,
      cursors: state.cursors,
      failPoints: state.failPoints,
      info: state.info,
      view: { txn },
      txn,
      connectionId: caller.connectionId,
      appName: caller.appName,
    };
    const reply = await handler(ctx);
    if (txn && reply.writeErrors) state.store.abort(txn, 'write error');
    if (!inTxn && session && body.txnNumber !== undefined && RETRYABLE_WRITES.has(name))
      session.replies.set(Number(body.txnNumber), reply);
    return reply;
  } catch (e) {
    if (txn) state.store.abort(txn, `${name} failed`);
    return errorReply(e, labelsFor(e, name, body));
  }
}

function transactionFor(state: SimState, name: string, body: Document, s: SessionState | undefined): Transaction {
  if (!state.info.replicaSet)
    throw new CommandError(
      Codes.IllegalOperation,
      'Transaction numbers are only allowed on a replica set member or mongos',
    );
  if (!s || body.txnNumber === undefined || body.autocommit !== false)
    throw new CommandError(Codes.InvalidOptions, 'a transaction needs lsid, txnNumber and autocommit: false');
  if (!IN_TXN.has(name))
    throw new CommandError(
      Codes.OperationNotSupportedInTransaction,
      `Cannot run '${name}' in a multi-document transaction.`,
    );
  const n = Number(body.txnNumber);
  if (body.startTransaction === true) {
    if (n < s.txnNumber || (n === s.txnNumber && s.txn))
      throw new CommandError(
        Codes.TransactionTooOld,
        `Cannot start transaction ${n} on session because a newer transaction ${s.txnNumber} has already started`,
      );
    if (s.txn) state.store.abort(s.txn, 'superseded');
    s.txnNumber = n;
    s.txn = new Transaction(s.key, n, state.store.clock);
    state.store.register(s.txn);
    return s.txn;
  }
  const t = s.txn;
  if (!t || t.txnNumber !== n || t.state !== 'in_progress' || expired(state, t))
    throw new CommandError(Codes.NoSuchTransaction, `Transaction with { txnNumber: ${n} } has been aborted.`, [
      'TransientTransactionError',
    ]);
  return t;
}

function expired(state: SimState, t: Transaction): boolean {
  if (Date.now() - t.startedAt <= state.info.transactionLifetimeMs) return false;
  state.store.abort(t, 'transaction lifetime limit');
  return true;
}

function finishTxn(state: SimState, name: string, body: Document, s: SessionState | undefined): Document {
  const n = Number(body.txnNumber);
  const t = s?.txn;
  if (!t || t.txnNumber !== n)
    throw new CommandError(Codes.NoSuchTransaction, `Transaction with { txnNumber: ${n} } has been aborted.`, [
      'TransientTransactionError',
    ]);
  if (name === 'commitTransaction') {
    if (t.state === 'in_progress' && !expired(state, t)) state.store.commit(t);
    if (t.state === 'committed') return { ok: 1 };
    throw new CommandError(Codes.NoSuchTransaction, `Transaction with { txnNumber: ${n} } has been aborted.`, [
      'TransientTransactionError',
    ]);
  }
  if (t.state === 'committed')
    throw new CommandError(Codes.TransactionCommitted, `Transaction with { txnNumber: ${n} } has been committed.`);
  if (t.state === 'aborted' && t.abortReason !== 'abortTransaction')
    throw new CommandError(Codes.NoSuchTransaction, `Transaction with { txnNumber: ${n} } has been aborted.`);
  state.store.abort(t, 'abortTransaction');
  return { ok: 1 };
}

/** The labels mongod attaches (the driver relies on the server for these since wire version 9). */
export function labelsFor(e: unknown, name: string, body: Document): string[] {
  if (!(e instanceof CommandError)) return [];
  if (e.labels.length) return e.labels;
  const code = e.code;
  if (name === 'commitTransaction' || name === 'abortTransaction') {
    return RETRYABLE_CODES.has(code) ? ['RetryableWriteError'] : [];
  }
  if (body.autocommit !== undefined)
    return TRANSIENT.has(code) || RETRYABLE_CODES.has(code) ? ['TransientTransactionError'] : [];
  if (body.txnNumber !== undefined && RETRYABLE_CODES.has(code)) return ['RetryableWriteError'];
  return [];
}

export function errorReply(e: unknown, labels: string[]): Document {
  if (e instanceof CommandError) {
    return {
      ok: 0,
      errmsg: e.message,
      code: e.code,
      codeName: e.codeName,
      ...e.extra,
      ...(labels.length ? { errorLabels: labels } : {}),
    };
  }
  const msg = e instanceof Error ? e.message : String(e);
  return { ok: 0, errmsg: `simulator internal error: ${msg}`, code: Codes.InternalError, codeName: 'InternalError' };
}

export function clusterTime(clock: number): Document {
  const ts = new Timestamp({ t: Math.floor(Date.now() / 1000), i: clock + 1 });
  return {
    $clusterTime: { clusterTime: ts, signature: { hash: new Binary(Buffer.alloc(20)), keyId: Long.fromNumber(0) } },
    operationTime: ts,
  };
}
