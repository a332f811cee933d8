import { openRun } from '../harness/run-context.ts';
import { type CommandAction, WireProxy } from '../nemesis/proxy.ts';
import { failuresOf, resultOf } from '../report/failures.ts';
import type { Failure } from '../report/types.ts';
import { type PointResult, pointResult, standardMelt } from './points.ts';
import type { Check } from './types.ts';

/** Wire faults for clusters without test commands: what the proxy does to one command of the melt. */
const WIRE_FAULTS: { name: string; target: string; action: CommandAction }[] = [
  { name: 'commit-reply-lost', target: 'commitTransaction', action: 'lose-reply' },
  { name: 'reset-before-commit', target: 'commitTransaction', action: 'reset' },
  { name: 'update-reply-lost', target: 'update', action: 'lose-reply' },
  { name: 'reset-before-insert', target: 'insert', action: 'reset' },
  { name: 'slow-update', target: 'update', action: { delayMs: 200 } },
];

/**
 * Wire faults through the MongoDB-aware proxy: the commit happened but its reply is lost; connections reset
 * before a command; a slow command. Works on any cluster, test commands or not.
 */
export const wireFaults: Check = {
  name: 'wire-faults',
  kind: 'fail-points',
  invariants: ['atomicity', 'idempotency', 'audit', 'conservation'],
  minimum: { committed: 1, faultsFired: 1 },
  async run(env) {
    const started = Date.now();
    const proxy = await WireProxy.fromUri(env.cluster.uri).start();
    const run = await openRun(env, 'wire-faults', { uri: proxy.uri });
    const points: PointResult[] = [];
    const failures: Failure[] = [];
    try {
      for (const f of WIRE_FAULTS) {
        await run.reset();
        let fired = false;
        const { outcome } = await standardMelt(run, f.name, () =>
          proxy.arm({
            onCommand: (c) => {
              if (fired || c.name !== f.target) return 'forward';
              fired = true;
              env.tally.faultsFired++;
              return f.action;
            },
          }),
        );
        proxy.disarm();
        const v = await run.verdict();
        points.push(pointResult(f.name, f.target, outcome, v));
        failures.push(
          ...failuresOf(v.anomalies, {
            check: 'wire-faults',
            tag: `${f.name}-`,
            prefix: `${f.name}: `,
            steps: run.recorder.history,
            witness: { fault: f.name },
            seed: env.seed,
          }),
        );
      }
    } finally {
      await run.close().finally(() => proxy.stop()); // the proxy stops even if teardown throws
    }
    return resultOf('wire-faults', 'fail-points', started, {
      runs: points.length,
      invariants: this.invariants,
      failures,
      stats: { points: points.length },
      points,
    });
  },
};
