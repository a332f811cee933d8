import type { Anomaly, CheckInput } from '../types.ts';

/** The same transactionId never applies twice: at most one call per id may complete as applied. */
export function idempotency({ melts, state }: CheckInput): Anomaly[] {
  const out: Anomaly[] = [];
  const byId = new Map<string, typeof melts>();
  for (const m of melts) byId.set(m.value.transactionId, [...(byId.get(m.value.transactionId) ?? []), m]);
  const stored = new Set(state.tokens.flatMap((t) => t.proofs.map((p) => p.y)));
  for (const [id, calls] of byId) {
    if (calls.length < 2) continue;
    // A call applied if it committed, or if outputs only it carries are in storage.
    const applied = calls.filter((m) => {
      const own = [...m.value.keep, ...m.value.change].filter(
        (p) => !calls.some((o) => o !== m && [...o.value.keep, ...o.value.change].some((q) => q.y === p.y)),
      );
      return m.outcome === 'committed' || own.some((p) => stored.has(p.y));
    });
    // A true retry (same sources, same outputs) applying once is indistinguishable from one call: count effects.
    const signatures = new Set(
      applied.map((m) =>
        JSON.stringify([[...m.value.sources].sort(), [...m.value.keep, ...m.value.change].map((p) => p.y).sort()]),
      ),
    );
    if (signatures.size > 1)
      out.push({
        invariant: 'idempotency',
        type: 'applied-twice',
        message: `transactionId ${id} was applied by ${applied.length} calls`,
        witness: { transactionId: id, ops: applied.map((m) => m.invoke.index) },
      });
  }
  return out;
}
