import { createHash } from 'node:crypto';
import { secp256k1 } from '@noble/curves/secp256k1.js';
import { bytesToHex } from '@noble/curves/utils.js';
import type { StoredProof } from '../proofs/proof.ts';
import { remember } from './secrets.ts';

/** Where a run's proofs come from; every secret handed out is remembered (to scan reports and audits for it). */
export interface ProofSource {
  proofs(label: string, amounts: number[]): Promise<StoredProof[]>;
  readonly secrets: Set<string>;
}

/**
 * Unsigned but well-formed proofs (a real keyset id shape, 64-hex secrets, C on the curve), deterministic from (seed, label): enough for the repository level, where the
 * wallet stores proofs and never talks to a mint.
 */
export class FakeProofSource implements ProofSource {
  readonly secrets = new Set<string>();
  constructor(private readonly seed: number) {}

  async proofs(label: string, amounts: number[]): Promise<StoredProof[]> {
    return this.make(label, amounts);
  }

  /** The same proofs, synchronously (tests that need no run). */
  make(label: string, amounts: number[]): StoredProof[] {
    return amounts.map((amount, i) => {
      const secret = createHash('sha256').update(`${this.seed}/${label}/${i}`).digest('hex');
      this.secrets.add(secret);
      remember([secret]);
      // A real compressed curve point (unsigned: no mint signed it), as wallets' schemas may validate C.
      const C = bytesToHex(secp256k1.getPublicKey(createHash('sha256').update(`C/${secret}`).digest(), true));
      return { id: '00ffd48b8f5ecf80', amount, secret, C };
    });
  }
}
