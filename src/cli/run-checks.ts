import { MongoClient } from 'mongodb';
import type { LoadedAdapter } from '../adapter/load.ts';
import type { StartedCluster } from '../cluster/cluster.ts';
import { type Check, type CheckOptions, runCheck } from '../harness/checks.ts';
import type { RunEnv } from '../harness/env.ts';
import type { MintProvider } from '../mint/provider.ts';
import type { CheckResult } from '../report/types.ts';
import { progress } from './progress.ts';

/** Runs checks one after another on a started cluster, with the harness's own client; prints progress. */
export async function runChecks(
  cluster: StartedCluster,
  adapter: LoadedAdapter,
  checks: Check[],
  opts: CheckOptions & { runId: string; reuseDb: boolean; replayBase: string; mint?: MintProvider },
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
    mint: opts.mint,
  };
  const results: CheckResult[] = [];
  const bar = progress(checks.length);
  try {
    for (const check of checks) {
      bar.start(check.name);
      const r = await runCheck(check, env, opts);
      results.push(r);
      bar.done(r);
    }
  } finally {
    bar.end();
    await admin.close();
  }
  return results;
}
