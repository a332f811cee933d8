import { check } from '../checker/check.ts';
import type { Anomaly } from '../checker/types.ts';
import type { FundValue, MeltValue } from '../history/op.ts';
import { Recorder } from '../history/recorder.ts';
import { proofY } from '../proofs/proof.ts';
import type { CheckResult, Failure } from '../report/types.ts';
import { classifyError, errorSummary } from './classify.ts';
import { claimDatabase, type RunEnv, walletAppName } from './env.ts';
import { FakeProofSource } from './proof-source.ts';
import { REFERENCE_MAPPING, readState } from './read-state.ts';
import type { Scenario, ScenarioContext } from './scenario.ts';

const refs = (proofs: { secret: string; amount: number }[]) =>
  proofs.map((p) => ({ y: proofY(p.secret), amount: p.amount }));

/** Runs one scenario in a database of its own, then checks every invariant over its history and stored state. */
export async function runScenario(env: RunEnv, scenario: Scenario): Promise<CheckResult> {
  const started = Date.now();
  const dbName = await claimDatabase(env, scenario.name);
  const appName = walletAppName(env);
  const { adapter } = env.adapter;
  const recorder = new Recorder();
  const source = new FakeProofSource(env.seed);
  const expectations: Failure[] = [];
  const failPoint = (data: Record<string, unknown>, mode: unknown) =>
    env.admin.db('admin').command({ configureFailPoint: 'failCommand', mode, data: { ...data, appName } });

  const ctx: ScenarioContext = {
    seed: env.seed,
    async owner(label) {
      const npub = `npub1${label}${env.seed}`;
      const mint_url = 'http://mint.meltcheck.test';
      return { npub, mint_url, wallet_id: await adapter.createWallet(npub, mint_url) };
    },
    async fund(meta, label, amounts) {
      const proofs = await source.proofs(`fund/${label}`, amounts);
      const op = recorder.invoke('harness', 'fund', { tokenId: '', proofs: refs(proofs) });
      const tokenId = await adapter.createSourceToken({ ...meta, proofs, transaction_id: `fund-${label}-${env.seed}` });
      const value: FundValue = { tokenId, proofs: refs(proofs) };
      recorder.complete(op, 'ok', { value });
      return { tokenId, proofs, amount: proofs.reduce((s, p) => s + p.amount, 0) };
    },
    proofs: (label, amounts) => source.proofs(label, amounts),
    async melt(process, call) {
      const value: MeltValue = {
        transactionId: call.transactionId,
        sources: call.sources,
        keep: refs(call.keep),
        change: refs(call.change),
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
          check: scenario.name,
          type: 'expectation',
          message: expectation,
          steps: [],
          witness: detail,
          replay: '',
        });
    },
  };

  let crashed: string | undefined;
  await adapter.setup({ uri: env.cluster.uri, dbName, appName, seed: env.seed });
  try {
    await scenario.run(ctx);
  } catch (e) {
    crashed = `scenario did not complete: ${errorSummary(e).message}`;
  } finally {
    await failPoint({ failCommands: [] }, 'off').catch(() => {});
  }
  const state = await readState(env.admin.db(dbName), adapter.storage ?? REFERENCE_MAPPING, source.secrets);
  await adapter.teardown();
  await env.admin.db(dbName).dropDatabase();

  const verdict = check(recorder.history, state);
  if (crashed) ctx.expect(false, crashed);
  const replay = `${env.replayBase} --check ${scenario.name}`;
  const failures = [...verdict.anomalies.map((a: Anomaly) => toFailure(a, scenario.name)), ...expectations].map(
    (f, i) => ({
      ...f,
      id: `${scenario.name}#${i + 1}`,
      steps: recorder.history,
      replay,
    }),
  );
  if (verdict.valid === 'unknown' && verdict.error)
    failures.push({
      id: `${scenario.name}#checker`,
      invariant: 'expectation',
      check: scenario.name,
      type: 'checker-error',
      message: verdict.error,
      steps: recorder.history,
      witness: {},
      replay,
    });
  return {
    name: scenario.name,
    kind: 'scenario',
    status: failures.length ? 'fail' : 'pass',
    runs: 1,
    durationMs: Date.now() - started,
    invariants: scenario.invariants,
    failures,
    verdict,
  };
}

function toFailure(a: Anomaly, checkName: string): Failure {
  return {
    id: '',
    invariant: a.invariant,
    check: checkName,
    type: a.type,
    message: a.message,
    steps: [],
    witness: a.witness,
    replay: '',
  };
}
