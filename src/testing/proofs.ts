import { createHash } from 'node:crypto';
import type { StoredProof } from '../proofs/proof.ts';

/**
 * Well-formed but unsigned proofs for repository-level tests that need no mint: deterministic from a label, so
 * that a failing case names the same proofs every run. Tests that need real signatures use the test mint.
 */
export function fakeProofs(label: string, amounts: number[]): StoredProof[] {
  return amounts.map((amount, i) => {
    const secret = createHash('sha256').update(`${label}/${i}`).digest('hex');
    return { id: '00ffd48b8f5ecf80', amount, secret, C: `02${createHash('sha256').update(secret).digest('hex')}` };
  });
}
