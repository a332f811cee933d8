import { runMeltProperty } from '../../properties/run-property.ts';
import { groupAnomalies } from '../checker/group.ts';
import type { Invariant } from '../checker/types.ts';
import type { RunEnv } from '../harness/env.ts';
import { anomalyFailure } from '../harness/run-scenario.ts';
import type { CheckResult, Failure } from '../report/types.ts';
import type { Check, CheckOptions, ReplayData } from './types.ts';

/**
 * The model-based property as a check result: one failure per counterexample, each replayable on its own.
 * `reads` adds the balance-read commands (the `balance-reads` check runs it so).
 */
export async function propertyCheck(
  env: RunEnv,
  opts: CheckOptions,
  o: { name: string; invariants: Invariant[]; reads?: boolean; ignore?: string[]; afterStep?: () => Promise<void> },
): Promise<CheckResult> {
  const started = Date.now();
  const r = await runMeltProperty(env, {
    runs: opts.runs,
    seed: opts.replay?.seed ?? opts.seed,
    path: opts.replay?.path,
    replayPath: opts.replay?.replayPath,
    ignore: opts.replay?.ignore ?? o.ignore,
    firstOnly: opts.firstFailure,
    shrink: opts.shrink,
    reads: o.reads,
    afterStep: o.afterStep,
  });
  const failures: Failure[] = [];
  for (const [n, cx] of r.counterexamples.entries()) {
    const replay: ReplayData = {
      check: o.name,
      seed: cx.seed,
      path: cx.path,
      replayPath: cx.replayPath,
      ignore: cx.ignore,
      ...(o.reads ? { part: 'property' as const } : {}),
    };
    const anomalies = cx.anomalies.length
      ? cx.anomalies
      : [{ invariant: 'atomicity' as const, type: 'property-error', message: cx.error ?? 'failed', witness: {} }];
    for (const [i, a] of groupAnomalies(anomalies).entries())
      failures.push({
        ...anomalyFailure(a, o.name),
        ...(cx.anomalies.length ? {} : { invariant: 'expectation' as const }),
        id: `${o.name}#${n + 1}.${i + 1}`,
        steps: cx.history ?? [],
        witness: { ...a.witness, commands: cx.commands, seed: cx.seed, path: cx.path, replayPath: cx.replayPath },
        replay: `${env.replayBase} --check ${o.name}`,
        replayData: replay,
      });
  }
  return {
    name: o.name,
    kind: 'property',
    status: failures.length ? 'fail' : 'pass',
    runs: r.runs,
    durationMs: Date.now() - started,
    invariants: o.invariants,
    failures,
    stats: { ...r.statistics, counterexamples: r.counterexamples.length },
  };
}

/** The model-based property as a check: one failure per counterexample, each replayable on its own. */
export const meltProperty: Check = {
  name: 'melt-property',
  kind: 'property',
  invariants: ['no-double-count', 'conservation', 'atomicity', 'audit', 'idempotency'],
  minimum: { committed: 1, overlapping: 1 },
  run(env, opts) {
    return propertyCheck(env, opts, { name: 'melt-property', invariants: this.invariants });
  },
};
