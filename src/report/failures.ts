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
  return anomalies.map((a, i) => ({
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
