import type { Document } from 'bson';

export type TxnState = 'in_progress' | 'committed' | 'aborted';

/** A multi-document transaction: a snapshot timestamp plus a private write set, applied at commit. */
export class Transaction {
  state: TxnState = 'in_progress';
  /** ns -> _id key -> new version (null = deleted). */
  readonly writes = new Map<string, Map<string, Document | null>>();
  readonly startedAt = Date.now();
  abortReason?: string;

  constructor(
    readonly sessionKey: string,
    readonly txnNumber: number,
    readonly snapshotTs: number,
  ) {}

  written(ns: string): Map<string, Document | null> {
    let m = this.writes.get(ns);
    if (!m) {
      m = new Map();
      this.writes.set(ns, m);
    }
    return m;
  }
}
