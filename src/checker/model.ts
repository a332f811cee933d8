import { type FundValue, type History, type MeltValue, type ProofRef, pairs } from '../history/op.ts';
import { sumAmounts } from '../proofs/proof.ts';
import type { Melt, Outcome } from './types.ts';

/** Funded tokens of the history: those whose creation completed ok. */
export function fundedTokens(history: History): Map<string, ProofRef[]> {
  const out = new Map<string, ProofRef[]>();
  for (const p of pairs(history))
    if (p.invoke.f === 'fund' && p.complete?.type === 'ok') {
      const v = (p.complete.value ?? p.invoke.value) as FundValue;
      out.set(v.tokenId, v.proofs);
    }
  return out;
}

/** Melts with their known outcome (ok = committed, fail = aborted) or undefined when unknown (info / no reply). */
export function meltCalls(history: History): (Omit<Melt, 'outcome'> & { known?: Outcome })[] {
  return pairs(history)
    .filter((p) => p.invoke.f === 'melt')
    .map((p) => ({
      invoke: p.invoke,
      complete: p.complete,
      value: p.invoke.value as MeltValue,
      known: p.complete?.type === 'ok' ? 'committed' : p.complete?.type === 'fail' ? 'aborted' : undefined,
    }));
}

/** Total value of proofs (one helper for the checker and the wallet side). */
export const sum: (proofs: readonly ProofRef[]) => number = sumAmounts;
