import { runMeltProperty } from '../../properties/run-property.ts';
import { CRASH_SCENARIOS, SCENARIOS, SERVICE_STORIES } from '../../scenarios/index.ts';
import type { Invariant } from '../checker/types.ts';
import { crashPoints } from '../nemesis/crash-points.ts';
import { failPoints } from '../nemesis/fail-points.ts';
import { interleavings } from '../nemesis/interleavings.ts';
import { multiProcessMelts } from '../nemesis/multi-process.ts';
import { serviceCrashPoints } from '../nemesis/service-crash-points.ts';
import { storyCheck } from '../nemesis/service-scenarios.ts';
import { primaryStepdown, w1Rollback } from '../nemesis/topology.ts';
import { wireFaults } from '../nemesis/wire-faults.ts';
import type { CheckKind, CheckResult, Failure } from '../report/types.ts';
import type { RunEnv } from './env.ts';
import { anomalyFailure, runScenario } from './run-scenario.ts';

/** What a failure needs to be run again: the check and its generator state. */
export interface ReplayData {
  check: string;
  seed: number;
  path?: string;
  replayPath?: string;
}

export interface CheckOptions {
  runs: number;
  seed: number;
  replay?: ReplayData;
  /** Stop an enumeration at its first violating point (time to first counterexample). */
  firstFailure?: boolean;
}

/** One entry of the certification: a scenario, a property, or an enumeration. */
export interface Check {
  name: string;
  kind: CheckKind;
  /** Which adapter level the check drives; others are skipped with a reason. */
  level?: 'repository' | 'service';
  /** Runs only with --profile full (too slow for every push). */
  fullOnly?: boolean;
  invariants: Invariant[];
  run(env: RunEnv, opts: CheckOptions): Promise<CheckResult>;
}

const meltProperty: Check = {
  name: 'melt-property',
  kind: 'property',
  invariants: ['no-double-count', 'conservation', 'atomicity', 'audit', 'idempotency'],
  async run(env, opts) {
    const started = Date.now();
    const r = await runMeltProperty(env, {
      runs: opts.runs,
      seed: opts.replay?.seed ?? opts.seed,
      path: opts.replay?.path,
      replayPath: opts.replay?.replayPath,
    });
    const failures: Failure[] = [];
    if (!r.ok) {
      const replay: ReplayData = { check: 'melt-property', seed: r.seed, path: r.path, replayPath: r.replayPath };
      const anomalies = r.anomalies?.length ? r.anomalies : [];
      const base = anomalies.length
        ? anomalies.map((a) => anomalyFailure(a, 'melt-property'))
        : [
            {
              ...anomalyFailure(
                { invariant: 'atomicity', type: 'property-error', message: r.error ?? 'failed', witness: {} },
                'melt-property',
              ),
              invariant: 'expectation' as const,
            },
          ];
      for (const [i, f] of base.entries())
        failures.push({
          ...f,
          id: `melt-property#${i + 1}`,
          steps: r.history ?? [],
          witness: { ...f.witness, commands: r.commands, seed: r.seed, path: r.path, replayPath: r.replayPath },
          replay: `${env.replayBase} --check melt-property`,
          replayData: replay,
        } as Failure);
    }
    return {
      name: 'melt-property',
      kind: 'property',
      status: r.ok ? 'pass' : 'fail',
      runs: r.runs,
      durationMs: Date.now() - started,
      invariants: this.invariants,
      failures,
      stats: { commands: r.commands?.length ?? 0 },
    };
  },
};

export const CHECKS: Check[] = [
  ...SCENARIOS.map(
    (s): Check => ({
      name: s.name,
      kind: 'scenario',
      invariants: s.invariants,
      run: (env) => runScenario(env, s),
    }),
  ),
  ...CRASH_SCENARIOS,
  meltProperty,
  multiProcessMelts,
  interleavings,
  crashPoints,
  failPoints,
  wireFaults,
  primaryStepdown,
  w1Rollback,
  ...SERVICE_STORIES.map(storyCheck),
  serviceCrashPoints('mint'),
  serviceCrashPoints('full'),
];

/** Runs a check, or skips it (with the reason) when the adapter is of the other level. */
export async function runCheck(check: Check, env: RunEnv, opts: CheckOptions): Promise<CheckResult> {
  const level = check.level ?? 'repository';
  if (level === env.adapter.adapter.level) {
    const started = Date.now();
    try {
      return await check.run(env, opts);
    } catch (e) {
      // A check that crashes proves nothing either way: it is reported, never counted as a pass.
      const message = `the check itself failed (harness or environment error): ${String((e as Error)?.message ?? e).split('\n')[0]}`;
      return {
        name: check.name,
        kind: check.kind,
        status: 'fail',
        runs: 0,
        durationMs: Date.now() - started,
        invariants: check.invariants,
        failures: [
          {
            id: `${check.name}#crashed`,
            invariant: 'expectation',
            check: check.name,
            type: 'check-crashed',
            message,
            steps: [],
            witness: {},
            replay: '',
          },
        ],
      };
    }
  }
  return {
    name: check.name,
    kind: check.kind,
    status: 'skip',
    runs: 0,
    durationMs: 0,
    invariants: check.invariants,
    failures: [],
    skipReason: `${level}-level check; adapter ${env.adapter.spec} is ${env.adapter.adapter.level}-level`,
  };
}
