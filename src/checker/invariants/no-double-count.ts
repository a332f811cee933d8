import type { Anomaly, CheckInput } from '../types.ts';
import { LIVE } from '../types.ts';

/** No proof is live in two places; no consumed proof is stored live or again; no source is consumed twice. */
export function noDoubleCount({ state, funded, melts }: CheckInput): Anomaly[] {
  const out: Anomaly[] = [];
  const where = new Map<string, string[]>();
  for (const t of state.tokens)
    if (LIVE.has(t.status)) for (const p of t.proofs) where.set(p.y, [...(where.get(p.y) ?? []), t.id]);
  for (const [y, tokens] of where)
    if (tokens.length > 1)
      out.push({
        invariant: 'no-double-count',
        type: 'proof-live-twice',
        message: `proof ${y.slice(0, 12)}… is live in ${tokens.length} places`,
        witness: { ys: [y], tokens },
      });

  const committed = melts.filter((m) => m.outcome === 'committed');
  const consumedBy = new Map<string, number[]>();
  for (const m of committed)
    for (const id of m.value.sources) consumedBy.set(id, [...(consumedBy.get(id) ?? []), m.invoke.index]);
  for (const [id, ops] of consumedBy)
    if (ops.length > 1)
      out.push({
        invariant: 'no-double-count',
        type: 'source-consumed-twice',
        message: `source token ${id} was consumed by ${ops.length} committed melts`,
        witness: { ops, tokens: [id] },
      });

  const consumedYs = new Map<string, string>();
  for (const id of consumedBy.keys()) for (const p of funded.get(id) ?? []) consumedYs.set(p.y, id);
  for (const t of state.tokens) {
    const again = t.proofs.filter((p) => consumedYs.has(p.y) && consumedYs.get(p.y) !== t.id);
    if (again.length)
      out.push({
        invariant: 'no-double-count',
        type: 'consumed-proof-stored',
        message: `token ${t.id} (${t.transactionType}, ${t.status}) stores ${again.length} consumed proof(s) again`,
        witness: { tokens: [t.id], ys: again.map((p) => p.y) },
      });
  }
  return out;
}
