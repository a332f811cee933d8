import { type BalanceValue, type FundValue, type History, type Op, type ProofRef, pairs } from '../../history/op.ts';
import { sum } from '../model.ts';
import type { Anomaly, CheckInput, Melt } from '../types.ts';

/** Reads with more concurrent operations than this are not judged (2^n states): the generators stay far below. */
const MAX_CONCURRENT = 14;

/** An operation a read's value may or may not contain, with the real-time bounds that order it. */
interface Candidate {
  kind: 'fund' | 'melt';
  invoke: number;
  /** Index of its completion when known to have completed (ok); undefined when still open or unknown (info). */
  done?: number;
  fund?: FundValue;
  melt?: Melt;
}

export interface BalanceRead {
  invoke: Op;
  complete: Op;
  seen: number;
}

/** Balance reads that completed ok, with the value seen (spendable + pending). Failed or unknown reads: none. */
export function balanceReads(history: History): BalanceRead[] {
  return pairs(history)
    .filter((p) => p.invoke.f === 'balance' && p.complete?.type === 'ok')
    .map((p) => ({ invoke: p.invoke, complete: p.complete!, seen: Number((p.complete!.value as BalanceValue).total) }));
}

/**
 * The balances a serial order consistent with real time allows a read to see: operations completed before the
 * read began are in, those invoked after it completed are out, and those concurrent with it (or of unknown
 * completion) may be in or out — but never a later one in without an earlier one it followed in real time.
 * `melts` carry the outcome assumed for this verdict (aborted ones are out); undefined when too many are concurrent.
 */
export function allowedBalances(
  history: History,
  read: Pick<BalanceRead, 'invoke' | 'complete'>,
  melts: readonly Melt[],
  funded: Map<string, ProofRef[]>,
): { values: number[]; concurrent: number[] } | undefined {
  const start = read.invoke.index;
  const end = read.complete.index;
  const all: Candidate[] = [];
  for (const p of pairs(history))
    if (p.invoke.f === 'fund' && p.complete?.type === 'ok')
      all.push({
        kind: 'fund',
        invoke: p.invoke.index,
        done: p.complete.index,
        fund: (p.complete.value ?? p.invoke.value) as FundValue,
      });
  for (const m of melts)
    if (m.outcome === 'committed')
      all.push({
        kind: 'melt',
        invoke: m.invoke.index,
        done: m.complete?.type === 'ok' ? m.complete.index : undefined,
        melt: m,
      });
  const before = all.filter((c) => c.done !== undefined && c.done < start);
  const maybe = all.filter((c) => !before.includes(c) && c.invoke < end);
  if (maybe.length > MAX_CONCURRENT) return undefined;
  const values = new Set<number>();
  for (let mask = 0; mask < 1 << maybe.length; mask++) {
    const chosen = maybe.filter((_, i) => mask & (1 << i));
    // Real time: an operation that completed before another began precedes it in every serial order.
    const closed = chosen.every((b) =>
      maybe.every((a) => chosen.includes(a) || a.done === undefined || a.done > b.invoke),
    );
    if (closed) values.add(balanceOf([...before, ...chosen], funded));
  }
  return {
    values: [...values].sort((a, b) => a - b),
    concurrent: maybe.filter((c) => c.kind === 'melt').map((c) => c.invoke),
  };
}

/** The wallet's live proofs after the given operations, applied in invocation order. */
function balanceOf(ops: Candidate[], funded: Map<string, ProofRef[]>): number {
  const live = new Map<string, number>();
  for (const c of [...ops].sort((a, b) => a.invoke - b.invoke)) {
    if (c.fund) for (const p of c.fund.proofs) live.set(p.y, p.amount);
    if (c.melt) {
      for (const id of c.melt.value.sources) for (const p of funded.get(id) ?? []) live.delete(p.y);
      for (const p of [...c.melt.value.keep, ...c.melt.value.change]) live.set(p.y, p.amount);
    }
  }
  return sum([...live].map(([y, amount]) => ({ y, amount })));
}

/**
 * Jepsen's bank test for wallets: every balance the wallet showed while melts were in flight is the balance of a
 * state some serial order allows. Above all of them a token counted twice; below, money went missing from view.
 * One owner per history (the generators use one); reads of unknown outcome are not judged.
 */
export function balanceRead({ history, funded, melts }: CheckInput): Anomaly[] {
  const out: Anomaly[] = [];
  for (const r of balanceReads(history)) {
    const allowed = allowedBalances(history, r, melts, funded);
    if (!allowed || allowed.values.includes(r.seen)) continue;
    const { values, concurrent } = allowed;
    const type = r.seen > values[values.length - 1] ? 'double-count' : r.seen < values[0] ? 'missing' : 'no-such-state';
    out.push({
      invariant: 'balance-read',
      type,
      message: `balance read (op ${r.invoke.index}) saw ${r.seen}; a serial order allows only ${values.join(' or ')} (${concurrent.length} melt(s) concurrent with it)`,
      witness: {
        ops: [r.invoke.index, ...concurrent],
        read: r.invoke.index,
        concurrent,
        allowed: values,
        seen: r.seen,
        reads: [{ read: r.invoke.index, seen: r.seen, allowed: values, concurrent }],
      },
    });
  }
  return out;
}
