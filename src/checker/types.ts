import type { History, MeltValue, Op, ProofRef } from '../history/op.ts';

export const INVARIANTS = [
  'no-double-count',
  'conservation',
  'atomicity',
  'audit',
  'idempotency',
  'recovery',
  'balance-read',
] as const;
export type Invariant = (typeof INVARIANTS)[number];

/** A stored token document as the checker sees it: proofs by Y. */
export interface StoredToken {
  id: string;
  status: string;
  transactionType: string;
  transactionId?: string;
  proofs: ProofRef[];
}

export interface StoredAudit {
  id: string;
  transactionId: string;
  /** Ys of proofs whose secret appears anywhere in the audit document (found by the reader, at the I/O edge). */
  leakedYs: string[];
}

export interface StoredState {
  tokens: StoredToken[];
  audits: StoredAudit[];
}

/** Statuses in which a proof counts toward what the wallet believes it holds. */
export const LIVE = new Set(['unspent', 'pending']);

export type Outcome = 'committed' | 'aborted';

export interface Melt {
  invoke: Op;
  complete?: Op;
  value: MeltValue;
  outcome: Outcome;
}

/** Everything an invariant looks at; built once per outcome assignment. */
export interface CheckInput {
  history: History;
  state: StoredState;
  /** token id -> proofs it was funded with */
  funded: Map<string, ProofRef[]>;
  melts: Melt[];
}

export interface Anomaly {
  invariant: Invariant;
  type: string;
  message: string;
  /** The minimal evidence: operation indexes, token ids, proof Ys. */
  witness: { ops?: number[]; tokens?: string[]; ys?: string[]; [k: string]: unknown };
}

export type InvariantCheck = (input: CheckInput) => Anomaly[];

export interface Verdict {
  valid: true | false | 'unknown';
  anomalies: Anomaly[];
  invariants: Record<Invariant, { valid: true | false | 'unknown'; count: number }>;
  /** For operations whose outcome was unknown (info): the outcome under which the verdict holds. */
  assumed: { op: number; transactionId: string; outcome: Outcome }[];
  error?: string;
}
