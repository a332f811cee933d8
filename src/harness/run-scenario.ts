import { groupAnomalies } from '../checker/group.ts';
import type { Anomaly } from '../checker/types.ts';
import type { CheckResult, Failure } from '../report/types.ts';
import { errorSummary } from './classify.ts';
import { AdapterBroke } from './containment.ts';
import type { RunEnv } from './env.ts';
import { openRun } from './run-context.ts';
import type { Scenario } from './scenario.ts';

/** Runs one scenario in a database of its own, then checks every invariant over its history and stored state. */
export async function runScenario(env: RunEnv, scenario: Scenario): Promise<CheckResult> {
  const started = Date.now();
  const run = await openRun(env, scenario.name);
  try {
    await scenario.run(run.ctx);
  } catch (e) {
    // The adapter broke (timeout, exit, a throw outside a melt): the runner reports `error`, not a violation.
    if (e instanceof AdapterBroke) {
      await run.close().catch(() => {});
      throw e;
    }
    run.ctx.expect(false, `scenario did not complete: ${errorSummary(e).message}`);
  }
  const verdict = await run.verdict();
  const history = run.recorder.history;
  const expectations = [...run.expectations];
  await run.close();

  const replay = `${env.replayBase} --check ${scenario.name}`;
  const failures: Failure[] = [
    ...groupAnomalies(verdict.anomalies).map((a) => anomalyFailure(a, scenario.name)),
    ...expectations,
  ].map((f, i) => ({
    ...f,
    id: `${scenario.name}#${i + 1}`,
    steps: history,
    replay,
    replayData: { check: scenario.name, seed: env.seed },
  }));
  if (verdict.valid === 'unknown' && verdict.error)
    failures.push({
      id: `${scenario.name}#checker`,
      invariant: 'expectation',
      check: scenario.name,
      type: 'checker-error',
      message: verdict.error,
      steps: history,
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

export function anomalyFailure(a: Anomaly, checkName: string): Failure {
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
