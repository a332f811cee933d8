import { groupAnomalies } from '../checker/group.ts';
import type { Anomaly } from '../checker/types.ts';
import type { History } from '../history/op.ts';
import type { CheckKind, CheckResult, Failure } from './types.ts';

/** Turns a checker's anomalies into report failures of one check (ids `<check>#<tag><n>`). */
export function failuresOf(
  anomalies: Anomaly[],
  o: {
    check: string;
    tag?: string;
    prefix?: string;
    steps?: History;
    witness?: Record<string, unknown>;
    seed?: number;
  },
): Failure[] {
  return groupAnomalies(anomalies).map((a, i) => ({
    id: `${o.check}#${o.tag ?? ''}${i + 1}`,
    invariant: a.invariant,
    check: o.check,
    type: a.type,
    message: `${o.prefix ?? ''}${a.message}`,
    steps: o.steps ? [...o.steps] : [],
    witness: { ...a.witness, ...o.witness },
    replay: '',
    ...(o.seed !== undefined ? { replayData: { check: o.check, seed: o.seed } } : {}),
  }));
}

/** A check's result: failed iff it has failures. */
export function resultOf(
  name: string,
  kind: CheckKind,
  started: number,
  r: Pick<CheckResult, 'invariants' | 'failures' | 'runs'> & Partial<CheckResult>,
): CheckResult {
  return { name, kind, status: r.failures.length ? 'fail' : 'pass', durationMs: Date.now() - started, ...r };
}

/**
 * One failure per (invariant, type) of a check: an enumeration that breaks the same way at twelve points is one
 * finding listing the twelve, not twelve findings. The first instance keeps its steps and replay data.
 */
export function groupFailures(failures: readonly Failure[]): Failure[] {
  const groups = new Map<string, Failure[]>();
  for (const f of failures) {
    const key = `${f.check}\u0000${f.invariant}\u0000${f.type}`;
    groups.set(key, [...(groups.get(key) ?? []), f]);
  }
  return [...groups.values()].map((g) => {
    if (g.length === 1) return g[0];
    const witness: Record<string, unknown> = { ...g[0].witness };
    for (const f of g.slice(1))
      for (const [k, v] of Object.entries(f.witness)) {
        const prev = witness[k];
        if (Array.isArray(prev) && Array.isArray(v)) witness[k] = [...new Set([...prev, ...v])];
      }
    witness.instances = g.length;
    witness.also = g.slice(1).map((f) => ({ id: f.id, message: f.message }));
    return { ...g[0], witness, message: `${g[0].message} (and ${g.length - 1} more like it)` };
  });
}
