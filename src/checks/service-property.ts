import { runServiceProperty } from '../../properties/service/run-service-property.ts';
import { SERVICE_PATHS } from '../../properties/service/service-run.ts';
import { groupAnomalies } from '../checker/group.ts';
import { anomalyFailure } from '../harness/run-scenario.ts';
import type { Failure } from '../report/types.ts';
import { DEFAULT_CHECK_TIMEOUT_MS } from './run-check.ts';
import type { Check, ReplayData } from './types.ts';

const NAME = 'service-property';

/**
 * The generated service stories as a check: one failure per counterexample, each replayable on its own
 * (`meltcheck replay`). Passing needs every coverage path gone through at least once: a profile that never
 * swapped before a melt, never crashed during a swap… is `not-exercised`, not `pass`.
 */
export const serviceProperty: Check = {
  name: NAME,
  kind: 'property',
  level: 'service',
  invariants: ['no-double-count', 'conservation', 'recovery'],
  minimum: { paths: [...SERVICE_PATHS] },
  walletProcesses: true,
  // A story costs about a second here (a mint, a database, often a new wallet process): --profile full's 1,000 stories
  // outlast the runner's 600 s. Three seconds a story, never less than 600 s.
  deadlineMs: (opts) => Math.max(DEFAULT_CHECK_TIMEOUT_MS, Math.ceil(opts.runs / 2) * 3000),
  async run(env, opts) {
    const started = Date.now();
    const skip = (skipReason: string) => ({
      name: NAME,
      kind: 'property' as const,
      status: 'skip' as const,
      skipReason,
      runs: 0,
      durationMs: 0,
      invariants: this.invariants,
      failures: [],
    });
    if (env.mint && env.mint.kind !== 'test')
      return skip(
        `the ${env.mint.kind} mint: the generated stories need the test mint's per-payment Lightning outcomes and its books`,
      );
    // The service-level run count: each run is a whole story against a fresh mint (the repository count / 2).
    const r = await runServiceProperty(env, {
      runs: Math.max(1, Math.ceil(opts.runs / 2)),
      seed: opts.replay?.seed ?? opts.seed,
      path: opts.replay?.path,
      replayPath: opts.replay?.replayPath,
      ignore: opts.replay?.ignore,
      firstOnly: opts.firstFailure,
      shrink: opts.shrink,
    });
    const failures: Failure[] = [];
    for (const [n, cx] of r.counterexamples.entries()) {
      const replay: ReplayData = {
        check: NAME,
        seed: cx.seed,
        path: cx.path,
        replayPath: cx.replayPath,
        ignore: cx.ignore,
      };
      const anomalies = cx.anomalies.length
        ? cx.anomalies
        : [{ invariant: 'recovery' as const, type: 'property-error', message: cx.error ?? 'failed', witness: {} }];
      for (const [i, a] of groupAnomalies(anomalies).entries())
        failures.push({
          ...anomalyFailure(a, NAME),
          ...(cx.anomalies.length ? {} : { invariant: 'expectation' as const }),
          id: `${NAME}#${n + 1}.${i + 1}`,
          message: `${cx.error?.split(':')[0] ?? ''}: ${a.message}`,
          steps: cx.history ?? [],
          witness: { ...a.witness, commands: cx.commands, seed: cx.seed, path: cx.path, replayPath: cx.replayPath },
          replay: `${env.replayBase} --check ${NAME}`,
          replayData: replay,
        });
    }
    return {
      name: NAME,
      kind: 'property',
      status: failures.length ? 'fail' : 'pass',
      runs: r.runs,
      durationMs: Date.now() - started,
      invariants: this.invariants,
      failures,
      stats: { ...r.statistics, counterexamples: r.counterexamples.length },
      ...(r.brokeAfter ? { reason: `after the counterexample(s), the adapter broke: ${r.brokeAfter}` } : {}),
    };
  },
};
