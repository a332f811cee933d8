import { walletAppName } from '../harness/env.ts';
import { openRun } from '../harness/run-context.ts';
import { WalletProcess } from '../nemesis/child.ts';
import { remoteWallet } from '../nemesis/remote-wallet.ts';
import { failuresOf, resultOf } from '../report/failures.ts';
import type { Failure } from '../report/types.ts';
import type { Check } from './types.ts';

const PROCESSES = 2;
const PER_PROCESS = 4;

/**
 * Real concurrency: 8 sessions from 2 wallet processes melt the same two source tokens at once, free-running
 * (no gate). At most one may win; every invariant must hold.
 */
export const multiProcessMelts: Check = {
  name: 'multi-process-melts',
  kind: 'scenario',
  invariants: ['no-double-count', 'conservation', 'atomicity', 'audit'],
  minimum: { committed: 1, overlapping: 1 },
  walletProcesses: true,
  async run(env) {
    const started = Date.now();
    const procs: WalletProcess[] = [];
    const run = await openRun(env, 'multi-process', {
      startWallet: async (ctx) => {
        for (let i = 0; i < PROCESSES; i++)
          procs.push(
            await WalletProcess.start(
              env.adapter.spec,
              { ...ctx, appName: `${walletAppName(env)}-p${i}` },
              { registry: env.processes, log: env.walletLog, warm: env.warm },
            ),
          );
        let next = 0;
        return remoteWallet(procs, () => next++);
      },
    });
    const failures: Failure[] = [];
    let won = 0;
    try {
      const meta = await run.ctx.owner('mp');
      const a = await run.ctx.fund(meta, 'mp-a', [8, 4]);
      const b = await run.ctx.fund(meta, 'mp-b', [2]);
      const calls = await Promise.all(
        Array.from({ length: PROCESSES * PER_PROCESS }, async (_, i) => ({
          sources: [a.tokenId, b.tokenId],
          keep: await run.ctx.proofs(`mp/keep${i}`, [1]),
          change: await run.ctx.proofs(`mp/change${i}`, [2]),
          transactionId: `mp-${i}`,
          meta,
        })),
      );
      const results = await Promise.all(calls.map((c, i) => run.ctx.melt(`p${i % PROCESSES}.s${i}`, c)));
      won = results.filter((r) => r.type === 'ok').length;
      const v = await run.verdict();
      failures.push(
        ...failuresOf(v.anomalies, { check: 'multi-process-melts', steps: run.recorder.history, seed: env.seed }),
      );
    } finally {
      await run.close();
    }
    return resultOf('multi-process-melts', 'scenario', started, {
      runs: 1,
      invariants: this.invariants,
      failures,
      stats: { processes: PROCESSES, sessions: PROCESSES * PER_PROCESS, won },
    });
  },
};
