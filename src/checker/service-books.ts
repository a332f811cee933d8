import type { HeldProof } from '../adapter/contract.ts';
import { remember } from '../harness/secrets.ts';
import type { MintBooks } from '../mint/books.ts';
import { proofY } from '../proofs/proof.ts';
import type { Anomaly } from './types.ts';

/**
 * Service-level invariants against the mint's books (the oracle): the wallet holds nothing the mint says is
 * spent or forged, nothing twice, and everything the mint says is outstanding (this mint serves only this
 * wallet, so outstanding value is the wallet's value). Pure: holdings and the mint's books in, anomalies out.
 */
export function checkService(
  holdings: HeldProof[],
  books: MintBooks,
  /** Holdings after recover() ran once more: recovery must be idempotent (nothing credited twice). */
  again?: HeldProof[],
): { anomalies: Anomaly[]; numbers: Record<string, number> } {
  remember(holdings.map((p) => p.secret));
  const anomalies: Anomaly[] = [];
  const ys = holdings.map((p) => proofY(p.secret));
  const dup = ys.filter((y, i) => ys.indexOf(y) !== i);
  if (dup.length)
    anomalies.push({
      invariant: 'no-double-count',
      type: 'proof-held-twice',
      message: `${dup.length} proof(s) held twice`,
      witness: { ys: dup },
    });
  const worth = books.worth(holdings);
  const balance = holdings.reduce((s, p) => s + Number(p.amount), 0);
  if (worth.spent || worth.invalid)
    anomalies.push({
      invariant: 'no-double-count',
      type: 'holds-spent-proofs',
      message: `the wallet counts ${worth.spent} sat the mint says are spent${worth.invalid ? ` and ${worth.invalid} sat it never signed` : ''} (balance ${balance})`,
      witness: {
        ys: holdings.filter((p) => books.worth([p]).spent > 0).map((p) => proofY(p.secret)),
        balance,
      },
    });
  const id = books.totals;
  const pendingQuotes = id.pendingMelts;
  if (worth.unspent + worth.pending < id.outstanding)
    anomalies.push({
      invariant: 'conservation',
      type: 'money-lost',
      message: `the mint holds ${id.outstanding} sat outstanding for this wallet, the wallet holds ${worth.unspent + worth.pending}: ${id.outstanding - worth.unspent - worth.pending} sat lost`,
      witness: { outstanding: id.outstanding, held: worth.unspent + worth.pending },
    });
  if (again) {
    // Compared as multisets: a proof credited a second time counts.
    const after = again.map((p) => proofY(p.secret));
    const count = new Map<string, number>();
    for (const y of ys) count.set(y, (count.get(y) ?? 0) + 1);
    for (const y of after) count.set(y, (count.get(y) ?? 0) - 1);
    const changed = [...count.values()].reduce((s, n) => s + Math.abs(n), 0);
    const before = new Set(ys);
    if (changed)
      anomalies.push({
        invariant: 'recovery',
        type: 'recover-not-idempotent',
        message: `a second recover() changed the holdings by ${changed} proof(s)${pendingQuotes ? ` (${pendingQuotes} payment(s) still pending at the mint)` : ''}`,
        witness: { ys: after.filter((y) => !before.has(y)) },
      });
  }
  return {
    anomalies,
    numbers: {
      balance,
      unspent: worth.unspent,
      pending: worth.pending,
      outstanding: id.outstanding,
      deposits: id.deposits,
      lightningPaid: id.lightningPaid,
      fees: id.inputFees + id.lightningFees,
    },
  };
}
