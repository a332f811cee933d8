import type { BalanceOwner, BalanceReading } from '../adapter/contract.ts';
import type { BalanceValue } from '../history/op.ts';
import type { Recorder } from '../history/recorder.ts';
import { classifyError, errorSummary } from './classify.ts';
import { AdapterBroke, withTimeout } from './containment.ts';
import type { Tally } from './tally.ts';

/** What a balance read ended as: ok with the value seen, or an error (never judged). */
export type ReadOutcome = { type: 'ok'; value: BalanceValue } | { type: 'fail' | 'info'; error: { message: string } };

/** The wallet's answer as the history records it; a shape outside the contract is the adapter breaking. */
export function balanceValue(result: unknown): BalanceValue {
  const ok = (n: unknown) => typeof n === 'number' && Number.isFinite(n) && n >= 0;
  if (ok(result)) return { total: result as number };
  const r = result as Partial<BalanceReading> | null;
  if (r && typeof r === 'object' && ok(r.spendable) && (r.pending === undefined || ok(r.pending)))
    return { total: r.spendable! + (r.pending ?? 0), spendable: r.spendable, pending: r.pending ?? 0 };
  throw new AdapterBroke(
    `balance() returned ${JSON.stringify(result)?.slice(0, 80)}: expected a number or { spendable, pending? }`,
  );
}

/**
 * One balance read recorded in the history: invoke, then ok with the value seen, or fail/info on an error (a read
 * that threw shows nothing, so nothing is judged). Bounded by the operation timeout like a melt.
 */
export async function recordBalanceRead(
  recorder: Recorder,
  tally: Tally,
  process: string,
  owner: BalanceOwner,
  call: (owner: BalanceOwner) => Promise<unknown>,
  timeoutMs: number,
): Promise<ReadOutcome> {
  const op = recorder.invoke(process, 'balance', {});
  const concurrent = tally.readStarted();
  try {
    const value = balanceValue(await withTimeout('balance', call(owner), timeoutMs));
    recorder.complete(op, 'ok', { value });
    tally.readAnswered(concurrent);
    return { type: 'ok', value };
  } catch (e) {
    const type = classifyError(e);
    recorder.complete(op, type, { error: errorSummary(e) });
    if (e instanceof AdapterBroke) throw e;
    return { type, error: errorSummary(e) };
  }
}
