import { randomInt } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { MongoClient } from 'mongodb';
import { type AdapterEnvironment, adapterIdentity } from '../adapter/identity.ts';
import { loadAdapter } from '../adapter/load.ts';
import { CHECK_REGISTRY as CHECKS, findCheck } from '../checks/registry.ts';
import type { StartedCluster } from '../cluster/cluster.ts';
import { startCluster } from '../cluster/start-cluster.ts';
import { preflightAdapter } from '../harness/preflight.ts';
import { Timing } from '../harness/tally.ts';
import { nutshellMissing } from '../mint/nutshell/install.ts';
import { type MintProvider, nutshellProvider, testMintProvider, urlMintProvider } from '../mint/provider.ts';
import { buildReport, exitCodeOf } from '../report/report.ts';
import type { CheckResult } from '../report/types.ts';
import { walletLogStream } from '../report/wallet-log.ts';
import { writeReport } from '../report/write.ts';
import { type CertifyOptions, type MintChoice, parseCertify, UsageError } from './args.ts';
import { captured, runChecks } from './run-checks.ts';

export function runIdNow(): string {
  const d = new Date();
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getUTCFullYear()}${p(d.getUTCMonth() + 1)}${p(d.getUTCDate())}-${p(d.getUTCHours())}${p(d.getUTCMinutes())}${p(d.getUTCSeconds())}-${randomInt(1e4).toString().padStart(4, '0')}`;
}

export function replayBase(
  o: Pick<CertifyOptions, 'adapter' | 'cluster' | 'seed' | 'runs' | 'uri'> & Partial<Pick<CertifyOptions, 'mint'>>,
): string {
  const parts = [
    'npx meltcheck certify',
    `--adapter ${o.adapter}`,
    `--cluster ${o.cluster === 'auto' ? 'sim' : o.cluster}`,
    `--seed ${o.seed}`,
    `--runs ${o.runs}`,
  ];
  if (o.uri) parts.push(`--uri '${o.uri}'`);
  if (o.mint && o.mint.kind !== 'test')
    parts.push(`--mint ${o.mint.kind === 'url' ? `url:${o.mint.url}` : o.mint.kind}`);
  return parts.join(' ');
}

/** Stops the cluster on Ctrl-C / SIGTERM too: nothing this run started outlives it. */
export function stopOnSignal(cluster: StartedCluster): () => void {
  const handler = (signal: NodeJS.Signals) => {
    console.error(`meltcheck: ${signal}: stopping the ${cluster.kind} cluster`);
    cluster.stop().finally(() => process.exit(130));
  };
  process.once('SIGINT', handler);
  process.once('SIGTERM', handler);
  return () => {
    process.off('SIGINT', handler);
    process.off('SIGTERM', handler);
  };
}

/** The service level's mint, refused before anything starts when it cannot serve (one line, exit 2). */
export function selectMint(choice: MintChoice, allowRemote: boolean): MintProvider {
  if (choice.kind === 'test') return testMintProvider;
  if (choice.kind === 'nutshell') {
    const missing = nutshellMissing();
    if (missing) throw new UsageError(`--mint nutshell: ${missing}`);
    return nutshellProvider;
  }
  const host = new URL(choice.url).hostname;
  if (!/^(localhost|127(?:\.\d{1,3}){3}|\[::1\])$/i.test(host) && !allowRemote)
    throw new UsageError(`--mint url: refusing remote mint ${host}; pass --allow-remote if it is yours to test on`);
  return urlMintProvider(choice.url);
}

export function banner(cluster: StartedCluster): string {
  return cluster.real ? 'real MongoDB' : 'SIMULATED (meltcheck simulator — not a real-MongoDB certification)';
}

export async function certify(argv: string[]): Promise<number> {
  const o = parseCertify(argv, () => randomInt(2 ** 31));
  const unknown = o.checks.filter((c) => !findCheck(c));
  if (unknown.length)
    throw new UsageError(`unknown check '${unknown[0]}' (known: ${CHECKS.map((s) => s.name).join(', ')})`);
  const checks = o.checks.length
    ? CHECKS.filter((s) => o.checks.some((c) => findCheck(c) === s))
    : CHECKS.filter((c) => o.profile === 'full' || !c.fullOnly);
  const adapter = await loadAdapter(o.adapter);
  const mint = selectMint(o.mint, o.allowRemote);
  if (o.requireReal && o.cluster === 'sim') throw new UsageError('--require-real refuses --cluster sim');
  const runId = runIdNow();
  const started = Date.now();
  const dir = o.out ?? join('reports', runId);
  mkdirSync(dir, { recursive: true });
  const walletLog = walletLogStream(join(dir, 'wallet.log'));
  const cluster = await startCluster(o.cluster, { uri: o.uri, allowRemote: o.allowRemote, members: o.members });
  const unhook = stopOnSignal(cluster);
  let results: CheckResult[] = [];
  let serverVersion = 'unknown';
  let identity: AdapterEnvironment = {};
  const timing = new Timing();
  try {
    if (o.requireReal && !cluster.real)
      throw new UsageError(`--require-real: ${cluster.note ?? 'no real MongoDB available'}`);
    serverVersion = await cluster.serverVersion();
    console.log(
      `meltcheck ${runId}: adapter ${adapter.spec} on ${cluster.kind} [${banner(cluster)}], server ${serverVersion}, seed ${o.seed}`,
    );
    if (cluster.note) console.log(`meltcheck: ${cluster.note}`);
    const shortId = runId.replace(/-/g, '').slice(-10);
    const admin = await new MongoClient(cluster.uri, { appName: 'meltcheck-checker' }).connect();
    try {
      await captured(walletLog, () =>
        preflightAdapter(admin, cluster.uri, adapter, {
          runId: shortId,
          seed: o.seed,
          appName: `meltcheck-wallet-${shortId}`,
          timeoutMs: o.opTimeoutMs,
        }),
      );
      identity = await adapterIdentity(adapter.adapter);
    } finally {
      await admin.close();
    }
    results = await runChecks(cluster, adapter, checks, {
      runs: o.runs,
      seed: o.seed,
      runId: shortId,
      reuseDb: o.reuseDb,
      replayBase: replayBase({ ...o, cluster: cluster.kind as CertifyOptions['cluster'] }),
      mint,
      opTimeoutMs: o.opTimeoutMs,
      checkTimeoutMs: o.checkTimeoutMs,
      walletLog,
      timing,
    });
  } finally {
    unhook();
    await cluster.stop();
    walletLog.end();
  }
  for (const r of results)
    for (const f of r.failures) f.replay = `npx meltcheck replay ${join(dir, 'report.json')} --failure '${f.id}'`;
  const report = buildReport(
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
    },
    results,
  );
  const written = performance.now();
  writeReport(dir, report);
  report.timing = {
    checkerMs: Math.round(timing.checkerMs),
    walletMs: Math.round(timing.walletMs),
    reportMs: Math.round(performance.now() - written),
  };
  writeReport(dir, report);
  const count = (status: string) => results.filter((r) => r.status === status).length;
  console.log(
    `meltcheck: ${report.verdict.toUpperCase()} — ${count('pass')} held, ${count('fail')} failed, ${count('error')} errored, ${count('not-exercised')} not exercised, ${count('skip')} skipped; report in ${dir}/`,
  );
  return exitCodeOf(report.verdict);
}
