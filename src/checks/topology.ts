import type { AdapterContext } from '../adapter/contract.ts';
import type { TopologyControl } from '../cluster/topology.ts';
import { walletAppName } from '../harness/env.ts';
import { openRun, type RunContext } from '../harness/run-context.ts';
import type { MeltOutcome } from '../harness/scenario.ts';
import type { MeltValue } from '../history/op.ts';
import { WalletProcess } from '../nemesis/child.ts';
import { interpretTopology, type TopologyPlan } from '../nemesis/plan.ts';
import { remoteWallet } from '../nemesis/remote-wallet.ts';
import { failuresOf, resultOf } from '../report/failures.ts';
import type { CheckResult, Failure } from '../report/types.ts';
import { type PointResult, pointResult } from './points.ts';
import type { Check } from './types.ts';

const INVARIANTS: Check['invariants'] = ['atomicity', 'conservation', 'no-double-count', 'audit', 'idempotency'];

function skipped(name: string, reason: string): CheckResult {
  return {
    name,
    kind: 'fail-points',
    status: 'skip',
    runs: 0,
    durationMs: 0,
    invariants: INVARIANTS,
    failures: [],
    skipReason: reason,
  };
}

/** Why a topology check cannot run on this cluster, if it cannot. */
function cannotRun(env: Parameters<Check['run']>[0]): string | undefined {
  if (env.cluster.members < 3)
    return 'needs a 3-member replica set (--members 3 with --cluster sim, memory or docker); this cluster has one member: no elections, no rollback';
  if (!env.cluster.disruptive)
    return 'a stepdown disrupts every user of a server meltcheck did not start: pass --allow-disruptive';
  if (!env.cluster.topology)
    return `topology faults are not implemented for --cluster ${env.cluster.kind} (use sim, memory or docker with --members 3)`;
  return undefined;
}

/** The one-melt story every plan runs: two funded sources, keep and change, funded on a majority. */
async function prepare(run: RunContext, label: string) {
  const meta = await run.ctx.owner(label);
  const a = await run.ctx.fund(meta, `${label}-a`, [8, 2]);
  const b = await run.ctx.fund(meta, `${label}-b`, [16]);
  const keep = await run.ctx.proofs(`${label}/keep`, [4, 1]);
  const change = await run.ctx.proofs(`${label}/change`, [2]);
  return { sources: [a.tokenId, b.tokenId], keep, change, transactionId: `melt-${label}`, meta };
}

/** Rolled-back documents of this run's database, tied to the melts whose ids or sources they carry. */
function rollbacksOf(topology: TopologyControl, from: number, run: RunContext) {
  const docs = topology
    .rollbacks()
    .slice(from)
    .filter((d) => d.db === run.dbName);
  const melts = run.recorder.history
    .filter((o) => o.f === 'melt' && o.type === 'invoke')
    .map((o) => o.value as MeltValue);
  const hit = new Set<string>();
  for (const d of docs) {
    const text = JSON.stringify(d.doc ?? {});
    for (const m of melts) if (m.sources.includes(d.id) || text.includes(m.transactionId)) hit.add(m.transactionId);
  }
  return { documents: docs.length, collections: [...new Set(docs.map((d) => d.collection))], melts: [...hit] };
}

/**
 * Topology checks are plan generators over one runner: for each plan, fund a melt on a majority, pause
 * replication if the plan says so, start the melt, and once its write is on the primary (acknowledged, or waiting
 * for its write concern) run the plan's fault — stepdown, kill, partition — through the interpreter; the set is
 * made whole again, the melt's outcome awaited, rollbacks recorded in the history, and every invariant judged.
 * Every melt the wallet acknowledged must survive the failover.
 */
function topologyCheck(name: string, plans: TopologyPlan[]): Check {
  return {
    name,
    kind: 'fail-points',
    invariants: INVARIANTS,
    minimum: { committed: 1, faultsFired: 1 },
    async run(env, opts) {
      const why = cannotRun(env);
      if (why) return skipped(name, why);
      const topology = env.cluster.topology!;
      const started = Date.now();
      const electionsAtStart = topology.elections();
      const points: PointResult[] = [];
      const failures: Failure[] = [];
      // Plans that kill the wallet run it in child processes (two: the one that dies, the one that retries).
      let procs: WalletProcess[] = [];
      let pick = 0;
      let spawned = 0;
      const spawn = (ctx: AdapterContext) =>
        WalletProcess.start(
          env.adapter.spec,
          { ...ctx, appName: `${walletAppName(env)}-t${spawned++}` },
          { registry: env.processes, log: env.walletLog },
        );
      const runs: { plain?: RunContext; processes?: RunContext } = {};
      const cannot = new Set<string>(topology.unsupported ?? []);
      const runnable = plans.filter((p) => !cannot.has(p.action));
      const left = plans.filter((p) => !runnable.includes(p)).map((p) => p.label);
      if (!runnable.length) return skipped(name, `this cluster cannot run ${[...cannot].join(', ')}`);
      const runFor = async (plan: TopologyPlan) => {
        if (!plan.crashWallet) return (runs.plain ??= await openRun(env, name));
        runs.processes ??= await openRun(env, `${name}-p`, {
          startWallet: async (ctx) => {
            procs = await Promise.all([spawn(ctx), spawn(ctx)]);
            return remoteWallet(procs, () => pick);
          },
        });
        return runs.processes;
      };
      try {
        for (const plan of runnable) {
          if (opts?.firstFailure && failures.length) break;
          await topology.restore();
          const run = await runFor(plan);
          if (plan.crashWallet) await run.restartWallet();
          await run.reset();
          const melt = await prepare(run, plan.label);
          await topology.awaitReplication();
          const mark = topology.rollbacks().length;
          const electionsBefore = topology.elections();
          if (plan.pauseReplication) await topology.pauseReplication();
          pick = 0;
          const first = run.ctx.melt('p0', melt);
          const cue = new AbortController();
          const at = plan.at;
          await Promise.race([
            first,
            at.melt === 'answered'
              ? new Promise((r) => setTimeout(r, at.boundMs))
              : topology.awaitWriteWaiting(cue.signal),
          ]);
          cue.abort();
          const fired = (what: string) => {
            const op = run.recorder.invoke('nemesis', 'fault', { plan: plan.label, kind: 'topology', action: what });
            run.recorder.complete(op, 'info');
            env.tally.faultsFired++;
          };
          let outcome: Promise<MeltOutcome> = first;
          if (plan.crashWallet) {
            // The app dies while its melt waits for the majority; the user asks for the same melt again.
            fired('kill-wallet');
            procs[0]?.kill();
            env.tally.crashesLanded++;
            await first;
            pick = 1;
            const waiting = await topology.writesWaiting(); // the dead process's commit still waits
            outcome = run.ctx.melt('p1', melt);
            const retry = new AbortController();
            await Promise.race([outcome, topology.awaitWriteWaiting(retry.signal, waiting)]);
            retry.abort();
          }
          fired(plan.action);
          await interpretTopology(plan, topology);
          await topology.restore();
          const last = await outcome;
          await first;
          const rolledBack = rollbacksOf(topology, mark, run);
          if (rolledBack.documents) {
            // A rollback is part of the history: the report draws it beside the melts it undid.
            const op = run.recorder.invoke('nemesis', 'fault', {
              kind: 'topology',
              action: 'rollback',
              documents: rolledBack.documents,
              melts: rolledBack.melts.join(', ') || 'none',
              rollback: rolledBack,
            });
            run.recorder.complete(op, 'info');
          }
          const v = await run.verdict();
          const topo = {
            plan: plan.label,
            action: plan.action,
            elections: topology.elections() - electionsBefore,
            rolledBack,
          };
          points.push({ ...pointResult(plan.label, plan.action, last, v) });
          failures.push(
            ...failuresOf(v.anomalies, {
              check: name,
              tag: `${plan.label}-`,
              prefix: `${plan.label} (${describe(plan)}): `,
              steps: run.recorder.history,
              witness: { topology: topo },
              seed: env.seed,
            }),
          );
        }
      } finally {
        await topology.restore().catch(() => {});
        for (const r of [runs.plain, runs.processes]) await r?.close();
      }
      return resultOf(name, 'fail-points', started, {
        runs: points.length,
        invariants: INVARIANTS,
        failures,
        stats: { points: points.length, elections: topology.elections() - electionsAtStart },
        ...(left.length ? { note: `left out (this cluster cannot run them): ${left.join(', ')}` } : {}),
        points,
      });
    },
  };
}

function describe(p: TopologyPlan): string {
  const paused = p.pauseReplication ? 'replication paused, ' : '';
  const crash = p.crashWallet ? 'the wallet died while waiting and the melt was retried, then ' : '';
  const when =
    p.at.melt === 'answered'
      ? `once the wallet answered the melt (or ${p.at.boundMs} ms)`
      : "once the melt's write was on the primary";
  return `${paused}${crash}${p.action} ${when}`;
}

const plan = (label: string, action: TopologyPlan['action'], extra: Partial<TopologyPlan> = {}): TopologyPlan => ({
  kind: 'topology',
  label,
  at: { melt: 'write-on-primary' },
  action,
  pauseReplication: true,
  ...extra,
});

/**
 * The primary steps down while a melt's commit waits for the majority: with the secondaries caught up (the
 * commit survives, yet the wallet hears PrimarySteppedDown: its outcome is unknown to it) and forced (the commit
 * is rolled back). No double count, nothing lost, every melt acknowledged with majority survives.
 */
export const primaryStepdown: Check = topologyCheck('primary-stepdown', [
  plan('stepdown-caught-up', 'stepdown-catch-up'),
  plan('stepdown-forced', 'stepdown-force'),
  // An election slower than a fail-fast driver's server selection: the commit's outcome reaches the wallet as
  // unknown (PrimarySteppedDown, then no primary for the driver's retry), though the commit survived.
  plan('stepdown-slow-election', 'stepdown-catch-up', { electionMs: 1500 }),
  // Forced once the wallet answered (or 2 s): a commit it called done without a majority is rolled back.
  plan('stepdown-forced-after-answer', 'stepdown-force', { at: { melt: 'answered', boundMs: 2000 } }),
]);

/**
 * Writes on the primary alone are lost when it fails: melts run with replication to the secondaries paused, the
 * primary is killed (or cut off from the majority) and a secondary is elected. Every melt the wallet acknowledged
 * must still be there; a melt retried after its first process died must not be acknowledged on the strength of
 * writes that were then rolled back.
 */
export const w1Rollback: Check = topologyCheck('w1-rollback', [
  plan('kill-primary', 'kill-primary'),
  plan('partition-primary', 'partition-primary'),
  plan('retry-after-crash', 'kill-primary', { crashWallet: true }),
  // A wallet whose commit gives up waiting for the majority (a wtimeout) and calls the melt done anyway: the primary
  // dies only after the wallet answered, so what it acknowledged must be on a majority.
  plan('kill-primary-after-answer', 'kill-primary', { at: { melt: 'answered', boundMs: 2000 } }),
]);
