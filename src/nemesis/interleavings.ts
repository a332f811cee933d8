import fc from 'fast-check';
import type { RepositoryAdapter } from '../adapter/contract.ts';
import { check } from '../checker/check.ts';
import type { Check } from '../harness/checks.ts';
import { classifyError, errorSummary } from '../harness/classify.ts';
import { claimDatabase, walletAppName } from '../harness/env.ts';
import { FakeProofSource } from '../harness/proof-source.ts';
import { REFERENCE_MAPPING, readState } from '../harness/read-state.ts';
import { Recorder } from '../history/recorder.ts';
import { proofRefs } from '../proofs/proof.ts';
import { failuresOf, resultOf } from '../report/failures.ts';
import type { Failure } from '../report/types.ts';
import type { SimServer } from '../sim/server.ts';
import { WalletProcess } from './child.ts';

const PROCESSES = 3;

/**
 * Command-level interleavings on the simulator: several wallet processes melt the same sources while the
 * simulator's command gate holds every command they send; a generated schedule picks which process's command
 * runs next. The choice is made only when every process has a command waiting (or is done), so the same
 * schedule replays the same interleaving exactly.
 */
export const interleavings: Check = {
  name: 'interleavings',
  kind: 'property',
  invariants: ['no-double-count', 'conservation', 'atomicity', 'audit'],
  async run(env, opts) {
    const started = Date.now();
    const sim = (env.cluster as { server?: SimServer }).server;
    if (env.cluster.kind !== 'sim' || !sim)
      return {
        name: 'interleavings',
        kind: 'property',
        status: 'skip',
        runs: 0,
        durationMs: 0,
        invariants: this.invariants,
        failures: [],
        skipReason: 'the command gate exists only on the simulator',
      };
    const dbName = await claimDatabase(env, 'interleavings');
    const prefix = walletAppName(env);
    const procs = await Promise.all(
      Array.from({ length: PROCESSES }, (_, i) =>
        WalletProcess.start(env.adapter.spec, {
          uri: env.cluster.uri,
          dbName,
          appName: `${prefix}-p${i}`,
          seed: env.seed,
        }),
      ),
    );
    const db = env.admin.db(dbName);
    const mapping = (env.adapter.adapter as RepositoryAdapter).storage ?? REFERENCE_MAPPING;
    let last:
      | {
          history: Recorder['history'];
          message: string;
          schedule: number[];
          anomalies: ReturnType<typeof check>['anomalies'];
        }
      | undefined;
    let steps = 0;
    const npub = `npub1il${env.seed}`;
    const meta = {
      npub,
      mint_url: 'http://mint.meltcheck.test',
      wallet_id: await procs[0].call<string>('createWallet', npub, 'http://mint.meltcheck.test'),
    };
    let runNo = 0;
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
            transaction_id: `il-${label}-${runNo}`,
          });
          recorder.complete(op, 'ok', { value: { tokenId, proofs: proofRefs(proofs) } });
          return tokenId;
        };
        const a = await fund('a', [8, 2]);
        const b = await fund('b', [4]);
        const gate = sim.gate;
        gate.filter = (c) => Boolean(c.appName?.startsWith(prefix));
        gate.hold();
        const done = new Set<number>();
        const melts = procs.map(async (proc, i) => {
          const keep = await source.proofs(`il/keep${i}`, [1]);
          const change = await source.proofs(`il/change${i}`, [2]);
          const value = {
            transactionId: `il-melt-${i}`,
            sources: [a, b],
            keep: proofRefs(keep),
            change: proofRefs(change),
          };
          const op = recorder.invoke(`p${i}`, 'melt', value);
          try {
            await proc.call('executeAtomicMelt', [a, b], keep, change, value.transactionId, meta);
            recorder.complete(op, 'ok');
          } catch (e) {
            recorder.complete(op, classifyError(e), { error: errorSummary(e) });
          } finally {
            done.add(i);
          }
        });
        try {
          for (let step = 0; done.size < PROCESSES; step++) {
            // Wait until every live process has a command at the gate: only then is the choice deterministic.
            const deadline = Date.now() + 500;
            while (Date.now() < deadline) {
              const waiting = new Set(gate.pending().map((p) => p.appName));
              if (procs.every((_, i) => done.has(i) || waiting.has(`${prefix}-p${i}`))) break;
              await new Promise((r) => setTimeout(r, 1));
            }
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
          }
        } finally {
          gate.open();
          await Promise.all(melts);
        }
        const v = check(recorder.history, await readState(db, mapping, source.secrets));
        if (v.valid !== true) {
          const message = v.error ?? v.anomalies.map((x) => `[${x.invariant}] ${x.message}`).join('; ');
          last = { history: recorder.history, message, schedule, anomalies: v.anomalies };
          throw new Error(message);
        }
      },
    );
    const failures: Failure[] = [];
    let runs = 0;
    try {
      const details = await fc.check(property, {
        numRuns: Math.max(5, Math.min(opts.runs, 40)),
        seed: opts.replay?.seed ?? opts.seed,
        path: opts.replay?.path,
      });
      runs = details.numRuns;
      if (details.failed && !last)
        failures.push({
          id: 'interleavings#error',
          invariant: 'expectation',
          check: 'interleavings',
          type: 'harness-error',
          message: `the interleaving property could not run: ${String((details.errorInstance as Error)?.message ?? details.errorInstance).split('\n')[0]}`,
          steps: [],
          witness: {},
          replay: '',
        });
      if (details.failed && last)
        for (const f of failuresOf(last.anomalies, {
          check: 'interleavings',
          prefix: `schedule [${last.schedule.join(',')}]: `,
          steps: last.history,
          witness: { schedule: last.schedule },
        }))
          failures.push({
            ...f,
            replayData: { check: 'interleavings', seed: details.seed, path: details.counterexamplePath ?? undefined },
          });
    } finally {
      sim.gate.open();
      for (const p of procs) await p.stop().catch(() => {});
      await db.dropDatabase();
    }
    return resultOf('interleavings', 'property', started, {
      runs,
      invariants: this.invariants,
      failures,
      stats: { processes: PROCESSES, commandsScheduled: steps },
    });
  },
};
