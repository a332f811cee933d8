import { hashToCurve } from '@cashu/cashu-ts';
import { memo } from './memo.ts';

/** A Cashu proof as wallets store it (amount as a plain integer, whatever the library's amount type). */
export interface StoredProof {
  id: string;
  amount: number;
  secret: string;
  C: string;
  dleq?: { e: string; s: string; r?: string };
  witness?: string;
}

/** Y = hash_to_curve(secret): names a proof in reports and logs without revealing the bearer secret. */
export const proofY: (secret: string) => string = memo((secret) =>
  hashToCurve(new TextEncoder().encode(secret)).toHex(true),
);

export function sumAmounts(proofs: readonly { amount: number }[]): number {
  return proofs.reduce((s, p) => s + p.amount, 0);
}

/** Normalises a cashu-ts proof (amount may be an Amount object) into the stored shape. */
export function toStoredProof(p: {
  id: string;
  amount: unknown;
  secret: string;
  C: string;
  dleq?: unknown;
  witness?: unknown;
}): StoredProof {
  const out: StoredProof = { id: p.id, amount: Number(p.amount), secret: p.secret, C: p.C };
  if (p.dleq) out.dleq = p.dleq as StoredProof['dleq'];
  if (p.witness) out.witness = typeof p.witness === 'string' ? p.witness : JSON.stringify(p.witness);
  return out;
}

/** Proofs as the history names them: Y and amount, never the secret. */
export function proofRefs(proofs: readonly { secret: string; amount: number }[]): { y: string; amount: number }[] {
  return proofs.map((p) => ({ y: proofY(p.secret), amount: p.amount }));
}
