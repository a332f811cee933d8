import type { Anomaly, CheckInput } from '../types.ts';

/** One audit record per committed melt, none for an aborted one, no proof secrets in any. */
export function audit({ state, melts }: CheckInput): Anomaly[] {
  const out: Anomaly[] = [];
  const count = new Map<string, number>();
  for (const a of state.audits) count.set(a.transactionId, (count.get(a.transactionId) ?? 0) + 1);
  const committed = new Set(melts.filter((m) => m.outcome === 'committed').map((m) => m.value.transactionId));
  for (const id of committed)
    if ((count.get(id) ?? 0) !== 1)
      out.push({
        invariant: 'audit',
        type: 'audit-count',
        message: `committed melt ${id} has ${count.get(id) ?? 0} audit records (want 1)`,
        witness: {
          transactionId: id,
          ops: melts.filter((m) => m.value.transactionId === id).map((m) => m.invoke.index),
        },
      });
  for (const [id, n] of count)
    if (!committed.has(id))
      out.push({
        invariant: 'audit',
        type: 'audit-without-melt',
        message: `${n} audit record(s) for melt ${id}, which did not commit`,
        witness: { transactionId: id },
      });
  for (const a of state.audits)
    if (a.leakedYs.length)
      out.push({
        invariant: 'audit',
        type: 'secret-in-audit',
        message: `audit ${a.id} of melt ${a.transactionId} contains ${a.leakedYs.length} proof secret(s)`,
        witness: { ys: a.leakedYs, audit: a.id },
      });
  return out;
}
