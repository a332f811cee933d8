import type { Db } from 'mongodb';
import type { StorageMapping } from '../adapter/contract.ts';
import type { StoredState } from '../checker/types.ts';
import { proofY } from '../proofs/proof.ts';
import { COLLECTIONS } from '../wallet/reference/models.ts';

/** The reference schema: what an adapter without its own mapping is read as. */
export const REFERENCE_MAPPING: StorageMapping = {
  tokens: COLLECTIONS.tokens,
  audit: COLLECTIONS.audit,
  toToken: (d) => ({
    id: String(d._id),
    status: String(d.status),
    transactionType: String(d.transaction_type),
    transactionId: d.transaction_id,
    proofs: (d.proofs ?? []).map((p: { secret: string; amount: unknown }) => ({
      secret: p.secret,
      amount: Number(p.amount),
    })),
  }),
  auditTransactionId: (d) => String(d.transaction_id),
};

/**
 * Reads the wallet's collections with the harness's own client and turns them into the checker's view:
 * proofs by Y, and for each audit record the Ys of any known secret found in it.
 */
export async function readState(db: Db, mapping: StorageMapping, knownSecrets: Iterable<string>): Promise<StoredState> {
  const rawTokens = await db.collection(mapping.tokens).find().toArray();
  const rawAudits = await db.collection(mapping.audit).find().toArray();
  const secrets = new Set(knownSecrets);
  const tokens = rawTokens.map((d) => {
    const t = mapping.toToken(d);
    for (const p of t.proofs) secrets.add(p.secret);
    return { ...t, proofs: t.proofs.map((p) => ({ y: proofY(p.secret), amount: p.amount })) };
  });
  const audits = rawAudits.map((d) => {
    const text = JSON.stringify(d);
    return {
      id: String(d._id),
      transactionId: mapping.auditTransactionId(d),
      leakedYs: [...secrets].filter((s) => text.includes(s)).map(proofY),
    };
  });
  return { tokens, audits };
}
