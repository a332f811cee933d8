import { MongoClient } from 'mongodb';
import type { LoadedAdapter } from '../adapter/load.ts';
import type { StartedCluster } from '../cluster/cluster.ts';
import { trackRun } from '../cluster/run-sessions.ts';
import { type Check, type CheckOptions, runCheck } from '../harness/checks.ts';
import type { RunEnv } from '../harness/env.ts';
import type { CheckResult } from '../report/types.ts';
import { haltIfInterrupted, noteCheckFinished, noteCheckStarted } from './interrupt.ts';
import { progress } from './progress.ts';

/** Runs checks one after another on a started cluster, with the harness's own client; prints progress. */
export async function runChecks(
  cluster: StartedCluster,
  adapter: LoadedAdapter,
  checks: Check[],
  opts: CheckOptions & { runId: string; reuseDb: boolean; replayBase: string },
): Promise<CheckResult[]> {
  const admin = await new MongoClient(cluster.uri, { appName: 'meltcheck-checker' }).connect();
  const env: RunEnv = {
    cluster,
    admin,
    adapter,
    runId: opts.runId,
    seed: opts.seed,
    reuseDb: opts.reuseDb,
    replayBase: opts.replayBase,
  };
  const results: CheckResult[] = [];
  const untrack = trackRun(admin, opts.runId);
  const bar = progress(checks.length);
  try {
    for (const check of checks) {
      bar.start(check.name);
      noteCheckStarted(check.name);
      const r = await runCheck(check, env, opts);
      results.push(r);
      noteCheckFinished(r);
      bar.done(r);
    }
  } finally {
    await haltIfInterrupted(); // the interrupt still needs the client to drop the run's databases
    bar.end();
    untrack();
    await admin.close();
  }
  return results;
}
