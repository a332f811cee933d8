import { MongoClient } from 'mongodb';
import type { LoadedAdapter } from '../adapter/load.ts';
import { runCheck } from '../checks/run-check.ts';
import type { Check, CheckOptions } from '../checks/types.ts';
import type { StartedCluster } from '../cluster/cluster.ts';
import { trackRun } from '../cluster/run-sessions.ts';
import { type RunEnv, runEnvDefaults } from '../harness/env.ts';
import type { Timing } from '../harness/tally.ts';
import type { MintProvider } from '../mint/provider.ts';
import type { CheckResult } from '../report/types.ts';
import { haltIfInterrupted, noteCheckFinished, noteCheckStarted } from './interrupt.ts';
import { progress } from './progress.ts';

export interface RunChecksOptions extends CheckOptions {
  runId: string;
  reuseDb: boolean;
  replayBase: string;
  opTimeoutMs?: number;
  checkTimeoutMs?: number;
  /** The wallet's own output (in-process and child processes) goes here, never onto meltcheck's. */
  walletLog?: NodeJS.WritableStream;
  /** Progress lines; none when omitted (the programmatic API is silent unless asked). */
  log?: (line: string) => void;
  /** Accumulates where the run's time went (checker vs wallet), for the report. */
  timing?: Timing;
  /** The service level's mint (--mint); default the test mint. */
  mint?: MintProvider;
}

/** Runs checks one after another on a started cluster, with the harness's own client; progress to opts.log. */
export async function runChecks(
  cluster: StartedCluster,
  adapter: LoadedAdapter,
  checks: Check[],
  opts: RunChecksOptions,
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
    ...runEnvDefaults(adapter, opts.seed),
    ...(opts.opTimeoutMs ? { opTimeoutMs: opts.opTimeoutMs } : {}),
    walletLog: opts.walletLog,
    ...(opts.timing ? { timing: opts.timing } : {}),
  };
  const results: CheckResult[] = [];
  const untrack = trackRun(admin, opts.runId);
  const bar = progress(checks.length, opts.log);
  // Loading a wallet process takes most of a second: the first check that kills one should not wait for it.
  if (checks.some((c) => c.walletProcesses)) env.warm.prime(adapter.spec, opts.walletLog);
  try {
    for (const check of checks) {
      bar.start(check.name);
      noteCheckStarted(check.name);
      const r = await captured(opts.walletLog, () => runCheck(check, env, opts));
      results.push(r);
      noteCheckFinished(r);
      bar.done(r);
    }
  } finally {
    await haltIfInterrupted(); // the interrupt still needs the client to drop the run's databases
    bar.end();
    untrack();
    env.containment.uninstall();
    env.warm.close();
    await admin.close();
  }
  return results;
}

/** While a check runs, whatever the in-process adapter prints goes to the wallet log. */
export async function captured<T>(log: NodeJS.WritableStream | undefined, f: () => Promise<T>): Promise<T> {
  if (!log) return f();
  const out = process.stdout.write;
  const err = process.stderr.write;
  const toLog = ((chunk: unknown, ...rest: unknown[]) => {
    log.write(chunk as string);
    const cb = rest.find((r) => typeof r === 'function') as (() => void) | undefined;
    cb?.();
    return true;
  }) as typeof process.stdout.write;
  process.stdout.write = toLog;
  process.stderr.write = toLog;
  try {
    return await f();
  } finally {
    process.stdout.write = out;
    process.stderr.write = err;
  }
}
