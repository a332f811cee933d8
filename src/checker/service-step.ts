import type { HeldProof } from '../adapter/contract.ts';
import type { MintBooks } from '../mint/books.ts';
import { proofY } from '../proofs/proof.ts';
import { checkService } from './service-books.ts';
import type { Anomaly } from './types.ts';

/** What the harness read after one step of a generated service story. */
export interface ServiceStepState {
  /** holdings(): what the wallet can spend. */
  holdings: HeldProof[];
  /** pending(): reserved or in-flight proofs; undefined when the adapter has no pending(). */
  pending?: HeldProof[];
  books: MintBooks;
  /** Holdings after a second recover() (idempotency), when the step ran one. */
  again?: HeldProof[];
  /** The step ended with recover() (after a crash, a fault, a settled payment): nothing may stay pending needlessly. */
  recovered: boolean;
}

/**
 * The service invariants after a step, pure: the books invariants over what the wallet holds (spendable and
 * pending together: a proof in neither is lost, a proof in both is counted twice), then the pending rules — a
 * pending proof must be unspent at the mint or an input of a melt the mint reports pending, and after recover()
 * nothing may stay pending unless the mint still has a pending payment.
 */
export function checkServiceStep(s: ServiceStepState): { anomalies: Anomaly[]; numbers: Record<string, number> } {
  const pending = s.pending ?? [];
  const all = [...s.holdings, ...pending];
  const { anomalies, numbers } = checkService(all, s.books, s.again && [...s.again, ...pending]);
  const spentPending = pending.filter((p) => {
    const w = s.books.worth([p]);
    return w.spent > 0 || w.invalid > 0;
  });
  if (spentPending.length)
    anomalies.push({
      invariant: 'no-double-count',
      type: 'pending-proof-spent',
      message: `${spentPending.length} proof(s) the wallet holds as pending are spent at the mint (or never signed by it)`,
      witness: { ys: spentPending.map((p) => proofY(p.secret)) },
    });
  const stuck = s.books.totals.pendingMelts === 0 ? pending : [];
  if (s.recovered && stuck.length)
    anomalies.push({
      invariant: 'recovery',
      type: 'pending-after-recover',
      message: `after recover(), ${stuck.length} proof(s) (${stuck.reduce((n, p) => n + Number(p.amount), 0)} sat) stay pending although the mint has no pending payment`,
      witness: { ys: stuck.map((p) => proofY(p.secret)) },
    });
  return { anomalies, numbers: { ...numbers, pendingHeld: pending.reduce((n, p) => n + Number(p.amount), 0) } };
}

/** While a payment is pending at the mint only this much is judged: nothing spendable is spent, nothing held twice. */
export function checkServiceInFlight(holdings: HeldProof[], books: MintBooks): Anomaly[] {
  const { anomalies } = checkService(holdings, books);
  return anomalies.filter((a) => a.invariant === 'no-double-count');
}
