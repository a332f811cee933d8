import type { Document } from 'bson';
import type { Cursors } from '../cursors.ts';
import type { FailPoints } from '../failpoint.ts';
import type { Store, View } from '../storage/store.ts';
import type { Transaction } from '../storage/transaction.ts';

export interface ServerInfo {
  host: string;
  port: number;
  setName: string;
  processId: unknown;
  startedAt: Date;
  transactionLifetimeMs: number;
  replicaSet: boolean;
}

/** Everything a command handler may touch. Handlers are synchronous unless they must wait for a lock. */
export interface Ctx {
  body: Document;
  name: string;
  db: string;
  store: Store;
  cursors: Cursors;
  failPoints: FailPoints;
  info: ServerInfo;
  view: View;
  txn?: Transaction;
  connectionId: number;
  appName?: string;
}

export type Handler = (ctx: Ctx) => Document | Promise<Document>;
