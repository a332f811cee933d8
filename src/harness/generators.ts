import { createHash } from 'node:crypto';
import { schnorr } from '@noble/curves/secp256k1.js';
import { bech32 } from '@scure/base';

/**
 * Inputs shaped like a real wallet's, deterministic from the run's seed (so a replay sends the same bytes):
 * owners are bech32 `npub1…` keys of real secp256k1 x-only public keys, transaction ids look like
 * `tx_melt_<ms>_<random>` (10–100 characters), mint URLs are https. An adapter whose validation wants other
 * shapes overrides the generators it needs (`generators` in the adapter module).
 */
export interface Generators {
  /** The owner key of the i-th owner of a run. */
  npub(index: number): string;
  /** The id a melt carries; the same label always maps to the same id (duplicate calls stay duplicates). */
  transactionId(label: string): string;
  mintUrl(): string;
}

export type GeneratorOverrides = Partial<Generators>;

const sha = (s: string) => createHash('sha256').update(s).digest();

export function generators(seed: number, overrides: GeneratorOverrides = {}): Generators {
  const base = Date.UTC(2026, 0, 1) + (seed % 1_000_000) * 1000;
  const defaults: Generators = {
    npub(index) {
      const pub = schnorr.getPublicKey(sha(`owner/${seed}/${index}`));
      return bech32.encode('npub', bech32.toWords(pub));
    },
    transactionId(label) {
      const h = sha(`tx/${seed}/${label}`);
      return `tx_melt_${base + h.readUInt16BE(0)}_${h.toString('hex').slice(4, 16)}`;
    },
    mintUrl: () => 'https://mint.meltcheck.test',
  };
  return { ...defaults, ...overrides };
}
