import type { CounterSource } from '@cashu/cashu-ts';
import type { Connection } from 'mongoose';

/**
 * NUT-13 counters kept in MongoDB and advanced *before* use, so that a crash can never reuse a counter and every
 * output the wallet ever asked the mint to sign can be re-derived and restored (NUT-09).
 */
export function mongoCounterSource(conn: Connection, collection = 'wallet_counters'): CounterSource {
  const c = () => conn.db!.collection<{ _id: string; next: number }>(collection);
  const next = async (keysetId: string) => (await c().findOne({ _id: keysetId }))?.next ?? 0;
  return {
    async reserve(keysetId, n) {
      if (n === 0) return { start: await next(keysetId), count: 0 };
      const before = await c().findOneAndUpdate(
        { _id: keysetId },
        { $inc: { next: n } },
        { upsert: true, returnDocument: 'before' },
      );
      return { start: before?.next ?? 0, count: n };
    },
    async advanceToAtLeast(keysetId, minNext) {
      await c().updateOne({ _id: keysetId }, { $max: { next: minNext } }, { upsert: true });
    },
    async snapshot() {
      const all = await c().find().toArray();
      return Object.fromEntries(all.map((d) => [d._id, d.next]));
    },
  };
}

export async function peekCounter(conn: Connection, keysetId: string, collection = 'wallet_counters'): Promise<number> {
  return (await conn.db!.collection<{ _id: string; next: number }>(collection).findOne({ _id: keysetId }))?.next ?? 0;
}
