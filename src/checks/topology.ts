import { openRun } from '../harness/run-context.ts';
import { failuresOf, resultOf } from '../report/failures.ts';
import type { Failure } from '../report/types.ts';
import { standardMelt } from './points.ts';
import type { Check } from './types.ts';

function skip(name: string, reason: string) {
  return {
    name,
    kind: 'fail-points' as const,
    status: 'skip' as const,
    runs: 0,
    durationMs: 0,
    invariants: ['atomicity', 'conservation'] as never,
    failures: [],
    skipReason: reason,
  };
}

/**
 * Topology faults on a real 3-member replica set (memory or docker): the primary steps down while melts run.
 * Every melt must end all-or-nothing, whatever the driver retried. Needs a real cluster: the simulator has
 * one member and no elections.
 */
export const primaryStepdown: Check = {
  name: 'primary-stepdown',
  kind: 'fail-points',
  invariants: ['atomicity', 'conservation', 'no-double-count', 'audit'],
  async run(env) {
    if (!env.cluster.real || env.cluster.members < 3)
      return skip(
        'primary-stepdown',
        'needs a real 3-member replica set (--cluster memory|docker --members 3); this backend has one member and no elections',
      );
    if (!env.cluster.disruptive)
      return skip(
        'primary-stepdown',
        'a stepdown disrupts every user of a server meltcheck did not start: pass --allow-disruptive',
      );
    const started = Date.now();
    const run = await openRun(env, 'stepdown');
    const failures: Failure[] = [];
    try {
      const melts = Array.from({ length: 4 }, (_, i) => standardMelt(run, `sd${i}`));
      await new Promise((r) => setTimeout(r, 20));
      await env.admin
        .db('admin')
        .command({ replSetStepDown: 10, force: true })
        .catch(() => {}); // the connection drops: expected
      await Promise.allSettled(melts);
      const v = await run.verdict();
      failures.push(
        ...failuresOf(v.anomalies, { check: 'primary-stepdown', steps: run.recorder.history, seed: env.seed }),
      );
    } finally {
      await run.close();
    }
    return resultOf('primary-stepdown', 'fail-points', started, {
      runs: 1,
      invariants: this.invariants,
      failures,
    });
  },
};
