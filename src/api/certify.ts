import { randomInt } from 'node:crypto';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { MongoClient } from 'mongodb';
import { type AdapterEnvironment, adapterIdentity } from '../adapter/identity.ts';
import { loadAdapter } from '../adapter/load.ts';
import { CHECK_REGISTRY as CHECKS } from '../checks/registry.ts';
import type { MintChoice } from '../cli/args.ts';
import { UsageError } from '../cli/args.ts';
import { haltIfInterrupted, interruptible, partialResults, sayOnTerminal } from '../cli/interrupt.ts';
import { claimOutDir, releaseOutDir } from '../cli/out-dir.ts';
import { captured, runChecks } from '../cli/run-checks.ts';
import type { ClusterChoice } from '../cluster/cluster.ts';
import { startCluster } from '../cluster/start-cluster.ts';
import { preflightAdapter } from '../harness/preflight.ts';
import { Timing } from '../harness/tally.ts';
import { selectMint } from '../mint/select.ts';
import { uriForReplay } from '../report/redact.ts';
import { buildReport, type Report } from '../report/report.ts';
import type { CheckResult } from '../report/types.ts';
import { walletLogStream } from '../report/wallet-log.ts';
import { writeReport } from '../report/write.ts';
import { banner, runIdNow } from './run.ts';
import { selectChecks } from './select.ts';
import { planShard, type Shard } from './shard.ts';

/** What `meltcheck certify` takes, as an object. Only `adapter` is required. */
export interface CertifyOptions {
  /** `reference`, `reference-service`, `mutant:<name>`, or a path to an adapter module (relative to the cwd). */
  adapter: string;
  cluster?: ClusterChoice;
  uri?: string;
  allowRemote?: boolean;
  /** Let disruptive faults (primary stepdown) run on a cluster meltcheck did not start. */
  allowDisruptive?: boolean;
  reuseDb?: boolean;
  /** Fixed seed; random when omitted (the report records it). */
  seed?: number;
  /** Property runs; default 200 (quick) or 2,000 (full). */
  runs?: number;
  /** Only these checks (names as in the README); all that fit the profile when empty. */
  checks?: string[];
  /** Writes report.json, junit.xml, report.md and report.html here; nothing is written when omitted. */
  out?: string;
  /**
   * Replica-set members of a cluster meltcheck starts. Default 1, except `--cluster sim --profile full`: 3, so a
   * full certification on the simulator includes the failover checks (primary-stepdown, w1-rollback).
   */
  members?: 1 | 3;
  requireReal?: boolean;
  profile?: 'quick' | 'full';
  /** This job's share of the checks and property runs (CI matrix); merge with `mergeReports`. */
  shard?: Shard;
  /** Receives progress lines; silent when omitted. */
  log?: (line: string) => void;
  /**
   * On SIGINT/SIGTERM: kill wallet processes and proxies, drop the run's databases, write a partial report marked
   * `interrupted`, stop the cluster and exit 130 (what the CLI wants; a library caller usually not).
   */
  handleSignals?: boolean;
  /** The run's id (reports/<runId>); generated when omitted. */
  runId?: string;
  /** Deadline of one call into the wallet, ms (default 30 s): a late call is recorded and the check ends `error`. */
  opTimeoutMs?: number;
  /** Deadline of one check, ms (default 600 s). */
  checkTimeoutMs?: number;
  /** The service level's mint: the test mint (default), nutshell, or an external url. */
  mint?: MintChoice;
}

export const DEFAULT_RUNS = { quick: 200, full: 2000 } as const;

/** The command line that reproduces a run (the runner appends the check's name). */
export function replayBase(o: {
  adapter: string;
  cluster: ClusterChoice;
  seed: number;
  runs: number;
  uri?: string;
  mint?: MintChoice;
  members?: number;
}): string {
  const parts = [
    'npx meltcheck certify',
    `--adapter ${o.adapter}`,
    `--cluster ${o.cluster === 'auto' ? 'sim' : o.cluster}`,
    `--seed ${o.seed}`,
    `--runs ${o.runs}`,
  ];
  // A topology failure reproduces on three members only.
  if (o.members === 3) parts.push('--members 3');
  // Never the credentials: a replay reads a credentialed URI from $MELTCHECK_MONGODB_URI.
  if (o.uri) parts.push(`--uri ${uriForReplay(o.uri)}`);
  if (o.mint && o.mint.kind !== 'test')
    parts.push(`--mint ${o.mint.kind === 'url' ? `url:${o.mint.url}` : o.mint.kind}`);
  return parts.join(' ');
}

/**
 * The members a run starts: as asked, else 3 for a full certification of a repository-level wallet on the
 * simulator (the failover checks are repository-level; a service-level run would only wait on replication).
 */
export function membersFor(
  asked: 1 | 3 | undefined,
  profile: 'quick' | 'full',
  cluster: string | undefined,
  level: 'repository' | 'service',
): 1 | 3 {
  return asked ?? (profile === 'full' && cluster === 'sim' && level === 'repository' ? 3 : 1);
}

/**
 * Certifies an adapter: starts the cluster, runs the checks, stops the cluster, returns the report (the object
 * report.json holds). Never exits the process; throws UsageError, AdapterLoadError, ClusterUnavailableError or
 * EnvironmentError for what the CLI reports as exit 2. The verdict is in `report.verdict`.
 */
export async function certify(options: CertifyOptions): Promise<Report> {
  const profile = options.profile ?? 'quick';
  const o = {
    ...options,
    cluster: options.cluster ?? 'auto',
    seed: options.seed ?? randomInt(2 ** 31),
    runs: options.runs ?? DEFAULT_RUNS[profile],
    members: options.members ?? (1 as 1 | 3),
  };
  const log = options.log ?? (() => {});
  const checks = selectChecks(o.checks, profile);
  const plan = planShard(checks, o.runs, o.seed, o.shard);
  const adapter = await loadAdapter(o.adapter);
  o.members = membersFor(options.members, profile, options.cluster, adapter.adapter.level);
  const mint = selectMint(o.mint ?? { kind: 'test' }, o.allowRemote ?? false);
  if (o.requireReal && o.cluster === 'sim') throw new UsageError('--require-real refuses --cluster sim');
  const runId = o.runId ?? runIdNow();
  const started = Date.now();
  const opTimeoutMs = o.opTimeoutMs ?? 30_000;
  // The wallet's own output goes to <out>/wallet.log; without an out directory it is dropped (a library call
  // prints nothing unless asked).
  // One run per out directory: a second run never replaces another's report.
  if (o.out) claimOutDir(o.out, runId);
  const walletLog = o.out
    ? walletLogStream(join(o.out, 'wallet.log'))
    : new Writable({ write: (_chunk, _enc, done) => done() });
  const cluster = await startCluster(o.cluster, {
    uri: o.uri,
    allowRemote: o.allowRemote,
    allowDisruptive: o.allowDisruptive,
    members: o.members,
  });
  const results: CheckResult[] = [];
  let serverVersion = 'unknown';
  let identity: AdapterEnvironment = {};
  const timing = new Timing();
  const reportOf = (results: CheckResult[]) =>
    buildReport(
      {
        runId,
        startedAt: new Date(started).toISOString(),
        durationMs: Date.now() - started,
        backend: {
          kind: cluster.kind,
          real: cluster.real,
          serverVersion,
          members: cluster.members,
          ...(cluster.note ? { note: cluster.note } : {}),
        },
        adapter: { name: adapter.adapter.name, spec: adapter.spec, sha256: adapter.sha256, ...identity },
        mint: { kind: mint.kind, version: mint.version ?? 'not started (no service-level check ran)' },
        seed: o.seed,
        runs: o.runs,
        ...(o.shard ? { shard: { ...o.shard, seed: plan.seed, runs: plan.runs } } : {}),
      },
      results,
    );
  const unhook = options.handleSignals
    ? interruptible({
        cluster,
        writePartial: () => {
          const partial = reportOf(partialResults(checks));
          // An interrupted run certifies nothing: never 'pass', whatever finished before the signal.
          const verdict = partial.verdict === 'fail' ? 'fail' : 'inconclusive';
          if (o.out) {
            writeReport(o.out, { ...partial, verdict, interrupted: true });
            releaseOutDir(o.out);
            sayOnTerminal(`meltcheck: partial report (interrupted) in ${o.out}/`);
          }
        },
      })
    : () => {};
  try {
    if (o.requireReal && !cluster.real)
      throw new UsageError(`--require-real: ${cluster.note ?? 'no real MongoDB available'}`);
    serverVersion = await cluster.serverVersion();
    const shardNote = o.shard ? `, shard ${o.shard.index}/${o.shard.total}` : '';
    log(
      `meltcheck ${runId}: adapter ${adapter.spec} on ${cluster.kind} [${banner(cluster)}], server ${serverVersion}, seed ${o.seed}${shardNote}`,
    );
    if (cluster.note) log(`meltcheck: ${cluster.note}`);
    const shortId = runId.replace(/-/g, '').slice(-10);
    const admin = await new MongoClient(cluster.uri, { appName: 'meltcheck-checker' }).connect();
    try {
      await captured(walletLog, () =>
        preflightAdapter(admin, cluster.uri, adapter, {
          runId: shortId,
          seed: o.seed,
          appName: `meltcheck-wallet-${shortId}`,
          timeoutMs: opTimeoutMs,
        }),
      );
      identity = await adapterIdentity(adapter.adapter);
    } finally {
      await admin.close();
    }
    const batches = [
      { checks: plan.whole, runs: o.runs, seed: o.seed },
      { checks: plan.split, runs: plan.runs, seed: plan.seed },
    ].filter((b) => b.checks.length);
    for (const b of batches)
      results.push(
        ...(await runChecks(cluster, adapter, b.checks, {
          runs: b.runs,
          seed: b.seed,
          runId: shortId,
          reuseDb: o.reuseDb ?? false,
          replayBase: replayBase({ ...o, cluster: cluster.kind as ClusterChoice, seed: b.seed, runs: b.runs }),
          log: options.log,
          opTimeoutMs,
          checkTimeoutMs: o.checkTimeoutMs,
          walletLog,
          timing,
          mint,
        })),
      );
  } finally {
    await haltIfInterrupted();
    unhook();
    await cluster.stop();
    walletLog.end();
  }
  // Results in the check list's order, whichever batch ran them.
  results.sort((a, b) => CHECKS.findIndex((c) => c.name === a.name) - CHECKS.findIndex((c) => c.name === b.name));
  const reportPath = o.out ? join(o.out, 'report.json') : 'report.json';
  for (const r of results)
    for (const f of r.failures) f.replay = `npx meltcheck replay ${reportPath} --failure '${f.id}'`;
  const report = reportOf(results);
  // Where the run's time went; writing the reports is timed by writing them once before.
  const written = performance.now();
  if (o.out) writeReport(o.out, report);
  report.timing = {
    checkerMs: Math.round(timing.checkerMs),
    walletMs: Math.round(timing.walletMs),
    reportMs: Math.round(performance.now() - written),
  };
  if (o.out) {
    writeReport(o.out, report);
    releaseOutDir(o.out);
  }
  return report;
}
