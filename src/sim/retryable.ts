import type { Document } from 'bson';
import { Codes, CommandError } from './errors.ts';
import type { SessionState } from './sessions.ts';
import type { SimState } from './state.ts';

/** Marks a reply the server must not send: it closes the connection instead (fail point on a transactional write). */
export const CLOSE_CONNECTION = Symbol('closeConnection');

/**
 * The stored reply of a retryable write when this txnNumber already ran on the session; a txnNumber older than
 * the session's newest is TransactionTooOld (mongod keeps only the newest one's results).
 */
export function retryableWrite(state: SimState, s: SessionState, n: number): Document | undefined {
  if (n < s.txnNumber)
    throw new CommandError(
      Codes.TransactionTooOld,
      `Cannot start transaction ${n} on session ${s.key} because a newer transaction ${s.txnNumber} has already started.`,
    );
  if (n > s.txnNumber) {
    if (s.txn) state.store.abort(s.txn, 'superseded by a retryable write');
    s.txn = undefined;
    s.replies.clear();
    s.txnNumber = n;
  }
  return s.replies.get(n);
}

/** A retried statement's reply: the stored result, naming the statements that had already run (stmtIds 0..n-1). */
export function retried(prior: Document, name: string, body: Document): Document {
  if (name === 'findAndModify' || name === 'findandmodify') return { ...prior, retriedStmtId: 0 };
  const count = ((body.documents ?? body.updates ?? body.deletes ?? []) as unknown[]).length;
  return { ...prior, retriedStmtIds: Array.from({ length: count }, (_, i) => i) };
}
