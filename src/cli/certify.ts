import { randomInt } from 'node:crypto';
import { join } from 'node:path';
import { loadAdapter } from '../adapter/load.ts';
import type { StartedCluster } from '../cluster/cluster.ts';
import { startCluster } from '../cluster/start-cluster.ts';
import { CHECKS } from '../harness/checks.ts';
import { nutshellMissing } from '../mint/nutshell/install.ts';
import { type MintProvider, nutshellProvider, testMintProvider, urlMintProvider } from '../mint/provider.ts';
import { buildReport } from '../report/report.ts';
import type { CheckResult } from '../report/types.ts';
import { writeReport } from '../report/write.ts';
import { type CertifyOptions, type MintChoice, parseCertify, UsageError } from './args.ts';
import { runChecks } from './run-checks.ts';

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
  const unknown = o.checks.filter((c) => !CHECKS.some((s) => s.name === c));
  if (unknown.length)
    throw new UsageError(`unknown check '${unknown[0]}' (known: ${CHECKS.map((s) => s.name).join(', ')})`);
  const checks = o.checks.length
    ? CHECKS.filter((s) => o.checks.includes(s.name))
    : CHECKS.filter((c) => o.profile === 'full' || !c.fullOnly);
  const adapter = await loadAdapter(o.adapter);
  const mint = selectMint(o.mint, o.allowRemote);
  if (o.requireReal && o.cluster === 'sim') throw new UsageError('--require-real refuses --cluster sim');
  const runId = runIdNow();
  const started = Date.now();
  const cluster = await startCluster(o.cluster, { uri: o.uri, allowRemote: o.allowRemote, members: o.members });
  const unhook = stopOnSignal(cluster);
  let results: CheckResult[] = [];
  let serverVersion = 'unknown';
  try {
    if (o.requireReal && !cluster.real)
      throw new UsageError(`--require-real: ${cluster.note ?? 'no real MongoDB available'}`);
    serverVersion = await cluster.serverVersion();
    console.log(
      `meltcheck ${runId}: adapter ${adapter.spec} on ${cluster.kind} [${banner(cluster)}], server ${serverVersion}, seed ${o.seed}`,
    );
    if (cluster.note) console.log(`meltcheck: ${cluster.note}`);
    results = await runChecks(cluster, adapter, checks, {
      runs: o.runs,
      seed: o.seed,
      runId: runId.replace(/-/g, '').slice(-10),
      reuseDb: o.reuseDb,
      replayBase: replayBase(o),
      mint,
    });
  } finally {
    unhook();
    await cluster.stop();
  }
  const dir = o.out ?? join('reports', runId);
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
      adapter: { name: adapter.adapter.name, spec: adapter.spec, sha256: adapter.sha256 },
      mint: { kind: mint.kind, version: mint.version ?? 'not started (no service-level check ran)' },
      seed: o.seed,
      runs: o.runs,
    },
    results,
  );
  writeReport(dir, report);
  const count = (status: string) => results.filter((r) => r.status === status).length;
  console.log(
    `meltcheck: ${report.verdict.toUpperCase()} — ${count('pass')} held, ${count('fail')} failed, ${count('skip')} skipped; report in ${dir}/`,
  );
  return report.verdict === 'pass' ? 0 : 1;
}
