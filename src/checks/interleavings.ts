import fc from 'fast-check';
import type { RepositoryAdapter } from '../adapter/contract.ts';
import { analyze } from '../checker/check.ts';
import { groupAnomalies } from '../checker/group.ts';
import type { Invariant } from '../checker/types.ts';
import { recordBalanceRead } from '../harness/balance-read.ts';
import { classifyError, errorSummary, outcomeOfResult } from '../harness/classify.ts';
import { AdapterBroke, firstLine, withTimeout } from '../harness/containment.ts';
import type { RunEnv } from '../harness/env.ts';
import { claimDatabase, walletAppName } from '../harness/env.ts';
import { FakeProofSource } from '../harness/proof-source.ts';
import { REFERENCE_MAPPING, readState } from '../harness/read-state.ts';
import { Recorder } from '../history/recorder.ts';
import { WalletProcess } from '../nemesis/child.ts';
import { proofRefs } from '../proofs/proof.ts';
import { failuresOf, resultOf } from '../report/failures.ts';
import type { CheckResult, Failure } from '../report/types.ts';
import type { SimServer } from '../sim/index.ts';
import type { Check, CheckOptions } from './types.ts';

/** What one gated run does: the tokens funded first, then processes melting all of them and reading balances. */
export interface InterleavingShape {
  name: string;
  invariants: Invariant[];
  /** Amounts of each source token funded before the gate is held. */
  funds: number[][];
  /** Wallet processes that each melt every funded token (only one may win). */
  melters: number;
  /** Wallet processes that each read the owner's balance once, through the gate like the melts. */
  readers: number;
}

/**
 * Command-level interleavings on the simulator: several wallet processes melt the same sources (and, with
 * readers, read the balance) while the simulator's command gate holds every command they send; a generated
 * schedule picks which process's command runs next. The choice is made only when every process has a command
 * waiting (or is done), so the same schedule replays the same interleaving exactly.
 */
export async function runInterleavings(
  env: RunEnv,
  opts: CheckOptions,
  shape: InterleavingShape,
): Promise<CheckResult> {
  const { name, invariants } = shape;
  const PROCESSES = shape.melters + shape.readers;
  {
    const started = Date.now();
    const sim = (env.cluster as { server?: SimServer }).server;
    if (env.cluster.kind !== 'sim' || !sim)
      return {
        name,
        kind: 'property',
        status: 'skip',
        runs: 0,
        durationMs: 0,
        invariants,
        failures: [],
        skipReason: 'the command gate exists only on the simulator',
      };
    const dbName = await claimDatabase(env, 'interleavings');
    const prefix = walletAppName(env);
    const procs = await Promise.all(
      Array.from({ length: PROCESSES }, (_, i) =>
        WalletProcess.start(
          env.adapter.spec,
          {
            uri: env.cluster.uri,
            dbName,
            appName: `${prefix}-p${i}`,
            seed: env.seed,
          },
          { registry: env.processes, log: env.walletLog, warm: env.warm },
        ),
      ),
    );
    const db = env.admin.db(dbName);
    const mapping = (env.adapter.adapter as RepositoryAdapter).storage ?? REFERENCE_MAPPING;
    type Found = {
      history: Recorder['history'];
      message: string;
      schedule: number[];
      anomalies: ReturnType<typeof analyze>['anomalies'];
    };
    let last: Found | undefined;
    let steps = 0;
    const npub = env.generators.npub(0);
    const mint_url = env.generators.mintUrl();
    const meta = { npub, mint_url, wallet_id: await procs[0].call<string>('createWallet', npub, mint_url) };
    // The anomaly kind a search is shrinking (a smaller schedule must show the same kind), and kinds reported.
    let target: string | undefined;
    const ignore = new Set<string>(opts.replay?.ignore ?? []);
    const kindOf = (a: { invariant: string; type: string }) => `${a.invariant}/${a.type}`;
    let runNo = 0;
    let broke: AdapterBroke | undefined;
    const property = fc.asyncProperty(
      fc.array(fc.nat(PROCESSES - 1), { minLength: 10, maxLength: 60 }),
      async (schedule) => {
        for (const c of [mapping.tokens, mapping.audit]) await db.collection(c).deleteMany({});
        runNo++;
        const recorder = new Recorder();
        const source = new FakeProofSource(env.seed);
        const p0 = procs[0];
        const fund = async (label: string, amounts: number[]) => {
          const proofs = await source.proofs(`il/${label}`, amounts);
          const op = recorder.invoke('harness', 'fund', { tokenId: '', proofs: proofRefs(proofs) });
          const tokenId = await p0.call<string>('createSourceToken', {
            ...meta,
            proofs,
            transaction_id: env.generators.transactionId(`il/fund/${label}/${runNo}`),
          });
          recorder.complete(op, 'ok', { value: { tokenId, proofs: proofRefs(proofs) } });
          return tokenId;
        };
        const sources: string[] = [];
        for (const [n, amounts] of shape.funds.entries())
          sources.push(await fund(String.fromCharCode(97 + n), amounts));
        const gate = sim.gate;
        gate.filter = (c) => Boolean(c.appName?.startsWith(prefix));
        gate.hold();
        const done = new Set<number>();
        const melts = procs.slice(0, shape.melters).map(async (proc, i) => {
          const keep = await source.proofs(`il/keep${i}`, [1]);
          const change = await source.proofs(`il/change${i}`, [2]);
          const value = {
            transactionId: env.generators.transactionId(`il/melt/${runNo}/${i}`),
            sources,
            keep: proofRefs(keep),
            change: proofRefs(change),
          };
          const op = recorder.invoke(`p${i}`, 'melt', value);
          const t = env.tally.meltStarted(sources, change.length);
          try {
            const res = await withTimeout(
              'executeAtomicMelt',
              proc.call('executeAtomicMelt', sources, keep, change, value.transactionId, meta),
              env.opTimeoutMs,
            );
            const refused = outcomeOfResult(res);
            recorder.complete(op, refused ? 'fail' : 'ok', refused ? { error: refused } : {});
            env.tally.meltEnded(t, refused ? 'fail' : 'ok', refused?.message);
          } catch (e) {
            const type = classifyError(e);
            recorder.complete(op, type, { error: errorSummary(e) });
            env.tally.meltEnded(t, type, errorSummary(e).message);
            if (e instanceof AdapterBroke) broke ??= e;
          } finally {
            done.add(i);
          }
        });
        const reads = procs.slice(shape.melters).map(async (proc, j) => {
          const i = shape.melters + j;
          try {
            const call = (owner: unknown) => proc.call('balance', owner);
            await recordBalanceRead(recorder, env.tally, `r${j}`, meta, call, env.opTimeoutMs);
          } catch (e) {
            if (e instanceof AdapterBroke) broke ??= e;
          } finally {
            done.add(i);
          }
        });
        try {
          for (let step = 0; done.size < PROCESSES; step++) {
            // Wait until every live process waits at the gate or, inside the server, for another's transaction:
            // only then is the choice the schedule's and not the machine's speed (no timer decides it).
            const limit = Date.now() + env.opTimeoutMs;
            const unsettled = () => procs.findIndex((_, i) => !done.has(i) && !gate.settled(`${prefix}-p${i}`));
            for (let late = unsettled(); late >= 0 && !broke; late = unsettled()) {
              if (Date.now() > limit)
                broke = new AdapterBroke(
                  `wallet process p${late} neither sent its next command nor finished within ${env.opTimeoutMs} ms`,
                );
              else await new Promise((r) => setTimeout(r, 1));
            }
            if (broke) break;
            const pending = gate.pending();
            if (pending.length === 0) {
              await new Promise((r) => setTimeout(r, 1));
              continue;
            }
            const want = `${prefix}-p${schedule[step % schedule.length]}`;
            const mine = pending.findIndex((p) => p.appName === want);
            gate.step(
              mine >= 0 ? mine : pending.findIndex((p) => p.appName === [...pending.map((q) => q.appName!)].sort()[0]),
            );
            steps++;
            env.tally.scheduled++;
          }
        } finally {
          gate.open();
          await Promise.all([...melts, ...reads]);
        }
        if (broke) throw broke;
        const v = analyze(recorder.history, await readState(db, mapping, source.secrets));
        const fresh = v.anomalies.filter((x) => !ignore.has(kindOf(x)));
        // While shrinking, a schedule counts as failing only if it shows the kind being shrunk.
        const shown = target ? fresh.filter((x) => kindOf(x) === target) : fresh;
        if (v.valid !== true && (shown.length || (!v.anomalies.length && v.error))) {
          if (!target && shown.length) target = kindOf(shown[0]);
          const message = v.error ?? shown.map((x) => `[${x.invariant}] ${x.message}`).join('; ');
          last = { history: recorder.history, message, schedule, anomalies: shown };
          throw new Error(message);
        }
      },
    );
    const failures: Failure[] = [];
    let runs = 0;
    try {
      let left = Math.max(5, Math.min(opts.runs, 40));
      // Each search shrinks one anomaly kind; the next goes on ignoring the kinds already reported.
      for (let search = 0; search < (opts.replay ? 1 : 3) && left > 0; search++) {
        target = undefined;
        last = undefined;
        const seed = opts.replay?.seed ?? opts.seed + search;
        const details = await fc.check(property, {
          numRuns: left,
          seed,
          path: opts.replay?.path,
          endOnFailure: opts.shrink === false,
        });
        if (broke) throw broke;
        runs += details.numRuns;
        left -= details.numRuns;
        if (!details.failed) break;
        const found = last as Found | undefined;
        if (!found) throw new Error(`the interleaving property could not run: ${firstLine(details.errorInstance)}`);
        const reported = [...ignore];
        for (const f of failuresOf(groupAnomalies(found.anomalies), {
          check: name,
          tag: `${search + 1}.`,
          prefix: `schedule [${found.schedule.join(',')}]: `,
          steps: found.history,
          witness: { schedule: found.schedule },
        }))
          failures.push({
            ...f,
            replayData: {
              check: name,
              seed: details.seed,
              path: details.counterexamplePath ?? undefined,
              ignore: reported,
            },
          });
        if (!found.anomalies.length || opts.firstFailure) break;
        for (const a of found.anomalies) ignore.add(kindOf(a));
      }
    } finally {
      sim.gate.open();
      for (const p of procs) await p.stop().catch(() => {});
      await db.dropDatabase();
    }
    return resultOf(name, 'property', started, {
      runs,
      invariants,
      failures,
      stats: { processes: PROCESSES, ...(shape.readers ? { readers: shape.readers } : {}), commandsScheduled: steps },
    });
  }
}

/** Three wallet processes melting the same two tokens, their commands in generated orders. */
export const interleavings: Check = {
  name: 'interleavings',
  kind: 'property',
  invariants: ['no-double-count', 'conservation', 'atomicity', 'audit'],
  minimum: { committed: 1, overlapping: 1, scheduled: 1 },
  walletProcesses: true,
  run(env, opts) {
    return runInterleavings(env, opts, {
      name: 'interleavings',
      invariants: this.invariants,
      funds: [[8, 2], [4]],
      melters: 3,
      readers: 0,
    });
  },
};
