import { isValidObjectId } from 'mongoose';
import type { StoredProof } from '../../proofs/proof.ts';
import { MeltValidationError } from './errors.ts';

export type { MeltMetadata } from '../../adapter/contract.ts';

import type { MeltMetadata } from '../../adapter/contract.ts';

function checkProofs(label: string, proofs: unknown): StoredProof[] {
  if (proofs === undefined || proofs === null) return [];
  if (!Array.isArray(proofs)) throw new MeltValidationError(`${label} must be an array of proofs`);
  for (const [i, p] of proofs.entries()) {
    const ok =
      p &&
      typeof p.id === 'string' &&
      typeof p.secret === 'string' &&
      p.secret.length > 0 &&
      typeof p.C === 'string' &&
      Number.isSafeInteger(Number(p.amount)) &&
      Number(p.amount) > 0;
    if (!ok) throw new MeltValidationError(`${label}[${i}] is not a proof {id, amount > 0, secret, C}`);
  }
  return proofs.map((p) => ({ ...p, amount: Number(p.amount) }));
}

/** Every check that needs no database, so that bad input fails before any write. */
export function validateMelt(
  sourceTokenIds: unknown,
  keepProofs: unknown,
  meltChangeProofs: unknown,
  transactionId: unknown,
  metadata: unknown,
): { ids: string[]; keep: StoredProof[]; change: StoredProof[]; meta: MeltMetadata } {
  const m = metadata as Partial<MeltMetadata> | undefined;
  for (const field of ['npub', 'wallet_id', 'mint_url'] as const)
    if (!m || typeof m[field] !== 'string' || m[field] === '')
      throw new MeltValidationError(`metadata.${field} is required`);
  if (!isValidObjectId(m!.wallet_id)) throw new MeltValidationError('metadata.wallet_id must be an ObjectId');
  if (typeof transactionId !== 'string' || transactionId === '')
    throw new MeltValidationError('transactionId must be a non-empty string');
  if (!Array.isArray(sourceTokenIds) || sourceTokenIds.length === 0)
    throw new MeltValidationError('sourceTokenIds must be a non-empty array');
  const ids = sourceTokenIds.map(String);
  if (ids.some((id) => !isValidObjectId(id))) throw new MeltValidationError('sourceTokenIds must be ObjectIds');
  if (new Set(ids).size !== ids.length) throw new MeltValidationError('sourceTokenIds contains duplicates');
  const keep = checkProofs('keepProofs', keepProofs);
  const change = checkProofs('meltChangeProofs', meltChangeProofs);
  const secrets = [...keep, ...change].map((p) => p.secret);
  if (new Set(secrets).size !== secrets.length)
    throw new MeltValidationError('keepProofs and meltChangeProofs repeat a proof');
  return { ids, keep, change, meta: m as MeltMetadata };
}
