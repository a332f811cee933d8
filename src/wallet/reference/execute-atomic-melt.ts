import type { ClientSession, Connection } from 'mongoose';
import { proofY, type StoredProof, sumAmounts } from '../../proofs/proof.ts';
import { DuplicateMeltError, ProofReuseError, SourceTokensUnavailableError } from './errors.ts';
import { models, type ObjectId } from './models.ts';
import { type MeltMetadata, validateMelt } from './validate.ts';

export interface MeltResult {
  success: true;
  transaction_id: string;
  source_tokens_spent: number;
  keep_token_id: InstanceType<typeof ObjectId> | null;
  keep_amount: number;
  melt_change_token_id: InstanceType<typeof ObjectId> | null;
  melt_change_amount: number;
  operations: { type: string; token_ids?: string[]; token_id?: string; amount: number }[];
  audit_log: Record<string, unknown>;
}

/**
 * The transaction options live on the transaction itself: MongoDB ignores database- and collection-level read
 * and write concerns inside a transaction.
 */
export const MELT_TRANSACTION_OPTIONS = {
  readConcern: { level: 'snapshot' as const },
  writeConcern: { w: 'majority' as const },
  readPreference: 'primary' as const,
};

/**
 * The seed's executeAtomicMelt: spend the sources, store keep proofs and melt change as `change` documents, write
 * one audit record — all in one transaction, or nothing. The callback has no side effects outside the
 * transaction, so the driver may run it again after a TransientTransactionError.
 * A repeated transactionId is refused with DuplicateMeltError (carrying the first melt's audit id): a caller that
 * retries after an unknown outcome learns the melt applied, and a different melt reusing an id is never merged.
 */
export async function executeAtomicMelt(
  conn: Connection,
  sourceTokenIds: unknown[],
  keepProofs: StoredProof[] | null | undefined,
  meltChangeProofs: StoredProof[] | null | undefined,
  transactionId: string,
  metadata: MeltMetadata,
  /** The transaction's concerns (tests and mutants only: the reference always uses MELT_TRANSACTION_OPTIONS). */
  options: typeof MELT_TRANSACTION_OPTIONS | Record<string, unknown> = MELT_TRANSACTION_OPTIONS,
): Promise<MeltResult> {
  const { ids, keep, change, meta } = validateMelt(
    sourceTokenIds,
    keepProofs,
    meltChangeProofs,
    transactionId,
    metadata,
  );
  const { Token, MeltAudit } = models(conn);
  const session: ClientSession = await conn.startSession();
  let result: MeltResult | undefined;
  try {
    await session.withTransaction(async () => {
      result = await meltInTransaction(session, Token, MeltAudit, ids, keep, change, transactionId, meta);
    }, options);
  } finally {
    await session.endSession();
  }
  return result!;
}

async function meltInTransaction(
  session: ClientSession,
  Token: ReturnType<typeof models>['Token'],
  MeltAudit: ReturnType<typeof models>['MeltAudit'],
  ids: string[],
  keep: StoredProof[],
  change: StoredProof[],
  transactionId: string,
  meta: MeltMetadata,
): Promise<MeltResult> {
  const prior = await MeltAudit.findOne({ transaction_id: transactionId }, { _id: 1 }, { session }).lean();
  if (prior) throw new DuplicateMeltError(transactionId, String(prior._id));

  const owner = { npub: meta.npub, wallet_id: meta.wallet_id, mint_url: meta.mint_url };
  const sources = await Token.find({ _id: { $in: ids }, ...owner, status: 'unspent' }, null, { session }).lean();
  const consumed = sources.flatMap((t) => t.proofs as StoredProof[]);
  const consumedSecrets = new Set(consumed.map((p) => p.secret));
  const stored = [...keep, ...change];
  const reused = stored.filter((p) => consumedSecrets.has(p.secret));
  const liveElsewhere = await Token.find(
    {
      'proofs.secret': { $in: stored.map((p) => p.secret) },
      status: { $in: ['unspent', 'pending'] },
      _id: { $nin: ids },
    },
    { 'proofs.secret': 1 },
    { session },
  ).lean();
  if (reused.length || liveElsewhere.length) {
    const clash = new Set(
      liveElsewhere.flatMap((t) => ((t as unknown as { proofs: StoredProof[] }).proofs ?? []).map((p) => p.secret)),
    );
    throw new ProofReuseError([...reused, ...stored.filter((p) => clash.has(p.secret))].map((p) => proofY(p.secret)));
  }

  // The status condition makes the spend conditional: a concurrent melt that spent a source first makes this
  // count come up short, and the whole transaction aborts.
  const spentAt = new Date();
  const spend = await Token.updateMany(
    { _id: { $in: ids }, ...owner, status: 'unspent' },
    { $set: { status: 'spent', spent_at: spentAt, 'metadata.spent_by_transaction_id': transactionId } },
    { session },
  );
  if (spend.modifiedCount !== ids.length) throw new SourceTokensUnavailableError(ids.length, spend.modifiedCount);

  const operations: MeltResult['operations'] = [{ type: 'mark_spent', token_ids: ids, amount: sumAmounts(consumed) }];
  const storeChange = async (proofs: StoredProof[], role: 'keep' | 'melt_change') => {
    if (proofs.length === 0) return null; // empty change stores nothing
    const [doc] = await Token.create(
      [
        {
          ...owner,
          proofs,
          transaction_type: 'change',
          status: 'unspent',
          transaction_id: `${transactionId}:${role}`,
          metadata: {
            source: role,
            melt_transaction_id: transactionId,
            parent_transaction_id: meta.parent_transaction_id,
          },
        },
      ],
      { session },
    );
    operations.push({ type: `store_${role}`, token_id: String(doc._id), amount: sumAmounts(proofs) });
    return doc._id;
  };
  const keepId = await storeChange(keep, 'keep');
  const changeId = await storeChange(change, 'melt_change');

  const audit = {
    transaction_id: transactionId,
    operation: 'atomic_melt',
    ...owner,
    parent_transaction_id: meta.parent_transaction_id,
    source_token_ids: ids,
    source_amount: sumAmounts(consumed),
    consumed_ys: consumed.map((p) => proofY(p.secret)),
    keep_token_id: keepId,
    keep_amount: sumAmounts(keep),
    keep_ys: keep.map((p) => proofY(p.secret)),
    melt_change_token_id: changeId,
    melt_change_amount: sumAmounts(change),
    melt_change_ys: change.map((p) => proofY(p.secret)),
  };
  const [auditDoc] = await MeltAudit.create([audit], { session });
  operations.push({ type: 'audit', token_id: String(auditDoc._id), amount: 0 });

  return {
    success: true,
    transaction_id: transactionId,
    source_tokens_spent: spend.modifiedCount,
    keep_token_id: keepId,
    keep_amount: audit.keep_amount,
    melt_change_token_id: changeId,
    melt_change_amount: audit.melt_change_amount,
    operations,
    audit_log: { audit_id: String(auditDoc._id), ...audit, source_token_ids: ids },
  };
}
