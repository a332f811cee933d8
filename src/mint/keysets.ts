import { createHash } from 'node:crypto';
import { createNewMintKeys, type KeysetPair, serializeMintKeys } from '@cashu/cashu-ts';

export interface MintKeyset extends KeysetPair {
  unit: string;
  inputFeePpk: number;
  active: boolean;
}

/** Deterministic from (seed, index): the same seed gives the same keys, ids and signatures. */
export function deriveKeyset(seed: string, index: number, inputFeePpk: number): MintKeyset {
  const material = new Uint8Array(createHash('sha256').update(`meltcheck-mint/${seed}/${index}`).digest());
  const pair = createNewMintKeys(20, material, { input_fee_ppk: inputFeePpk, unit: 'sat' });
  return { ...pair, unit: 'sat', inputFeePpk, active: true };
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
