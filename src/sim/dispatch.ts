import { Binary, type Document, Long } from 'bson';
import * as admin from './commands/admin.ts';
import type { Ctx, Handler } from './commands/context.ts';
import * as ddl from './commands/ddl.ts';
import { checkFields } from './commands/fields.ts';
import * as read from './commands/read.ts';
import { currentOp, isCurrentOp, killSessions, noteSession } from './commands/session-admin.ts';
import * as write from './commands/write.ts';
import { awaitWriteConcern, snapshotReadAt, timestampOf, withAtClusterTime, withWriteConcern } from './concerns.ts';
import { Codes, CommandError, isTransientTransactionError, RETRYABLE_CODES } from './errors.ts';
import { CLOSE_CONNECTION, retried, retryableWrite } from './retryable.ts';
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
  const repl = state.repl;
  const member = state.member ?? 0;
  noteSession(state, body.lsid as Document | undefined, caller.appName, caller.connectionId);
  // Three members: the write concern is waited for (one member: answered at once, as before).
  const concern = (reply: Document, opTs: number) =>
    repl
      ? awaitWriteConcern(state, reply, body, name, opTs, (code) => labelsFor(undefined, name, body, code))
      : withWriteConcern(reply, body, name);
  try {
    const admitted = repl ? repl.admit(member, name, body) : {};
    if (repl && name === 'replSetStepDown') return repl.stepDownCommand(member, body);
    if (repl && name === 'replSetGetStatus') return repl.status(member);
    if (name === 'killSessions') return killSessions(state, body);
    if (isCurrentOp(name, body)) return currentOp(state, body);
    if (name === 'endSessions') {
      for (const s of state.sessions.end((body.endSessions ?? []) as Document[]))
        if (s.txn) state.store.abort(s.txn, 'session ended');
      return { ok: 1 };
    }
    if (name === 'commitTransaction' || name === 'abortTransaction') {
      const finished = finishTxn(state, name, body, session);
      // A commit waits for its writes, or (read-only) for its snapshot; an abort has nothing to wait for.
      const t = session?.txn;
      const opTs = name === 'commitTransaction' ? Math.max(t?.commitTs ?? 0, t?.snapshotTs ?? 0) : 0;
      return await concern(finished, opTs);
    }
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
      const prior = session && retryableWrite(state, session, Number(body.txnNumber));
      // Three members: a retry waits for the write concern again (one member: the stored reply, as ever).
      if (prior && !repl) return retried(prior, name, body);
      if (prior) return await concern(retried(prior, name, body), session.replyTs.get(Number(body.txnNumber)) ?? 0);
    }
    const handler = HANDLERS[name];
    if (!handler) throw new CommandError(Codes.CommandNotFound, `no such command: '${name}'`);
    checkFields(name, body);
    const snapshotTs = inTxn ? undefined : snapshotReadAt(state, name, body);
    // Three members: majority and snapshot reads see the majority point, a secondary what it has applied.
    const readTs =
      inTxn || !repl || body.readConcern?.atClusterTime !== undefined
        ? snapshotTs
        : repl.readAt(member, body, admitted);
    const ctx: Ctx = {
      body,
      name,
      db,
      store: state.store,
      cursors: state.cursors,
      failPoints: state.failPoints,
      info: state.info,
      view: { txn, snapshotTs: readTs },
      txn,
      connectionId: caller.connectionId,
      appName: caller.appName,
    };
    const retryable = !inTxn && session && body.txnNumber !== undefined && RETRYABLE_WRITES.has(name);
    const trip = retryable ? state.failPoints.tripTransactionalWrite() : undefined;
    if (trip?.failBeforeCommitExceptionCode !== undefined) {
      // The write is rolled back before commit; the client sees the error, or nothing if the connection closes.
      const err = new CommandError(
        trip.failBeforeCommitExceptionCode,
        `Failing write for txnNumber ${body.txnNumber} due to failpoint. The write must not be reflected.`,
      );
      if (trip.closeConnection !== false) return { [CLOSE_CONNECTION]: true };
      throw err;
    }
    const handled = await handler(ctx);
    const atClusterTime = snapshotTs === undefined ? undefined : readTs;
    // One member: the stored reply carries the write concern's answer, as before. Three: the stored reply is
    // the write's own; a retry waits for the write concern again, as mongod does.
    const reply = withAtClusterTime(repl ? handled : withWriteConcern(handled, body, name), atClusterTime);
    if (txn && reply.writeErrors) state.store.abort(txn, 'write error');
    if (retryable && session) {
      session.replies.set(Number(body.txnNumber), reply);
      session.replyTs.set(Number(body.txnNumber), state.store.clock);
    }
    // Applied and recorded, then the connection drops: the driver's retry must find the stored result.
    if (trip && trip.closeConnection !== false) return { [CLOSE_CONNECTION]: true };
    return repl ? await concern(reply, state.store.clock) : reply;
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
    s.txn = new Transaction(s.key, n, state.store.clock, state.now());
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
  if (state.now() - t.startedAt <= state.info.transactionLifetimeMs) return false;
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

/**
 * The labels mongod attaches (the driver relies on the server for these since wire version 9). `wceCode` is the
 * write concern error's code when the reply carries one.
 */
export function labelsFor(e: unknown, name: string, body: Document, wceCode?: number): string[] {
  const code = e instanceof CommandError ? e.code : undefined;
  if (e instanceof CommandError && e.labels.length) return e.labels;
  if (e !== undefined && code === undefined) return [];
  const finishing = name === 'commitTransaction' || name === 'abortTransaction';
  const labels: string[] = [];
  if (body.autocommit !== undefined) {
    if (code !== undefined) {
      const transient = isTransientTransactionError(code, wceCode !== undefined, finishing);
      // A statement inside a transaction that hits a primary-state error also leaves no trace (drivers' spec
      // "NotWritablePrimary errors contain transient label").
      if (transient || (!finishing && RETRYABLE_CODES.has(code))) labels.push('TransientTransactionError');
    }
    if (finishing && (RETRYABLE_CODES.has(code ?? 0) || RETRYABLE_CODES.has(wceCode ?? 0)))
      labels.push('RetryableWriteError');
    return labels;
  }
  if (body.txnNumber !== undefined && (RETRYABLE_CODES.has(code ?? 0) || RETRYABLE_CODES.has(wceCode ?? 0)))
    labels.push('RetryableWriteError');
  return labels;
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
  const ts = timestampOf(clock);
  return {
    $clusterTime: { clusterTime: ts, signature: { hash: new Binary(Buffer.alloc(20)), keyId: Long.fromNumber(0) } },
    operationTime: ts,
  };
}
