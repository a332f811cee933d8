import type { GeneratorOverrides } from '../harness/generators.ts';
import type { StoredProof } from '../proofs/proof.ts';

/** What both levels may declare so that a report identifies the wallet and a replay can rebuild its setting. */
export interface AdapterIdentity {
  /**
   * Environment variables the wallet reads. Their values go into report.json (a `secret` one only as "set" or
   * "unset") and `meltcheck replay` restores the non-secret ones.
   */
  env?: (string | { name: string; secret?: boolean })[];
  /** The wallet code's identity (its version, commit, or a hash of its sources): two versions never look alike. */
  fingerprint?(): string | Promise<string>;
  /** Overrides of the generated inputs, for wallets whose validation wants other shapes (see README). */
  generators?: GeneratorOverrides;
}

/** What the harness gives an adapter at setup. The adapter must use exactly this database and appName. */
export interface AdapterContext {
  /** Connection string of the cluster (no database in it). */
  uri: string;
  /** The run's own database: the adapter must not touch any other. */
  dbName: string;
  /** Set it as the driver's appName: fail points target the wallet by it, never the harness. */
  appName: string;
  /** The test mint's URL (service level). */
  mintUrl?: string;
  seed: number;
  /**
   * A declared crash point: call it (and await it) just before and just after each of the wallet's own storage
   * writes (sqlite, files, anything meltcheck cannot see on the wire), e.g. `await ctx.crashPoint?.('before
   * write proofs.json')`. When meltcheck runs the wallet in a child process, its crash enumeration kills the
   * process at each such point in turn and names the point in the report; anywhere else it resolves at once.
   * Labels should be stable (no ids or amounts in them): a point is the label's n-th call within one operation.
   */
  crashPoint?(label: string): Promise<void>;
}

export interface MeltMetadata {
  npub: string;
  wallet_id: string;
  mint_url: string;
  parent_transaction_id?: string;
}

/** Whose balance a read asks for: the melt metadata's owner fields. */
export type BalanceOwner = Pick<MeltMetadata, 'npub' | 'wallet_id' | 'mint_url'>;

/** A balance as the wallet would show it to its user. meltcheck judges `spendable + pending` (what it holds). */
export interface BalanceReading {
  spendable: number;
  pending?: number;
}

/** A source token the harness asks the wallet to store before melting it. */
export interface SourceToken {
  npub: string;
  wallet_id: string;
  mint_url: string;
  proofs: StoredProof[];
  transaction_id: string;
}

/** A stored token as the harness reads it, for adapters whose schema differs from the reference. */
export interface MappedToken {
  id: string;
  status: string;
  transactionType: string;
  transactionId?: string;
  proofs: { secret: string; amount: number }[];
}

/** How the harness reads an adapter's collections. Omit it when the schema is the reference's. */
export interface StorageMapping {
  tokens: string;
  audit: string;
  toToken(doc: Record<string, any>): MappedToken;
  auditTransactionId(doc: Record<string, any>): string;
}

/** Repository level: the seed's contract, exactly. */
export interface RepositoryAdapter extends AdapterIdentity {
  level: 'repository';
  name: string;
  setup(ctx: AdapterContext): Promise<void>;
  /** Creates a wallet document for an owner and returns its id (the melt's metadata.wallet_id). */
  createWallet(npub: string, mintUrl: string): Promise<string>;
  /** Stores a source token document and returns its id. */
  createSourceToken(token: SourceToken): Promise<string>;
  /**
   * Resolve when the melt applied (the seed's `{ success: true, ... }`). Not applied: throw, or resolve
   * `{ success: false }`. Unknown outcome: throw a network/write-concern error, one labelled
   * UnknownTransactionCommitResult, or any error with `indeterminate: true`.
   */
  executeAtomicMelt(
    sourceTokenIds: string[],
    keepProofs: StoredProof[],
    meltChangeProofs: StoredProof[],
    transactionId: string,
    metadata: MeltMetadata,
  ): Promise<unknown>;
  /**
   * Optional: the owner's balance exactly as the wallet would show it (a number, or `{ spendable, pending? }`),
   * read while melts are in flight. It must be the balance of one state: one aggregation, or several queries in one
   * snapshot session. Without it the `balance-reads` check is skipped, with that reason.
   */
  balance?(owner: BalanceOwner): Promise<number | BalanceReading>;
  storage?: StorageMapping;
  teardown(): Promise<void>;
}

/** A proof as a service-level wallet reports it: enough for the mint to value it. */
export interface HeldProof {
  id: string;
  amount: number;
  secret: string;
  C: string;
}

/** Service level: storage-agnostic, covers the mint calls too (where a crash loses real money). */
export interface ServiceAdapter extends AdapterIdentity {
  level: 'service';
  name: string;
  /** ctx.mintUrl is the test mint; the wallet may keep any state it likes in ctx.dbName. */
  setup(ctx: AdapterContext): Promise<void>;
  fund(amount: number): Promise<void>;
  melt(invoice: string): Promise<unknown>;
  /** Settles whatever a crash left unfinished; returns a free-form account of what it found and did. */
  recover(): Promise<unknown>;
  /** The proofs the wallet can spend (reserved and in-flight proofs excluded when it offers `pending`). */
  holdings(): Promise<HeldProof[]>;
  /**
   * Optional: the proofs reserved by a melt or in flight. Each must be unspent at the mint or an input of a melt
   * the mint reports pending; after recover() nothing may stay pending unless the mint reports the quote PENDING.
   */
  pending?(): Promise<HeldProof[]>;
  teardown(): Promise<void>;
}

export type Adapter = RepositoryAdapter | ServiceAdapter;

/**
 * Or export a factory, `export default () => defineAdapter({...})`, keeping connections in the closure: each call
 * is a wallet of its own, so the harness can hold several wallets of one adapter in one process.
 */
export type AdapterFactory = () => Adapter;

/** Identity with type checking: `export default defineAdapter({...})`. */
export function defineAdapter<T extends RepositoryAdapter | ServiceAdapter>(adapter: T): T {
  return adapter;
}

const REQUIRED: Record<Adapter['level'], string[]> = {
  repository: ['setup', 'createWallet', 'createSourceToken', 'executeAtomicMelt', 'teardown'],
  service: ['setup', 'fund', 'melt', 'recover', 'holdings', 'teardown'],
};

/** Names what is missing or wrong, in one line; undefined when the shape is right. */
export function adapterShapeError(candidate: unknown): string | undefined {
  if (!candidate || typeof candidate !== 'object')
    return 'the module has no default export (or `adapter` export) object';
  const a = candidate as Record<string, unknown>;
  if (a.level !== 'repository' && a.level !== 'service')
    return `level must be 'repository' or 'service', got ${JSON.stringify(a.level)}`;
  if (typeof a.name !== 'string' || !a.name) return 'name must be a non-empty string';
  const missing = REQUIRED[a.level].filter((f) => typeof a[f] !== 'function');
  if (missing.length) return `missing function(s): ${missing.join(', ')}`;
  if (a.balance !== undefined && typeof a.balance !== 'function') return 'balance must be a function';
  if (a.pending !== undefined && typeof a.pending !== 'function') return 'pending must be a function';
  if (a.fingerprint !== undefined && typeof a.fingerprint !== 'function') return 'fingerprint must be a function';
  if (a.env !== undefined && !Array.isArray(a.env)) return 'env must be an array of variable names';
  if (a.generators !== undefined && (typeof a.generators !== 'object' || !a.generators))
    return 'generators must be an object of functions';
  return undefined;
}
