import type { AdapterContext } from '../adapter/contract.ts';
import { walletAppName } from '../harness/env.ts';
import { openRun } from '../harness/run-context.ts';
import { WalletProcess } from '../nemesis/child.ts';
import { WireProxy } from '../nemesis/proxy.ts';
import { remoteWallet } from '../nemesis/remote-wallet.ts';
import { failuresOf, resultOf } from '../report/failures.ts';
import type { Failure } from '../report/types.ts';
import { learnCommands, type PointResult, pointResult, standardMelt } from './points.ts';
import type { Check } from './types.ts';

/**
 * Crash-point enumeration (ALICE-style, per database command): the wallet runs in a child process behind the
 * wire proxy; for every command k of one melt, SIGKILL it before k is sent and again after k's reply arrives;
 * then check every invariant (the crashed melt's outcome is unknown: either outcome must explain the state).
 */
export const crashPoints: Check = crashEnumeration('crash-points', 'crash-points', (commands) =>
  commands.flatMap((_, k) => (['before', 'after'] as const).map((when) => ({ k, when }))),
);

/** Where to crash, given the commands one melt sends (learned from a dry run). */
export type CrashSelector = (commands: string[]) => { k: number; when: 'before' | 'after' }[];

/** A crash story or enumeration: the same machinery, at the points `select` picks. */
export function crashEnumeration(
  name: string,
  kind: Check['kind'],
  select: CrashSelector,
  invariants: Check['invariants'] = ['atomicity', 'no-double-count', 'conservation', 'audit'],
): Check {
  return {
    name,
    kind,
    invariants,
    minimum: { committed: 1, crashesLanded: 1 },
    async run(env, opts) {
      const started = Date.now();
      const proxy = await WireProxy.fromUri(env.cluster.uri).start();
      let wallet: WalletProcess | undefined;
      // A spare wallet process starts while the current point runs: a crash point then costs no process start.
      let spare: Promise<WalletProcess> | undefined;
      let started_ = 0;
      const spawn = (ctx: AdapterContext) =>
        WalletProcess.start(
          env.adapter.spec,
          { ...ctx, appName: `${walletAppName(env)}-w${started_++}` },
          { registry: env.processes, log: env.walletLog },
        );
      const run = await openRun(env, name, {
        uri: proxy.uri,
        startWallet: async (ctx) => {
          wallet = await (spare ?? spawn(ctx));
          spare = spawn(ctx);
          spare.catch(() => {});
          return remoteWallet([wallet]);
        },
      });
      const points: PointResult[] = [];
      const failures: Failure[] = [];
      try {
        const commands = await learnCommands(run, proxy, wallet?.appName);
        for (const { k, when } of select(commands)) {
          if (opts.firstFailure && failures.length) break;
          await run.restartWallet();
          await run.reset();
          const victim = wallet!;
          const { outcome } = await standardMelt(run, `k${k}${when[0]}`, () =>
            proxy.arm(
              {
                onCommand: (c) => {
                  if (when === 'before' && c.index === k) {
                    env.tally.crashesLanded++;
                    victim.kill();
                    return 'drop';
                  }
                  return 'forward';
                },
                onReply: (c) => {
                  if (when === 'after' && c.index === k) {
                    env.tally.crashesLanded++;
                    victim.kill();
                  }
                },
              },
              victim.appName,
            ),
          );
          proxy.disarm();
          const v = await run.verdict();
          const p = pointResult(`${when} ${k}`, commands[k], outcome, v);
          points.push(p);
          failures.push(
            ...failuresOf(v.anomalies, {
              check: name,
              tag: `${k}${when[0]}`,
              prefix: `SIGKILL ${when} command ${k} (${commands[k]}): `,
              steps: run.recorder.history,
              witness: { crash: { k, when, command: commands[k] } },
              seed: env.seed,
            }),
          );
        }
      } finally {
        await wallet?.stop().catch(() => {});
        await spare?.then((w) => w.stop()).catch(() => {});
        await run.close().finally(() => proxy.stop()); // the proxy stops even if teardown throws
      }
      return resultOf(name, kind, started, {
        runs: points.length,
        invariants: this.invariants,
        failures,
        stats: { points: points.length, commands: points.length / 2 },
        points,
      });
    },
  };
}
