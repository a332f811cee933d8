import type { Document } from 'bson';
import type { CollectionData } from './collection.ts';

export type TxnState = 'in_progress' | 'committed' | 'aborted';

/** A multi-document transaction: a snapshot timestamp plus a private write set, applied at commit. */
export class Transaction {
  state: TxnState = 'in_progress';
  /** ns -> _id key -> new version (null = deleted). */
  readonly writes = new Map<string, Map<string, Document | null>>();
  /** Collections (with their indexes) this transaction created: invisible to others until commit, gone on abort. */
  readonly created = new Map<string, CollectionData>();
  abortReason?: string;
  /** The logical time its writes committed at (a rollback past it undoes the commit). */
  commitTs?: number;

  constructor(
    readonly sessionKey: string,
    readonly txnNumber: number,
    readonly snapshotTs: number,
    /** When it began, by the server's clock (its lifetime limit is measured on the same clock). */
    readonly startedAt: number = Date.now(),
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
