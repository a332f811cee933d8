import type { History } from '../history/op.ts';
import { atomicity } from './invariants/atomicity.ts';
import { audit } from './invariants/audit.ts';
import { balanceRead, balanceReads } from './invariants/balance-read.ts';
import { conservation } from './invariants/conservation.ts';
import { idempotency } from './invariants/idempotency.ts';
import { noDoubleCount } from './invariants/no-double-count.ts';
import { fundedTokens, meltCalls } from './model.ts';
import {
  type Anomaly,
  type CheckInput,
  INVARIANTS,
  type Invariant,
  type InvariantCheck,
  type Melt,
  type Outcome,
  type StoredState,
  type Verdict,
} from './types.ts';

export const INVARIANT_CHECKERS: Partial<Record<Invariant, InvariantCheck>> = {
  'no-double-count': noDoubleCount,
  conservation,
  atomicity,
  audit,
  idempotency,
  'balance-read': balanceRead,
};

/** Unknown outcomes are enumerated up to this many (2^n assignments); beyond it the verdict is unknown. */
const MAX_UNKNOWN = 10;

function runAll(input: CheckInput, only?: Invariant[]): Anomaly[] {
  return (Object.entries(INVARIANT_CHECKERS) as [Invariant, InvariantCheck][])
    .filter(([name]) => !only || only.includes(name))
    .flatMap(([, f]) => f(input));
}

/**
 * The checker: a pure function of history and stored state. Operations with unknown outcome (info, or no reply)
 * pass if either outcome satisfies every invariant; the verdict records which outcome it assumed.
 * A checker that throws yields `unknown`, never a pass.
 */
export function analyze(history: History, state: StoredState, only?: Invariant[]): Verdict {
  try {
    const funded = fundedTokens(history);
    const calls = meltCalls(history);
    const unknown = calls.filter((c) => !c.known);
    if (unknown.length > MAX_UNKNOWN)
      return verdictOf([], [], `${unknown.length} melts of unknown outcome: too many to enumerate`);
    let best: { anomalies: Anomaly[]; melts: Melt[] } | undefined;
    for (let mask = 0; mask < 1 << unknown.length; mask++) {
      const melts = calls.map((c) => {
        const i = unknown.indexOf(c);
        const outcome: Outcome = c.known ?? (mask & (1 << i) ? 'committed' : 'aborted');
        return { invoke: c.invoke, complete: c.complete, value: c.value, outcome };
      });
      const anomalies = runAll({ history, state, funded, melts }, only);
      if (!best || anomalies.length < best.anomalies.length) best = { anomalies, melts };
      if (anomalies.length === 0) break;
    }
    const assumed = best!.melts
      .filter((m) => unknown.some((u) => u.invoke === m.invoke))
      .map((m) => ({ op: m.invoke.index, transactionId: m.value.transactionId, outcome: m.outcome }));
    // A history without a balance read says nothing about balance-read: unknown, never a vacuous pass.
    const judged = only ?? INVARIANTS.filter((i) => i !== 'balance-read' || balanceReads(history).length > 0);
    return verdictOf(best!.anomalies, assumed, undefined, judged);
  } catch (e) {
    return verdictOf([], [], `checker crashed: ${(e as Error).stack ?? e}`);
  }
}

function verdictOf(anomalies: Anomaly[], assumed: Verdict['assumed'], error?: string, only?: Invariant[]): Verdict {
  const invariants = Object.fromEntries(
    INVARIANTS.map((name) => {
      const checked = Boolean(INVARIANT_CHECKERS[name]) && (!only || only.includes(name));
      const count = anomalies.filter((a) => a.invariant === name).length;
      const valid: true | false | 'unknown' = error || !checked ? 'unknown' : count === 0;
      return [name, { valid, count }];
    }),
  ) as Verdict['invariants'];
  return {
    valid: error ? 'unknown' : anomalies.length === 0,
    anomalies,
    invariants,
    assumed,
    ...(error ? { error } : {}),
  };
}
