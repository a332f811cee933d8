import type { AdapterContext } from '../adapter/contract.ts';
import { analyze } from '../checker/check.ts';
import type { Verdict } from '../checker/types.ts';
import { killRunSessions } from '../cluster/run-sessions.ts';
import type { FundValue, MeltValue } from '../history/op.ts';
import { Recorder } from '../history/recorder.ts';
import type { WalletHandle } from '../nemesis/remote-wallet.ts';
import { proofRefs } from '../proofs/proof.ts';
import type { Failure } from '../report/types.ts';
import { recordBalanceRead } from './balance-read.ts';
import { classifyError, errorSummary, outcomeOfResult } from './classify.ts';
import { AdapterBroke, firstLine, OpTimeout, withTimeout } from './containment.ts';
import { claimDatabase, type RunEnv, walletAppName } from './env.ts';
import { FakeProofSource } from './proof-source.ts';
import { REFERENCE_MAPPING, readState } from './read-state.ts';
import type { ScenarioContext } from './scenario.ts';

/**
 * One adapter set up in a database of the run's own, with a recorder. `ctx` is what scenarios and properties
 * drive; `verdict()` reads the stored state and checks it against the history so far.
 */
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
  // A factory adapter gives each run a wallet of its own; a module singleton is shared (runs are sequential).
  const repo = env.adapter.create();
  if (repo.level !== 'repository') throw new Error(`${name} needs a repository-level adapter`);
  const mapping = repo.storage ?? REFERENCE_MAPPING;
  const walletCtx: AdapterContext = { uri: opts.uri ?? env.cluster.uri, dbName, appName, seed: env.seed };
  const startWallet =
    opts.startWallet ??
    (async (c: AdapterContext) => {
      await repo.setup(c);
      return repo;
    });
  let recorder = new Recorder();
  let source = new FakeProofSource(env.seed);
  let owners = 0;
  const expectations: Failure[] = [];
  const failPoint = async (data: Record<string, unknown>, mode: unknown) => {
    const r = await env.admin
      .db('admin')
      .command({ configureFailPoint: 'failCommand', mode, data: { ...data, appName } });
    // Turning the fail point off answers how often it fired since it was armed: faults that reached the wallet.
    if (mode === 'off') env.tally.faultsFired += Number(r.count ?? 0);
    return r;
  };
  /** A call into the wallet outside a melt: bounded, and a throw there is the adapter breaking, not a verdict. */
  const call = async <T>(what: string, p: () => Promise<T>): Promise<T> => {
    try {
      return await env.timing.measure('walletMs', () => withTimeout(what, p(), env.opTimeoutMs));
    } catch (e) {
      if (e instanceof OpTimeout) env.tally.opTimeouts++;
      if (e instanceof AdapterBroke) throw e;
      throw new AdapterBroke(`${what} threw: ${firstLine(e)}`);
    }
  };

  let adapter: WalletHandle = await call('setup', () => startWallet(walletCtx));
  const ctx: ScenarioContext = {
    seed: env.seed,
    async owner(_label) {
      const npub = env.generators.npub(owners++);
      const mint_url = env.generators.mintUrl();
      return { npub, mint_url, wallet_id: await call('createWallet', () => adapter.createWallet(npub, mint_url)) };
    },
    async fund(meta, label, amounts) {
      const proofs = await source.proofs(`fund/${label}`, amounts);
      const op = recorder.invoke('harness', 'fund', { tokenId: '', proofs: proofRefs(proofs) });
      const tokenId = await call('createSourceToken', () =>
        adapter.createSourceToken({ ...meta, proofs, transaction_id: env.generators.transactionId(`fund/${label}`) }),
      );
      const value: FundValue = { tokenId, proofs: proofRefs(proofs) };
      recorder.complete(op, 'ok', { value });
      return { tokenId, proofs, amount: proofs.reduce((s, p) => s + p.amount, 0) };
    },
    proofs: (label, amounts) => source.proofs(label, amounts),
    async melt(process, m) {
      // Scenarios name melts by label; the wallet sees a realistic id, the same one for the same label.
      const transactionId = env.generators.transactionId(m.transactionId);
      const value: MeltValue = {
        transactionId,
        sources: m.sources,
        keep: proofRefs(m.keep),
        change: proofRefs(m.change),
      };
      const op = recorder.invoke(process, 'melt', value);
      const t = env.tally.meltStarted(m.sources, m.change.length);
      try {
        const result = await env.timing.measure('walletMs', () =>
          withTimeout(
            'executeAtomicMelt',
            adapter.executeAtomicMelt(m.sources, m.keep, m.change, transactionId, m.meta),
            env.opTimeoutMs,
          ),
        );
        const refused = outcomeOfResult(result);
        if (refused) {
          recorder.complete(op, 'fail', { error: refused });
          env.tally.meltEnded(t, 'fail', refused.message);
          return { type: 'fail', error: refused };
        }
        recorder.complete(op, 'ok');
        env.tally.meltEnded(t, 'ok');
        return { type: 'ok' };
      } catch (e) {
        const type = classifyError(e);
        const error = errorSummary(e);
        recorder.complete(op, type, { error });
        env.tally.meltEnded(t, type, error.message);
        // A wallet that does not answer (or exits) is broken, not judged: the check stops and ends `error`.
        if (e instanceof OpTimeout) env.tally.opTimeouts++;
        if (e instanceof AdapterBroke) throw e;
        return { type, error };
      }
    },
    get hasBalance() {
      return typeof adapter.balance === 'function';
    },
    async balance(process, meta) {
      if (!adapter.balance) throw new Error('the adapter has no balance()');
      const read = adapter.balance.bind(adapter);
      const owner = { npub: meta.npub, wallet_id: meta.wallet_id, mint_url: meta.mint_url };
      return env.timing.measure('walletMs', () =>
        recordBalanceRead(recorder, env.tally, process, owner, read, env.opTimeoutMs),
      );
    },
    async failCommand(data, mode = { times: 1 }) {
      const r = await failPoint(data, mode);
      // Faults belong to the history: armed, and (when turned off) how often they hit the wallet.
      const op = recorder.invoke(
        'nemesis',
        'fault',
        mode === 'off' ? { off: true, fired: Number(r.count ?? 0) } : { failCommand: data, mode },
      );
      recorder.complete(op, 'info');
    },
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
      return env.timing.measure('checkerMs', async () =>
        analyze(recorder.history, await readState(db, mapping, source.secrets)),
      );
    },
    async restartWallet() {
      await withTimeout('teardown', adapter.teardown(), env.opTimeoutMs).catch(() => {});
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
      await failPoint({ failCommands: [] }, 'off').catch(() => {});
      await killRunSessions(env.admin, walletAppName(env)).catch(() => 0);
      try {
        await call('teardown', () => adapter.teardown());
      } finally {
        await db.dropDatabase();
      }
    },
  };
}
