import type { Anomaly } from './types.ts';

/**
 * One anomaly per (invariant, type): a defect that breaks eight tokens is one finding listing eight tokens, not
 * eight near-identical findings. Witness arrays are merged (deduplicated); other witness fields keep the first value.
 */
export function groupAnomalies(anomalies: readonly Anomaly[]): Anomaly[] {
  const groups = new Map<string, Anomaly[]>();
  for (const a of anomalies) {
    const key = `${a.invariant}\u0000${a.type}`;
    groups.set(key, [...(groups.get(key) ?? []), a]);
  }
  return [...groups.values()].map((g) => {
    if (g.length === 1) return g[0];
    const witness: Anomaly['witness'] = { ...g[0].witness };
    for (const a of g.slice(1))
      for (const [k, v] of Object.entries(a.witness)) {
        const prev = witness[k];
        if (Array.isArray(prev) && Array.isArray(v)) witness[k] = [...new Set([...prev, ...v])];
        else if (prev === undefined) witness[k] = v;
      }
    witness.instances = g.length;
    witness.messages = g.map((a) => a.message);
    return { ...g[0], witness, message: `${g[0].message} (and ${g.length - 1} more of this kind)` };
  });
}
