import { runMeltProperty } from '../../properties/run-property.ts';
import { groupAnomalies } from '../checker/group.ts';
import { anomalyFailure } from '../harness/run-scenario.ts';
import type { Failure } from '../report/types.ts';
import type { Check, ReplayData } from './types.ts';

/** The model-based property as a check: one failure per counterexample, each replayable on its own. */
export const meltProperty: Check = {
  name: 'melt-property',
  kind: 'property',
  invariants: ['no-double-count', 'conservation', 'atomicity', 'audit', 'idempotency'],
  minimum: { committed: 1, overlapping: 1 },
  async run(env, opts) {
    const started = Date.now();
    const r = await runMeltProperty(env, {
      runs: opts.runs,
      seed: opts.replay?.seed ?? opts.seed,
      path: opts.replay?.path,
      replayPath: opts.replay?.replayPath,
      ignore: opts.replay?.ignore,
      firstOnly: opts.firstFailure,
    });
    const failures: Failure[] = [];
    for (const [n, cx] of r.counterexamples.entries()) {
      const replay: ReplayData = {
        check: 'melt-property',
        seed: cx.seed,
        path: cx.path,
        replayPath: cx.replayPath,
        ignore: cx.ignore,
      };
      const anomalies = cx.anomalies.length
        ? cx.anomalies
        : [{ invariant: 'atomicity' as const, type: 'property-error', message: cx.error ?? 'failed', witness: {} }];
      for (const [i, a] of groupAnomalies(anomalies).entries())
        failures.push({
          ...anomalyFailure(a, 'melt-property'),
          ...(cx.anomalies.length ? {} : { invariant: 'expectation' as const }),
          id: `melt-property#${n + 1}.${i + 1}`,
          steps: cx.history ?? [],
          witness: { ...a.witness, commands: cx.commands, seed: cx.seed, path: cx.path, replayPath: cx.replayPath },
          replay: `${env.replayBase} --check melt-property`,
          replayData: replay,
        });
    }
    return {
      name: 'melt-property',
      kind: 'property',
      status: failures.length ? 'fail' : 'pass',
      runs: r.runs,
      durationMs: Date.now() - started,
      invariants: this.invariants,
      failures,
      stats: { ...r.statistics, counterexamples: r.counterexamples.length },
    };
  },
};
