import { randomInt } from 'node:crypto';
import { join } from 'node:path';
import { MongoClient } from 'mongodb';
import { type AdapterEnvironment, adapterIdentity } from '../adapter/identity.ts';
import { loadAdapter } from '../adapter/load.ts';
import { CHECK_REGISTRY as CHECKS, findCheck } from '../checks/registry.ts';
import type { StartedCluster } from '../cluster/cluster.ts';
import { startCluster } from '../cluster/start-cluster.ts';
import { preflightAdapter } from '../harness/preflight.ts';
import { Timing } from '../harness/tally.ts';
import { uriForReplay } from '../report/redact.ts';
import { buildReport, exitCodeOf } from '../report/report.ts';
import type { CheckResult } from '../report/types.ts';
import { walletLogStream } from '../report/wallet-log.ts';
import { writeReport } from '../report/write.ts';
import { type CertifyOptions, parseCertify, UsageError } from './args.ts';
import { haltIfInterrupted, interruptible, partialResults, sayOnTerminal } from './interrupt.ts';
import { claimOutDir, releaseOutDir } from './out-dir.ts';
import { captured, runChecks } from './run-checks.ts';

export function runIdNow(): string {
  const d = new Date();
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getUTCFullYear()}${p(d.getUTCMonth() + 1)}${p(d.getUTCDate())}-${p(d.getUTCHours())}${p(d.getUTCMinutes())}${p(d.getUTCSeconds())}-${randomInt(1e4).toString().padStart(4, '0')}`;
}

export function replayBase(o: Pick<CertifyOptions, 'adapter' | 'cluster' | 'seed' | 'runs' | 'uri'>): string {
  const parts = [
    'npx meltcheck certify',
    `--adapter ${o.adapter}`,
    `--cluster ${o.cluster === 'auto' ? 'sim' : o.cluster}`,
    `--seed ${o.seed}`,
    `--runs ${o.runs}`,
  ];
  if (o.uri) parts.push(`--uri ${uriForReplay(o.uri)}`);
  return parts.join(' ');
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
  if (o.requireReal && o.cluster === 'sim') throw new UsageError('--require-real refuses --cluster sim');
  const runId = runIdNow();
  const started = Date.now();
  const dir = claimOutDir(o.out ?? join('reports', runId), runId);
  const walletLog = walletLogStream(join(dir, 'wallet.log'));
  const cluster = await startCluster(o.cluster, {
    uri: o.uri,
    allowRemote: o.allowRemote,
    allowDisruptive: o.allowDisruptive,
    members: o.members,
  });
  let results: CheckResult[] = [];
  let serverVersion = 'unknown';
  let identity: AdapterEnvironment = {};
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
        seed: o.seed,
        runs: o.runs,
      },
      results,
    );
  const unhook = interruptible({
    cluster,
    writePartial: () => {
      const partial = reportOf(partialResults(checks));
      // An interrupted run certifies nothing: never 'pass', whatever finished before the signal.
      const verdict = partial.verdict === 'fail' ? 'fail' : 'inconclusive';
      writeReport(dir, { ...partial, verdict, interrupted: true });
      releaseOutDir(dir);
      sayOnTerminal(`meltcheck: partial report (interrupted) in ${dir}/`);
    },
  });
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
      opTimeoutMs: o.opTimeoutMs,
      checkTimeoutMs: o.checkTimeoutMs,
      walletLog,
      timing,
    });
  } finally {
    await haltIfInterrupted();
    unhook();
    await cluster.stop();
    walletLog.end();
  }
  for (const r of results)
    for (const f of r.failures) f.replay = `npx meltcheck replay ${join(dir, 'report.json')} --failure '${f.id}'`;
  const report = reportOf(results);
  const written = performance.now();
  writeReport(dir, report);
  report.timing = {
    checkerMs: Math.round(timing.checkerMs),
    walletMs: Math.round(timing.walletMs),
    reportMs: Math.round(performance.now() - written),
  };
  writeReport(dir, report);
  releaseOutDir(dir);
  const count = (status: string) => results.filter((r) => r.status === status).length;
  console.log(
    `meltcheck: ${report.verdict.toUpperCase()} — ${count('pass')} held, ${count('fail')} failed, ${count('error')} errored, ${count('not-exercised')} not exercised, ${count('skip')} skipped; report in ${dir}/`,
  );
  return exitCodeOf(report.verdict);
}
