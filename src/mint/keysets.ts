import { createHash } from 'node:crypto';
import { createNewMintKeys, type KeysetPair, serializeMintKeys } from '@cashu/cashu-ts';

export interface MintKeyset extends KeysetPair {
  unit: string;
  inputFeePpk: number;
  active: boolean;
}

const derived = new Map<string, MintKeyset>();

/**
 * Deterministic from (seed, index): the same seed gives the same keys, ids and signatures. Deriving 20 key pairs
 * costs ~100 ms of curve arithmetic and a crash enumeration starts a mint per point, so derived sets are kept
 * (each caller gets its own copy: `active` changes when a keyset is rotated out).
 */
export function deriveKeyset(seed: string, index: number, inputFeePpk: number): MintKeyset {
  const key = `${seed}/${index}/${inputFeePpk}`;
  let k = derived.get(key);
  if (!k) {
    const material = new Uint8Array(createHash('sha256').update(`meltcheck-mint/${seed}/${index}`).digest());
    const pair = createNewMintKeys(20, material, { input_fee_ppk: inputFeePpk, unit: 'sat' });
    k = { ...pair, unit: 'sat', inputFeePpk, active: true };
    if (derived.size >= 256) derived.clear(); // a bound, not a policy: runs use a handful of seeds
    derived.set(key, k);
  }
  return { ...k, active: true };
}

export function keysetKeysJson(k: MintKeyset) {
  return {
    id: k.keysetId,
    unit: k.unit,
    active: k.active,
    input_fee_ppk: k.inputFeePpk,
    keys: serializeMintKeys(k.pubKeys),
  };
}
