import { type Proof, Wallet } from '@cashu/cashu-ts';
import type { Connection } from 'mongoose';
import { type StoredProof, sumAmounts, toStoredProof } from '../../../proofs/proof.ts';
import { MELT_TRANSACTION_OPTIONS } from '../execute-atomic-melt.ts';
import { models } from '../models.ts';
import { WalletRepository } from '../repository.ts';
import { mongoCounterSource, peekCounter } from './counter-source.ts';
import { meltRecords } from './melt-record.ts';

/** Named moments of a melt; a crash test kills the process at each in turn. */
export type MeltStep = 'quoted' | 'reserved' | 'swapped' | 'melted' | 'stored' | 'closed';

export interface MeltServiceOptions {
  mintUrl: string;
  npub: string;
  /** NUT-13 seed: outputs are re-derivable, so restore (NUT-09) can find what a crash left with the mint. */
  bip39seed: Uint8Array;
  onStep?: (step: MeltStep) => void;
}

export interface MeltOutcome {
  state: 'PAID' | 'PENDING' | 'FAILED';
  recordId: string;
  paid: number;
  change: number;
  /** Whether the sources were swapped first (false: melted as they were, worth exactly what the melt needed). */
  swapped?: boolean;
}

export class InsufficientFundsError extends Error {}

/**
 * The reference melt service: reserve sources and write the melt record in one transaction before the first
 * mint call; swap and melt with deterministic outputs (counters persisted before use); then executeAtomicMelt;
 * then close the record. Everything a crash can interrupt is settled by recover().
 */
export class MeltService {
  readonly repo: WalletRepository;
  readonly wallet: Wallet;
  walletId?: string;

  constructor(
    readonly conn: Connection,
    readonly opts: MeltServiceOptions,
  ) {
    this.repo = new WalletRepository(conn);
    this.wallet = new Wallet(opts.mintUrl, {
      unit: 'sat',
      bip39seed: opts.bip39seed,
      counterSource: mongoCounterSource(conn),
      // The service picks whole source tokens itself; the swap must consume every proof of them, or an unswapped
      // proof would come back as "keep" while its token is marked spent.
      selectProofs: ((proofs: unknown[]) => ({ send: proofs, keep: [] })) as never,
    });
  }

  async init(): Promise<void> {
    await this.repo.init();
    await meltRecords(this.conn).init();
    await this.wallet.loadMint();
    const { Wallet: W } = models(this.conn);
    const existing = await W.findOne({ npub: this.opts.npub, mint_url: this.opts.mintUrl }).lean();
    this.walletId = existing ? String(existing._id) : await this.repo.createWallet(this.opts.npub, this.opts.mintUrl);
  }

  /** Fetches the mint's keysets again and binds the cheapest active one (cashu-ts keeps a bound keyset otherwise). */
  private async refreshKeysets(): Promise<void> {
    await this.wallet.loadMint(true);
    this.wallet.bindKeyset(this.wallet.keyChain.getCheapestKeyset().id);
  }

  get meta() {
    return { npub: this.opts.npub, wallet_id: this.walletId!, mint_url: this.opts.mintUrl };
  }

  /** Mints `amount` (the test mint's deposit invoices pay themselves) and stores the proofs. */
  async fund(amount: number): Promise<void> {
    const q = await this.wallet.createMintQuoteBolt11(amount);
    // Outputs on a keyset the mint has rotated out are refused before anything is issued: learn the keysets, retry.
    const proofs = await this.wallet.mintProofsBolt11(amount, q.quote).catch(async (e) => {
      if (!inactiveKeyset(e)) throw e;
      await this.refreshKeysets();
      return this.wallet.mintProofsBolt11(amount, q.quote);
    });
    await this.repo.storeToken({
      ...this.meta,
      proofs: proofs.map(toStoredProof),
      transaction_type: 'minted',
      transaction_id: `mint-${q.quote}`,
    });
  }

  /** What the wallet can spend: the proofs of its unspent tokens no melt has reserved. */
  async holdings(): Promise<StoredProof[]> {
    const { Token } = models(this.conn);
    const live = await Token.find({
      ...this.meta,
      status: 'unspent',
      'metadata.reserved_by': { $exists: false },
    }).lean();
    return live.flatMap((t) => t.proofs as StoredProof[]);
  }

  /** What is in flight: the proofs of unspent tokens reserved by a melt not yet settled. */
  async pending(): Promise<StoredProof[]> {
    const { Token } = models(this.conn);
    const live = await Token.find({
      ...this.meta,
      status: 'unspent',
      'metadata.reserved_by': { $exists: true },
    }).lean();
    return live.flatMap((t) => t.proofs as StoredProof[]);
  }

  async melt(invoice: string): Promise<MeltOutcome> {
    try {
      return await this.meltOnce(invoice);
    } catch (e) {
      // The mint rotated its keyset: this melt's outputs were refused before any input was spent, and recover()
      // releases its sources. Learn the new keysets so that the next melt goes through.
      if (inactiveKeyset(e)) await this.refreshKeysets();
      throw e;
    }
  }

  private async meltOnce(invoice: string): Promise<MeltOutcome> {
    const step = this.opts.onStep ?? (() => {});
    const quote = await this.wallet.createMeltQuoteBolt11(invoice);
    step('quoted');
    const amount = Number(quote.amount);
    const reserve = Number(quote.fee_reserve);
    const record = await this.reserve(quote.quote, invoice, amount, reserve);
    step('reserved');
    // Every output of this melt on the keyset its record names (where recovery restores from), even if another melt
    // learns of a rotation meanwhile and rebinds the wallet: the generated property lost the outputs of a melt whose
    // swap ran on a keyset its record did not name.
    const keysetId = record.keyset_id;
    const { Token } = models(this.conn);
    const sources = await Token.find({ _id: { $in: record.source_token_ids } }).lean();
    const proofs = sources.flatMap((t) => t.proofs as StoredProof[]);
    // Sources worth exactly what the melt needs (amount, fee reserve, their own input fee) are melted as they are:
    // a swap would only cost a round trip and its own input fee. Otherwise swap out exactly what the melt needs.
    const exact = sumAmounts(proofs) === amount + reserve + Number(this.wallet.getFeesForProofs(proofs as never));
    const { keep, send } = exact
      ? { keep: [] as Proof[], send: proofs as unknown as Proof[] }
      : await this.wallet.send(amount + reserve, proofs as unknown as Proof[], { includeFees: true, keysetId });
    step('swapped');
    let change: StoredProof[] = [];
    let state: MeltOutcome['state'] = 'PAID';
    try {
      const res = await this.wallet.meltProofsBolt11(quote, send, { keysetId });
      if (res.quote.state === 'PENDING') {
        await meltRecords(this.conn).updateOne({ _id: record._id }, { $set: { state: 'pending' } });
        return { state: 'PENDING', recordId: String(record._id), paid: 0, change: 0, swapped: !exact };
      }
      // Some mints answer a failed payment 200 with state UNPAID instead of an error: the inputs are unspent.
      if (res.quote.state === 'UNPAID') state = 'FAILED';
      else change = res.change.map(toStoredProof);
    } catch (e) {
      if ((e as { code?: number }).code !== 20004) throw e; // anything but a definite payment failure: recover() decides
      state = 'FAILED';
    }
    step('melted');
    if (state === 'FAILED' && exact) {
      // The sources themselves were offered and are unspent again: release them, as recover() would.
      await Token.updateMany({ _id: { $in: record.source_token_ids } }, { $unset: { 'metadata.reserved_by': '' } });
      await meltRecords(this.conn).updateOne({ _id: record._id }, { $set: { state: 'released', outcome: state } });
      step('closed');
      return { state, recordId: String(record._id), paid: 0, change: 0 };
    }
    const kept = keep.map(toStoredProof);
    // A failed payment leaves `send` unspent at the mint: it is kept, like keep.
    await this.repo.executeAtomicMelt(
      record.source_token_ids.map(String),
      state === 'FAILED' ? [...kept, ...send.map(toStoredProof)] : kept,
      change,
      String(record._id),
      {
        ...this.meta,
        parent_transaction_id: quote.quote,
      },
    );
    step('stored');
    await meltRecords(this.conn).updateOne({ _id: record._id }, { $set: { state: 'closed', outcome: state } });
    step('closed');
    const paid = state === 'PAID' ? amount : 0;
    return { state, recordId: String(record._id), paid, change: sumAmounts(change), swapped: !exact };
  }

  /** Selects and reserves unspent sources and writes the melt record, in one transaction. */
  private async reserve(quoteId: string, invoice: string, amount: number, feeReserve: number) {
    const { Token } = models(this.conn);
    const Records = meltRecords(this.conn);
    const keysetId = this.wallet.keysetId;
    const counterStart = await peekCounter(this.conn, keysetId);
    const session = await this.conn.startSession();
    try {
      let record: InstanceType<typeof Records> | undefined;
      await session.withTransaction(async () => {
        const free = await Token.find(
          { ...this.meta, status: 'unspent', 'metadata.reserved_by': { $exists: false } },
          null,
          { session },
        )
          .sort({ total_amount: -1, _id: 1 })
          .lean();
        const picked: typeof free = [];
        let total = 0;
        const need = () =>
          amount + feeReserve + Number(this.wallet.getFeesForProofs(picked.flatMap((t) => t.proofs as StoredProof[])));
        for (const t of free) {
          if (total >= need()) break;
          picked.push(t);
          total += t.total_amount;
        }
        if (total < need()) throw new InsufficientFundsError(`need ${need()} sat, have ${total}`);
        const [doc] = await Records.create(
          [
            {
              quote: quoteId,
              invoice,
              amount,
              fee_reserve: feeReserve,
              source_token_ids: picked.map((t) => t._id),
              keyset_id: keysetId,
              counter_start: counterStart,
              state: 'reserved',
              ...this.meta,
            },
          ],
          { session },
        );
        const r = await Token.updateMany(
          { _id: { $in: picked.map((t) => t._id) }, status: 'unspent', 'metadata.reserved_by': { $exists: false } },
          { $set: { 'metadata.reserved_by': String(doc._id) } },
          { session },
        );
        if (r.modifiedCount !== picked.length) throw new Error('sources changed under the reservation');
        record = doc;
      }, MELT_TRANSACTION_OPTIONS);
      return record!;
    } finally {
      await session.endSession();
    }
  }
}

/** NUT-02 / NUT-00 12002: outputs on an inactive keyset. */
const inactiveKeyset = (e: unknown) => (e as { code?: number })?.code === 12002;
