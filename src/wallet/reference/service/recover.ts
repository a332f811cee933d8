import { type Proof, Wallet } from '@cashu/cashu-ts';
import { proofY, type StoredProof, toStoredProof } from '../../../proofs/proof.ts';
import { DuplicateMeltError } from '../errors.ts';
import { models } from '../models.ts';
import { peekCounter } from './counter-source.ts';
import { meltRecords } from './melt-record.ts';
import type { MeltService } from './melt-service.ts';

/** What recover() found and did for one unfinished melt. */
export interface RecoveryAction {
  recordId: string;
  found: string;
  did: 'left-pending' | 'released' | 'settled' | 'closed';
  restored: number;
}

/** How far past a melt's first counter restore looks at most: a swap and a melt use far fewer outputs than this. */
const WINDOW = 200;

/**
 * Settles every unfinished melt against the mint: the quote's state (NUT-05), the sources' states (NUT-07), and
 * the outputs the wallet derived from its counters (NUT-13) as the mint signed them (NUT-09). It never turns a
 * SPENT proof back into unspent, never stores a proof already stored, and leaves a mint-PENDING melt pending.
 */
export async function recover(service: MeltService): Promise<RecoveryAction[]> {
  const Records = meltRecords(service.conn);
  const { Token } = models(service.conn);
  const actions: RecoveryAction[] = [];
  const open = await Records.find({ state: { $in: ['reserved', 'pending'] }, npub: service.meta.npub })
    .sort({ _id: 1 })
    .lean();
  for (const rec of open) {
    const id = String(rec._id);
    const quote = await service.wallet.checkMeltQuoteBolt11(rec.quote);
    if (quote.state === 'PENDING') {
      await Records.updateOne({ _id: rec._id }, { $set: { state: 'pending' } });
      actions.push({ recordId: id, found: 'mint says the payment is pending', did: 'left-pending', restored: 0 });
      continue;
    }
    const sources = await Token.find({ _id: { $in: rec.source_token_ids } }).lean();
    const sourceProofs = sources.flatMap((t) => t.proofs as StoredProof[]);
    const states = await service.wallet.checkProofsStates(sourceProofs as unknown as Proof[]);
    const anySpent = states.some((s) => s.state === 'SPENT');
    const stillOurs = sources.every((t) => t.status === 'unspent');
    if (!anySpent && quote.state !== 'PAID') {
      // Nothing reached the mint (or the payment failed): the sources are ours again.
      if (stillOurs)
        await Token.updateMany({ _id: { $in: rec.source_token_ids } }, { $unset: { 'metadata.reserved_by': '' } });
      await Records.updateOne({ _id: rec._id }, { $set: { state: 'released', outcome: 'not-started' } });
      actions.push({
        recordId: id,
        found: `sources unspent at the mint, quote ${quote.state}`,
        did: 'released',
        restored: 0,
      });
      continue;
    }
    // The mint consumed the sources: find every output of ours it signed that is unspent and stored nowhere.
    const orphans = await unstoredOutputs(service, rec.keyset_id, rec.counter_start);
    try {
      await service.repo.executeAtomicMelt(rec.source_token_ids.map(String), orphans, [], id, {
        ...service.meta,
        parent_transaction_id: rec.quote,
      });
      await Records.updateOne({ _id: rec._id }, { $set: { state: 'closed', outcome: `recovered-${quote.state}` } });
      actions.push({
        recordId: id,
        found: `sources spent at the mint, quote ${quote.state}`,
        did: 'settled',
        restored: orphans.length,
      });
    } catch (e) {
      if (!(e instanceof DuplicateMeltError)) throw e;
      // The melt committed before the crash; only the record was left open.
      if (orphans.length)
        await service.repo.storeToken({
          ...service.meta,
          proofs: orphans,
          transaction_type: 'change',
          transaction_id: `${id}:recovered`,
        });
      await Records.updateOne(
        { _id: rec._id },
        { $set: { state: 'closed', outcome: `already-applied-${quote.state}` } },
      );
      actions.push({
        recordId: id,
        found: 'melt already applied, record still open',
        did: 'closed',
        restored: orphans.length,
      });
    }
  }
  return actions;
}

async function unstoredOutputs(service: MeltService, keysetId: string, start: number): Promise<StoredProof[]> {
  // Counters are persisted before use: every output this melt asked for lies below the counter's current value.
  const window = Math.min(WINDOW, (await peekCounter(service.conn, keysetId)) - start);
  if (window <= 0) return [];
  const restorer = new Wallet(service.opts.mintUrl, { unit: 'sat', bip39seed: service.opts.bip39seed });
  await restorer.loadMint();
  const { proofs } = await restorer.restore(start, window, { keysetId });
  if (proofs.length === 0) return [];
  const states = await service.wallet.checkProofsStates(proofs);
  const unspent = proofs.filter((_, i) => states[i].state === 'UNSPENT').map(toStoredProof);
  const { Token } = models(service.conn);
  const stored = await Token.find(
    { 'proofs.secret': { $in: unspent.map((p) => p.secret) } },
    { 'proofs.secret': 1 },
  ).lean();
  const have = new Set(
    stored.flatMap((t) => ((t as unknown as { proofs: StoredProof[] }).proofs ?? []).map((p) => p.secret)),
  );
  const seen = new Set<string>();
  return unspent.filter((p) => !have.has(p.secret) && !seen.has(proofY(p.secret)) && seen.add(proofY(p.secret)));
}
