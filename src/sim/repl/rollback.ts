import type { Document } from 'bson';
import type { Sessions } from '../sessions.ts';
import type { Store } from '../storage/store.ts';

/** One document version a rollback undid: the collection, the document's _id, and what the version held. */
export interface RolledBack {
  ns: string;
  id: unknown;
  /** The undone version (null: it was a delete). */
  doc: Document | null;
  ts: number;
}

/**
 * Undoes everything after `commonPoint` in the shared history, as mongod's rollback does on a member that had
 * writes the new primary never received: document versions, transactions committed after it (a retried commit
 * then finds no transaction), and the stored replies of retryable writes after it (a retry runs again).
 */
export function rollBack(store: Store, sessions: Sessions, commonPoint: number): RolledBack[] {
  const undone: RolledBack[] = [];
  for (const colls of store.dbs.values())
    for (const c of colls.values())
      for (const [key, chain] of c.versions) {
        const popped: RolledBack[] = [];
        while (chain.length && chain[chain.length - 1].ts > commonPoint) {
          const v = chain.pop()!;
          popped.push({ ns: c.ns, id: v.doc?._id, doc: v.doc, ts: v.ts });
        }
        const id = popped.find((p) => p.id !== undefined)?.id ?? chain[chain.length - 1]?.doc?._id ?? key;
        for (const p of popped.reverse()) undone.push({ ...p, id });
        if (!chain.length) c.versions.delete(key);
      }
  for (const s of sessions.all()) {
    if (s.txn?.commitTs !== undefined && s.txn.commitTs > commonPoint) {
      s.txn.state = 'aborted';
      s.txn.abortReason = 'rolled back';
    }
    for (const [n, ts] of s.replyTs) if (ts > commonPoint) s.replies.delete(n);
  }
  return undone.sort((a, b) => a.ts - b.ts);
}
