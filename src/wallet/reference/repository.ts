import type { Connection } from 'mongoose';
import type { StoredProof } from '../../proofs/proof.ts';
import { executeAtomicMelt, type MeltResult } from './execute-atomic-melt.ts';
import { models, ObjectId } from './models.ts';
import type { MeltMetadata } from './validate.ts';

export interface SeedToken {
  npub: string;
  wallet_id: string;
  mint_url: string;
  proofs: StoredProof[];
  transaction_type?: 'received' | 'minted' | 'change';
  transaction_id: string;
  status?: 'unspent' | 'spent' | 'pending' | 'failed';
}

/** The reference wallet repository (walletRepository.service.js of the seed), on one mongoose connection. */
export class WalletRepository {
  constructor(readonly conn: Connection) {}

  /** Creates collections and indexes; call once before use (unique indexes back idempotency). */
  async init(): Promise<void> {
    const { Token, Wallet, MeltAudit } = models(this.conn);
    await Promise.all([Token.init(), Wallet.init(), MeltAudit.init()]);
  }

  async createWallet(npub: string, mint_url: string): Promise<string> {
    const { Wallet } = models(this.conn);
    const w = await Wallet.create({ npub, mint_url });
    return String(w._id);
  }

  async storeToken(t: SeedToken): Promise<string> {
    const { Token } = models(this.conn);
    const doc = await Token.create({ transaction_type: 'received', status: 'unspent', ...t });
    return String(doc._id);
  }

  /**
   * The owner's balance in one aggregation: one query reads one state, so a melt committing meanwhile is either
   * wholly in it or wholly out (several separate queries could count a token both as source and as change).
   */
  async balance(owner: {
    npub: string;
    wallet_id: string;
    mint_url: string;
  }): Promise<{ spendable: number; pending: number }> {
    const { Token } = models(this.conn);
    return balanceOfRows(await Token.aggregate<BalanceRow>(balancePipeline(owner)));
  }

  executeAtomicMelt(
    sourceTokenIds: unknown[],
    keepProofs: StoredProof[] | null | undefined,
    meltChangeProofs: StoredProof[] | null | undefined,
    transactionId: string,
    metadata: MeltMetadata,
  ): Promise<MeltResult> {
    return executeAtomicMelt(this.conn, sourceTokenIds, keepProofs, meltChangeProofs, transactionId, metadata);
  }
}

export interface BalanceRow {
  _id: string;
  total: number;
}

/** The owner's live tokens totalled by status, in one aggregation (one read, one state). */
export function balancePipeline(owner: { npub: string; wallet_id: string; mint_url: string }) {
  return [
    {
      $match: {
        npub: owner.npub,
        wallet_id: new ObjectId(owner.wallet_id),
        mint_url: owner.mint_url,
        status: { $in: ['unspent', 'pending'] },
      },
    },
    { $group: { _id: '$status', total: { $sum: '$total_amount' } } },
  ];
}

export function balanceOfRows(rows: BalanceRow[]): { spendable: number; pending: number } {
  const of = (status: string) => rows.find((r) => r._id === status)?.total ?? 0;
  return { spendable: of('unspent'), pending: of('pending') };
}
