import { FakeProofSource } from '../harness/proof-source.ts';
import type { StoredProof } from '../proofs/proof.ts';

const source = new FakeProofSource(0);

/**
 * Well-formed but unsigned proofs for repository-level tests that need no mint: deterministic from a label, so
 * that a failing case names the same proofs every run. Tests that need real signatures use the test mint.
 */
export function fakeProofs(label: string, amounts: number[]): StoredProof[] {
  return source.make(label, amounts);
}
