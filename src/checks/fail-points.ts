import { walletAppName } from '../harness/env.ts';
import { openRun } from '../harness/run-context.ts';
import { type CommandAction, WireProxy } from '../nemesis/proxy.ts';
import { failuresOf, resultOf } from '../report/failures.ts';
import type { Failure } from '../report/types.ts';
import { learnCommands, type PointResult, pointResult, standardMelt } from './points.ts';
import type { Check } from './types.ts';

/** The failCommand kinds armed at each boundary (writeConcernError only where mongod can return it: the commit). */
export const FAIL_KINDS: Record<string, (command: string) => Record<string, unknown> | undefined> = {
  'write-conflict': () => ({ errorCode: 112, errorLabels: ['TransientTransactionError'] }),
  'close-connection': () => ({ closeConnection: true }),
  'write-concern-error': (c) =>
    c === 'commitTransaction'
      ? { writeConcernError: { code: 64, errmsg: 'waiting for replication timed out' } }
      : undefined,
  'block-connection': () => ({ blockConnection: true, blockTimeMS: 50 }),
};

/**
 * failCommand at every boundary: for each command k of one melt and each kind, the wire proxy holds command k
 * while the harness arms the fail point (times: 1, that command, the wallet's appName), then lets it through —
 * "skip k, fail once" exactly, on the simulator and on any mongod with enableTestCommands.
 */
export const failPoints: Check = {
  name: 'fail-points',
  kind: 'fail-points',
  invariants: ['atomicity', 'no-double-count', 'conservation', 'audit', 'idempotency'],
  minimum: { committed: 1, faultsFired: 1 },
  async run(env) {
    const started = Date.now();
    const proxy = await WireProxy.fromUri(env.cluster.uri).start();
    const run = await openRun(env, 'fail-points', { uri: proxy.uri });
    const admin = env.admin.db('admin');
    const points: PointResult[] = [];
    const failures: Failure[] = [];
    try {
      const commands = await learnCommands(run, proxy);
      for (let k = 0; k < commands.length; k++) {
        for (const [kind, make] of Object.entries(FAIL_KINDS)) {
          const data = make(commands[k]);
          if (!data) continue;
          await run.reset();
          const { outcome } = await standardMelt(run, `k${k}-${kind}`, () =>
            proxy.arm({
              onCommand: async (c): Promise<CommandAction> => {
                if (c.index === k)
                  await admin.command({
                    configureFailPoint: 'failCommand',
                    mode: { times: 1 },
                    data: { failCommands: [c.name], appName: walletAppName(env), ...data },
                  });
                return 'forward';
              },
            }),
          );
          proxy.disarm();
          // mongod answers 'off' with how often the fail point fired: only faults that hit the wallet count.
          const off = await admin.command({ configureFailPoint: 'failCommand', mode: 'off' });
          env.tally.faultsFired += Number(off.count ?? 0);
          const v = await run.verdict();
          points.push(pointResult(`${kind} at ${k}`, commands[k], outcome, v));
          failures.push(
            ...failuresOf(v.anomalies, {
              check: 'fail-points',
              tag: `${k}-${kind}-`,
              prefix: `${kind} on command ${k} (${commands[k]}): `,
              steps: run.recorder.history,
              witness: { fault: { k, kind, command: commands[k] } },
              seed: env.seed,
            }),
          );
        }
      }
    } finally {
      await run.close().finally(() => proxy.stop()); // the proxy stops even if teardown throws
    }
    return resultOf('fail-points', 'fail-points', started, {
      runs: points.length,
      invariants: this.invariants,
      failures,
      stats: { points: points.length },
      points,
    });
  },
};
