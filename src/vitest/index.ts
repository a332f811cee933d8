// meltcheck/vitest: a wallet's own `vitest run` certifies its adapter, one test per check.
import { relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { MongoClient } from 'mongodb';
import { afterAll, beforeAll, describe, test } from 'vitest';
import { type LoadedAdapter, loadAdapter } from '../adapter/load.ts';
import { type CertifyOptions, DEFAULT_RUNS, replayBase } from '../api/certify.ts';
import { banner } from '../api/run.ts';
import { selectChecks } from '../api/select.ts';
import { runCheck } from '../checks/run-check.ts';
import type { StartedCluster } from '../cluster/cluster.ts';
import { startCluster } from '../cluster/start-cluster.ts';
import { type RunEnv, runEnvDefaults } from '../harness/env.ts';
import { preflightAdapter } from '../harness/preflight.ts';
import { checkFailureMessage } from './message.ts';

export interface MeltcheckTestOptions
  extends Pick<
    CertifyOptions,
    'cluster' | 'uri' | 'allowRemote' | 'reuseDb' | 'seed' | 'runs' | 'checks' | 'members' | 'requireReal' | 'profile'
  > {
  /** Per-check timeout in ms; vitest's testTimeout when omitted (checks take seconds: set one). */
  timeout?: number;
  /** The describe block's name; `meltcheck <adapter>` when omitted. */
  name?: string;
  /** Deadline of one call into the wallet, ms (default 30 s). */
  opTimeoutMs?: number;
}

// Only a check of the other level is skipped: not-exercised and error fail the test (vitest has no "inconclusive").
const RESULT_SKIPS = new Set(['skip']);

/**
 * Registers a describe block with one vitest test per meltcheck check for the adapter (a path relative to the
 * working directory, a file URL such as `new URL('./melt-adapter.ts', import.meta.url)`, or a built-in name).
 * The cluster starts once for the block. `vitest -t <check>` runs only the checks it names; a check of the other
 * level is reported as skipped with the reason; any other non-pass (fail, error, not exercised) fails the test
 * with the invariant, a witness summary and the command that replays it. Like @fast-check/vitest, the seed is
 * random unless given, and every failure message carries it.
 */
export function meltcheck(adapter: string | URL, options: MeltcheckTestOptions = {}): void {
  // A file URL becomes a cwd-relative path, so the replay line in a failure reads like the README's commands.
  const spec = adapter instanceof URL ? `./${relative(process.cwd(), fileURLToPath(adapter))}` : adapter;
  const profile = options.profile ?? 'quick';
  const seed = options.seed ?? Math.floor(Math.random() * 2 ** 31);
  const runs = options.runs ?? DEFAULT_RUNS[profile];
  const cluster = options.cluster ?? 'auto';
  const checks = selectChecks(options.checks, profile);
  const base = replayBase({ adapter: spec, cluster, seed, runs, uri: options.uri });

  describe(options.name ?? `meltcheck ${spec}`, () => {
    let started: StartedCluster | undefined;
    let admin: MongoClient | undefined;
    let loaded: LoadedAdapter | undefined;
    let env: RunEnv | undefined;
    const runId = `vt${process.pid % 1e5}${Math.floor(Math.random() * 1e4)}`;

    beforeAll(async () => {
      loaded = await loadAdapter(spec);
      if (options.requireReal && cluster === 'sim') throw new Error('meltcheck: requireReal refuses cluster sim');
      started = await startCluster(cluster, {
        uri: options.uri,
        allowRemote: options.allowRemote,
        members: options.members ?? 1,
      });
      if (options.requireReal && !started.real)
        throw new Error(`meltcheck: requireReal: ${started.note ?? 'no real MongoDB available'}`);
      admin = await new MongoClient(started.uri, { appName: 'meltcheck-checker' }).connect();
      // An adapter that cannot even set up fails here, once, instead of in every check.
      await preflightAdapter(admin, started.uri, loaded, {
        runId,
        seed,
        appName: `meltcheck-wallet-${runId}`,
        timeoutMs: options.opTimeoutMs ?? 30_000,
      });
      env = {
        cluster: started,
        admin,
        adapter: loaded,
        runId,
        seed,
        reuseDb: options.reuseDb ?? false,
        replayBase: base,
        ...runEnvDefaults(loaded, seed),
        ...(options.opTimeoutMs ? { opTimeoutMs: options.opTimeoutMs } : {}),
      };
    }, 120_000);

    afterAll(async () => {
      env?.containment.uninstall();
      await admin?.close();
      await started?.stop();
    }, 60_000);

    for (const check of checks)
      test(
        check.name,
        async (ctx) => {
          if (!started || !env) throw new Error('meltcheck: the cluster did not start (see beforeAll)');
          const r = await runCheck(check, env, { runs, seed });
          if (r.status === 'pass') return;
          if (RESULT_SKIPS.has(r.status)) {
            ctx.skip(r.skipReason ?? r.status);
            return;
          }
          const backend = `${started.kind} [${banner(started)}], seed ${seed}`;
          throw new Error(checkFailureMessage(r, `${base} --check ${check.name}`, backend));
        },
        options.timeout,
      );
  });
}
