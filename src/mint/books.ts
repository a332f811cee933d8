import type { Ledger, WireProof } from './ledger.ts';
import type { Worth } from './oracle.ts';

/** The mint's totals, as the service checker compares them with a wallet's holdings. */
export interface MintTotals {
  /** Signed and not yet redeemed: what this mint owes its one wallet. */
  outstanding: number;
  deposits: number;
  lightningPaid: number;
  inputFees: number;
  lightningFees: number;
  /** Melt quotes whose payment is still pending. */
  pendingMelts: number;
}

/**
 * A snapshot of a mint's books for the proofs of interest: the service checker's ground truth. Synchronous so the
 * checker stays pure; each mint kind fills it its own way (the test mint from its ledger, nutshell from its tables).
 */
export interface MintBooks {
  worth(proofs: WireProof[]): Worth;
  totals: MintTotals;
  /** deposits = outstanding + fees + paid out (no melt pending); undefined when the mint cannot tell. */
  balanced?: boolean;
}

export function ledgerBooks(ledger: Ledger): MintBooks {
  const id = ledger.identity();
  return {
    worth: (proofs) => ledger.worth(proofs),
    totals: {
      outstanding: id.outstanding,
      deposits: id.deposits,
      lightningPaid: id.lightningPaid,
      inputFees: id.inputFees,
      lightningFees: id.lightningFees,
      pendingMelts: [...ledger.meltQuotes.values()].filter((q) => q.state === 'PENDING').length,
    },
    balanced: id.holds,
  };
}

/**
 * The books of one run on a mint that served earlier runs too: totals as the change since `base` (the proofs of
 * earlier runs are not this wallet's and nobody spends them, so the difference is what this run owes).
 */
export function sinceBooks(books: MintBooks, base: MintTotals): MintBooks {
  const t = books.totals;
  const totals: MintTotals = {
    outstanding: t.outstanding - base.outstanding,
    deposits: t.deposits - base.deposits,
    lightningPaid: t.lightningPaid - base.lightningPaid,
    inputFees: t.inputFees - base.inputFees,
    lightningFees: t.lightningFees - base.lightningFees,
    pendingMelts: t.pendingMelts - base.pendingMelts,
  };
  return { ...books, totals };
}
