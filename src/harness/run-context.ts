import type { AdapterContext, RepositoryAdapter } from '../adapter/contract.ts';
import { check } from '../checker/check.ts';
import type { Verdict } from '../checker/types.ts';
import { killRunSessions } from '../cluster/run-sessions.ts';
import type { FundValue, MeltValue } from '../history/op.ts';
import { Recorder } from '../history/recorder.ts';
import { proofRefs } from '../proofs/proof.ts';
import type { Failure } from '../report/types.ts';
import { classifyError, errorSummary } from './classify.ts';
import { claimDatabase, type RunEnv, walletAppName } from './env.ts';
import { FakeProofSource } from './proof-source.ts';
import { REFERENCE_MAPPING, readState } from './read-state.ts';
import type { ScenarioContext } from './scenario.ts';

/**
 * One adapter set up in a database of the run's own, with a recorder. `ctx` is what scenarios and properties
 * drive; `verdict()` reads the stored state and checks it against the history so far.
 */
/** The part of an adapter a run drives; an in-process adapter or a wallet process behind IPC. */
export type WalletHandle = Pick<
  RepositoryAdapter,
  'createWallet' | 'createSourceToken' | 'executeAtomicMelt' | 'teardown'
>;

export interface RunOptions {
  /** The URI the wallet connects to (a proxy in front of the cluster); default the cluster's. */
  uri?: string;
  /** How to start the wallet; default: the adapter in this process. */
  startWallet?: (ctx: AdapterContext) => Promise<WalletHandle>;
}

export interface RunContext {
  ctx: ScenarioContext;
  recorder: Recorder;
  dbName: string;
  expectations: Failure[];
  verdict(): Promise<Verdict>;
  /** Empties the wallet's collections and the history, keeping the connection and indexes (fast per-run reset). */
  reset(): Promise<void>;
  /** Stops the current wallet (already dead or not) and starts a new one on the same database. */
  restartWallet(): Promise<void>;
  close(): Promise<void>;
}

export async function openRun(env: RunEnv, name: string, opts: RunOptions = {}): Promise<RunContext> {
  const dbName = await claimDatabase(env, name);
  const appName = walletAppName(env);
  const repo = env.adapter.adapter;
  if (repo.level !== 'repository') throw new Error(`${name} needs a repository-level adapter`);
  const mapping = repo.storage ?? REFERENCE_MAPPING;
  const walletCtx: AdapterContext = { uri: opts.uri ?? env.cluster.uri, dbName, appName, seed: env.seed };
  const startWallet =
    opts.startWallet ??
    (async (c: AdapterContext) => {
      await repo.setup(c);
      return repo;
    });
  let adapter: WalletHandle = await startWallet(walletCtx);
  let recorder = new Recorder();
  let source = new FakeProofSource(env.seed);
  let owners = 0;
  const expectations: Failure[] = [];
  const failPoint = (data: Record<string, unknown>, mode: unknown) =>
    env.admin.db('admin').command({ configureFailPoint: 'failCommand', mode, data: { ...data, appName } });

  const ctx: ScenarioContext = {
    seed: env.seed,
    async owner(label) {
      const npub = `npub1${label}${env.seed}x${owners++}`;
      const mint_url = 'http://mint.meltcheck.test';
      return { npub, mint_url, wallet_id: await adapter.createWallet(npub, mint_url) };
    },
    async fund(meta, label, amounts) {
      const proofs = await source.proofs(`fund/${label}`, amounts);
      const op = recorder.invoke('harness', 'fund', { tokenId: '', proofs: proofRefs(proofs) });
      const tokenId = await adapter.createSourceToken({ ...meta, proofs, transaction_id: `fund-${label}-${env.seed}` });
      const value: FundValue = { tokenId, proofs: proofRefs(proofs) };
      recorder.complete(op, 'ok', { value });
      return { tokenId, proofs, amount: proofs.reduce((s, p) => s + p.amount, 0) };
    },
    proofs: (label, amounts) => source.proofs(label, amounts),
    async melt(process, call) {
      const value: MeltValue = {
        transactionId: call.transactionId,
        sources: call.sources,
        keep: proofRefs(call.keep),
        change: proofRefs(call.change),
      };
      const op = recorder.invoke(process, 'melt', value);
      try {
        await adapter.executeAtomicMelt(call.sources, call.keep, call.change, call.transactionId, call.meta);
        recorder.complete(op, 'ok');
        return { type: 'ok' };
      } catch (e) {
        const type = classifyError(e);
        const error = errorSummary(e);
        recorder.complete(op, type, { error });
        return { type, error };
      }
    },
    failCommand: (data, mode = { times: 1 }) => failPoint(data, mode).then(() => undefined),
    expect(ok, expectation, detail = {}) {
      if (!ok)
        expectations.push({
          id: '',
          invariant: 'expectation',
          check: name,
          type: 'expectation',
          message: expectation,
          steps: [],
          witness: detail,
          replay: '',
        });
    },
  };

  const db = env.admin.db(dbName);
  return {
    get ctx() {
      return ctx;
    },
    get recorder() {
      return recorder;
    },
    dbName,
    expectations,
    async verdict() {
      return check(recorder.history, await readState(db, mapping, source.secrets));
    },
    async restartWallet() {
      await adapter.teardown().catch(() => {});
      adapter = await startWallet(walletCtx);
    },
    async reset() {
      await failPoint({ failCommands: [] }, 'off').catch(() => {});
      // Transactions a killed wallet left open would hold their documents until their lifetime ends.
      await killRunSessions(env.admin, walletAppName(env)).catch(() => 0);
      for (const c of [mapping.tokens, mapping.audit]) await db.collection(c).deleteMany({});
      recorder = new Recorder();
      source = new FakeProofSource(env.seed);
      expectations.length = 0;
    },
    async close() {
      // A teardown that throws is reported (the check errors), but never leaves the run's database behind.
      try {
        await failPoint({ failCommands: [] }, 'off').catch(() => {});
        await killRunSessions(env.admin, walletAppName(env)).catch(() => 0);
        await adapter.teardown();
      } finally {
        await db.dropDatabase();
      }
    },
  };
}
