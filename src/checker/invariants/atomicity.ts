import type { Anomaly, CheckInput } from '../types.ts';
import { LIVE } from '../types.ts';

/** Each melt is all-or-nothing in storage: a committed one shows every effect, an aborted one none. */
export function atomicity({ state, melts }: CheckInput): Anomaly[] {
  const out: Anomaly[] = [];
  const stored = new Set(state.tokens.flatMap((t) => t.proofs.map((p) => p.y)));
  const status = new Map(state.tokens.map((t) => [t.id, t.status]));
  const audited = new Set(state.audits.map((a) => a.transactionId));
  const committedYs = new Set(
    melts.filter((m) => m.outcome === 'committed').flatMap((m) => [...m.value.keep, ...m.value.change].map((p) => p.y)),
  );
  const consumedByCommitted = new Set(melts.filter((m) => m.outcome === 'committed').flatMap((m) => m.value.sources));
  const committedIds = new Set(melts.filter((m) => m.outcome === 'committed').map((m) => m.value.transactionId));

  for (const m of melts) {
    const v = m.value;
    const outputs = [...v.keep, ...v.change];
    const effects = {
      sourcesSpent: v.sources.filter((id) => !LIVE.has(status.get(id) ?? 'missing')),
      outputsStored: outputs.filter((p) => stored.has(p.y)).map((p) => p.y),
      audit: audited.has(v.transactionId),
    };
    const witness = { ops: [m.invoke.index], tokens: v.sources, transactionId: v.transactionId, ...effects };
    if (m.outcome === 'committed') {
      const missing: string[] = [];
      if (effects.sourcesSpent.length !== v.sources.length) missing.push('sources still live');
      if (effects.outputsStored.length !== outputs.length) missing.push('keep/change not stored');
      if (missing.length)
        out.push({
          invariant: 'atomicity',
          type: 'partial-commit',
          message: `melt ${v.transactionId} completed but ${missing.join(' and ')}`,
          witness,
        });
    } else {
      const leftovers: string[] = [];
      // Effects shared with a committed melt (the same sources, a retried call) are that melt's, not this one's.
      if (effects.sourcesSpent.some((id) => !consumedByCommitted.has(id))) leftovers.push('sources spent');
      if (effects.outputsStored.some((y) => !committedYs.has(y))) leftovers.push('keep/change stored');
      if (effects.audit && !committedIds.has(v.transactionId)) leftovers.push('audit written');
      if (leftovers.length)
        out.push({
          invariant: 'atomicity',
          type: m.complete?.type === 'fail' ? 'failed-but-applied' : 'partial-abort',
          message: `melt ${v.transactionId} did not commit but left: ${leftovers.join(', ')}`,
          witness,
        });
    }
  }
  return out;
}
