import type { AdapterContext } from '../adapter/contract.ts';
import { walletAppName } from '../harness/env.ts';
import { openRun } from '../harness/run-context.ts';
import { WalletProcess } from '../nemesis/child.ts';
import { type FaultPlan, interpret } from '../nemesis/plan.ts';
import { WireProxy } from '../nemesis/proxy.ts';
import { remoteWallet } from '../nemesis/remote-wallet.ts';
import { failuresOf, resultOf } from '../report/failures.ts';
import type { CheckKind, Failure } from '../report/types.ts';
import { learnCommands, type PointResult, pointResult, standardMelt } from './points.ts';
import type { Check } from './types.ts';

export interface Enumeration {
  name: string;
  kind: CheckKind;
  invariants: Check['invariants'];
  minimum: NonNullable<Check['minimum']>;
  /**
   * `process`: the wallet runs in a child process the plans may kill (a new one per point; the proxy counts only
   * its connections, by appName). `in-process`: the adapter runs in the harness, behind the proxy.
   */
  wallet: 'process' | 'in-process';
  /** The faults to run, one melt each, given the commands one melt sends (learned from a dry run). */
  plans(commands: string[]): FaultPlan[];
}

/** How a point is named in reports: the point, the command it hit, and the evidence. */
function describe(plan: FaultPlan, commands: string[]) {
  switch (plan.kind) {
    case 'kill': {
      const { command: k, when } = plan.at;
      return {
        point: `${when} ${k}`,
        command: commands[k],
        tag: `${k}${when[0]}`,
        prefix: `SIGKILL ${when} command ${k} (${commands[k]}): `,
        witness: { crash: { k, when, command: commands[k] } },
      };
    }
    case 'failCommand': {
      const k = plan.at.command;
      return {
        point: `${plan.label} at ${k}`,
        command: commands[k],
        tag: `${k}-${plan.label}-`,
        prefix: `${plan.label} on command ${k} (${commands[k]}): `,
        witness: { fault: { k, kind: plan.label, command: commands[k] } },
      };
    }
    case 'topology':
      return {
        point: plan.label,
        command: plan.action,
        tag: `${plan.label}-`,
        prefix: `${plan.label}: `,
        witness: { fault: plan.label },
      };
    case 'wire':
      return {
        point: plan.label,
        command: plan.at.name,
        tag: `${plan.label}-`,
        prefix: `${plan.label}: `,
        witness: { fault: plan.label },
      };
  }
}

/**
 * The one enumeration every fault check is: learn the commands of one melt, then for each plan run the standard
 * melt with the plan armed through the interpreter, record the fault in the history, and judge every invariant.
 * crash-points, fail-points and wire-faults are plan generators over it.
 */
export function enumeration(e: Enumeration): Check {
  return {
    name: e.name,
    kind: e.kind,
    invariants: e.invariants,
    minimum: e.minimum,
    walletProcesses: e.wallet === 'process',
    async run(env, opts) {
      const started = Date.now();
      const proxy = await WireProxy.fromUri(env.cluster.uri).start();
      const admin = env.admin.db('admin');
      let wallet: WalletProcess | undefined;
      // A spare wallet process starts while the current point runs: a crash point then costs no process start.
      let spare: Promise<WalletProcess> | undefined;
      let spawned = 0;
      // Ends a spare still loading when the check is over: waiting for it to load only to stop it costs ~1 s.
      const done = new AbortController();
      const spawn = (ctx: AdapterContext) =>
        WalletProcess.start(
          env.adapter.spec,
          { ...ctx, appName: `${walletAppName(env)}-w${spawned++}` },
          { registry: env.processes, log: env.walletLog, warm: env.warm, signal: done.signal },
        );
      const run = await openRun(env, e.name, {
        uri: proxy.uri,
        ...(e.wallet === 'process'
          ? {
              startWallet: async (ctx: AdapterContext) => {
                wallet = await (spare ?? spawn(ctx));
                spare = spawn(ctx);
                spare.catch(() => {});
                return remoteWallet([wallet]);
              },
            }
          : {}),
      });
      const points: PointResult[] = [];
      const failures: Failure[] = [];
      try {
        const commands = await learnCommands(run, proxy, wallet?.appName);
        for (const plan of e.plans(commands)) {
          if (opts.firstFailure && failures.length) break;
          if (e.wallet === 'process') await run.restartWallet();
          await run.reset();
          const victim = wallet;
          const hooks = interpret(plan, {
            kill: () => victim?.kill(),
            armFailCommand: (command, data) =>
              admin
                .command({
                  configureFailPoint: 'failCommand',
                  mode: { times: 1 },
                  data: { failCommands: [command], appName: walletAppName(env), ...data },
                })
                .then(() => undefined),
            fired: (p, c) => {
              // The fault is part of the history: reports draw it on the timeline beside the melt it hit.
              const op = run.recorder.invoke('nemesis', p.kind === 'kill' ? 'crash' : 'fault', {
                plan: p.label,
                kind: p.kind,
                command: c.name,
                index: c.index,
              });
              run.recorder.complete(op, 'info');
              if (p.kind === 'kill') env.tally.crashesLanded++;
              if (p.kind === 'wire') env.tally.faultsFired++;
            },
          });
          const { outcome } = await standardMelt(run, `k${plan.label}`, () => proxy.arm(hooks, victim?.appName));
          proxy.disarm();
          if (plan.kind === 'failCommand') {
            // mongod answers 'off' with how often the fail point fired: only faults that hit the wallet count.
            const off = await admin.command({ configureFailPoint: 'failCommand', mode: 'off' });
            env.tally.faultsFired += Number(off.count ?? 0);
          }
          const v = await run.verdict();
          const d = describe(plan, commands);
          points.push(pointResult(d.point, d.command, outcome, v));
          failures.push(
            ...failuresOf(v.anomalies, {
              check: e.name,
              tag: d.tag,
              prefix: d.prefix,
              steps: run.recorder.history,
              witness: d.witness,
              seed: env.seed,
            }),
          );
        }
      } finally {
        done.abort();
        await wallet?.stop().catch(() => {});
        await spare?.then((w) => w.stop()).catch(() => {});
        await run.close().finally(() => proxy.stop()); // the proxy stops even if teardown throws
      }
      return resultOf(e.name, e.kind, started, {
        runs: points.length,
        invariants: e.invariants,
        failures,
        stats: { points: points.length },
        points,
      });
    },
  };
}
