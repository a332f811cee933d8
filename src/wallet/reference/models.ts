import mongoose, { type Connection, Schema } from 'mongoose';

export const TOKEN_STATUSES = ['unspent', 'spent', 'pending', 'failed'] as const;
export const TRANSACTION_TYPES = ['received', 'sent', 'minted', 'change'] as const;

const proofSchema = new Schema(
  {
    id: { type: String, required: true },
    amount: { type: Number, required: true, min: 1, validate: Number.isInteger },
    secret: { type: String, required: true },
    C: { type: String, required: true },
    dleq: { type: { e: String, s: String, r: String }, required: false, _id: false },
    witness: { type: String, required: false },
  },
  { _id: false },
);

/** A token document of the seed's world: a batch of proofs with one status. */
const tokenSchema = new Schema(
  {
    npub: { type: String, required: true, index: true },
    wallet_id: { type: Schema.Types.ObjectId, required: true, index: true },
    mint_url: { type: String, required: true },
    proofs: { type: [proofSchema], required: true },
    total_amount: { type: Number, required: true, min: 0 },
    status: { type: String, enum: TOKEN_STATUSES, required: true, default: 'unspent', index: true },
    transaction_type: { type: String, enum: TRANSACTION_TYPES, required: true },
    transaction_id: { type: String, required: true, unique: true },
    metadata: { type: Schema.Types.Mixed, default: {} },
    spent_at: { type: Date, required: false },
  },
  { timestamps: true, minimize: false },
);
tokenSchema.pre('validate', function (this: { proofs: { amount: number }[]; total_amount: number }) {
  // total_amount is derived, never trusted from the caller.
  this.total_amount = this.proofs.reduce((s, p) => s + p.amount, 0);
});

const walletSchema = new Schema(
  {
    npub: { type: String, required: true },
    mint_url: { type: String, required: true },
    name: { type: String, default: 'default' },
  },
  { timestamps: true },
);
walletSchema.index({ npub: 1, mint_url: 1 }, { unique: true });

/** One record per committed melt; proofs appear only as Y = hash_to_curve(secret). */
const auditSchema = new Schema(
  {
    transaction_id: { type: String, required: true, unique: true },
    operation: { type: String, required: true, default: 'atomic_melt' },
    npub: { type: String, required: true },
    wallet_id: { type: Schema.Types.ObjectId, required: true },
    mint_url: { type: String, required: true },
    parent_transaction_id: { type: String, required: false },
    source_token_ids: { type: [Schema.Types.ObjectId], required: true },
    source_amount: { type: Number, required: true },
    consumed_ys: { type: [String], required: true },
    keep_token_id: { type: Schema.Types.ObjectId, default: null },
    keep_amount: { type: Number, required: true },
    keep_ys: { type: [String], required: true },
    melt_change_token_id: { type: Schema.Types.ObjectId, default: null },
    melt_change_amount: { type: Number, required: true },
    melt_change_ys: { type: [String], required: true },
  },
  { timestamps: { createdAt: 'created_at', updatedAt: false } },
);

export const COLLECTIONS = { tokens: 'tokens', wallets: 'wallets', audit: 'melt_audit' } as const;

export function models(conn: Connection) {
  return {
    Token: conn.models.Token ?? conn.model('Token', tokenSchema, COLLECTIONS.tokens),
    Wallet: conn.models.Wallet ?? conn.model('Wallet', walletSchema, COLLECTIONS.wallets),
    MeltAudit: conn.models.MeltAudit ?? conn.model('MeltAudit', auditSchema, COLLECTIONS.audit),
  };
}

export type Models = ReturnType<typeof models>;
export const { ObjectId } = mongoose.Types;
