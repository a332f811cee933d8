import type { Document } from 'bson';
import type { Transaction } from './storage/transaction.ts';
import { keyOf } from './values.ts';

/** Server-side state of one logical session: its newest txnNumber, its transaction, its retryable-write replies. */
export class SessionState {
  txnNumber = -1;
  txn?: Transaction;
  readonly replies = new Map<number, Document>();
  /** When each stored reply's write happened (a rollback past it forgets the reply). */
  readonly replyTs = new Map<number, number>();
  lastUse = Date.now();
  constructor(readonly key: string) {}
}

export class Sessions {
  private map = new Map<string, SessionState>();

  get(lsid: Document | undefined): SessionState | undefined {
    if (!lsid) return undefined;
    const key = keyOf(lsid.id ?? lsid);
    let s = this.map.get(key);
    if (!s) {
      s = new SessionState(key);
      this.map.set(key, s);
    }
    s.lastUse = Date.now();
    return s;
  }

  all(): Iterable<SessionState> {
    return this.map.values();
  }

  end(lsids: Document[]): SessionState[] {
    const ended: SessionState[] = [];
    for (const lsid of lsids) {
      const key = keyOf(lsid.id ?? lsid);
      const s = this.map.get(key);
      if (s) ended.push(s);
      this.map.delete(key);
    }
    return ended;
  }
}
