import { type Connection, Schema } from 'mongoose';

/** The durable melt record, written before the first mint call; recover() settles every one not closed. */
const meltRecordSchema = new Schema(
  {
    quote: { type: String, required: true },
    invoice: { type: String, required: true },
    amount: { type: Number, required: true },
    fee_reserve: { type: Number, required: true },
    source_token_ids: { type: [Schema.Types.ObjectId], required: true },
    keyset_id: { type: String, required: true },
    /** The wallet's NUT-13 counter before this melt: outputs it asked for are at or after it. */
    counter_start: { type: Number, required: true },
    state: { type: String, enum: ['reserved', 'pending', 'closed', 'released'], required: true },
    outcome: { type: String },
    npub: { type: String, required: true },
    wallet_id: { type: Schema.Types.ObjectId, required: true },
    mint_url: { type: String, required: true },
  },
  { timestamps: true },
);

export function meltRecords(conn: Connection) {
  return conn.models.MeltRecord ?? conn.model('MeltRecord', meltRecordSchema, 'melt_records');
}
