/** Jepsen-style operations: plain JSON, proofs named by Y only (never by secret). */
export type OpType = 'invoke' | 'ok' | 'fail' | 'info';

export interface ProofRef {
  y: string;
  amount: number;
}

export interface FundValue {
  tokenId: string;
  proofs: ProofRef[];
}

export interface MeltValue {
  transactionId: string;
  sources: string[];
  keep: ProofRef[];
  change: ProofRef[];
}

/** A balance read: empty on invoke; on ok, what the wallet showed (`total` = spendable + pending, the judged value). */
export interface BalanceValue {
  total?: number;
  spendable?: number;
  pending?: number;
}

export interface Op {
  index: number;
  /** ms since the run started */
  time: number;
  process: string;
  type: OpType;
  /** Service level adds 'holdings' and 'pending' (reads of the wallet) and 'mint' (one call the wallet made to the mint). */
  f: 'fund' | 'melt' | 'balance' | 'crash' | 'recover' | 'fault' | 'holdings' | 'pending' | 'mint';
  value: FundValue | MeltValue | BalanceValue | Record<string, unknown>;
  /** On ok: the adapter's result summary; on fail/info: the error. */
  result?: Record<string, unknown>;
  error?: { name: string; code?: string | number; message: string };
}

export type History = Op[];

/** An invocation paired with its completion (absent while in flight or if the process died). */
export interface Pair {
  invoke: Op;
  complete?: Op;
}

export function pairs(history: History): Pair[] {
  const open = new Map<string, Pair>();
  const out: Pair[] = [];
  for (const op of history) {
    if (op.type === 'invoke') {
      const p = { invoke: op };
      open.set(op.process, p);
      out.push(p);
    } else {
      const p = open.get(op.process);
      if (p) {
        p.complete = op;
        open.delete(op.process);
      }
    }
  }
  return out;
}
