import { randomInt } from 'node:crypto';
import { join } from 'node:path';
import { MongoClient } from 'mongodb';
import { SCENARIOS } from '../../scenarios/index.ts';
import { loadAdapter } from '../adapter/load.ts';
import type { StartedCluster } from '../cluster/cluster.ts';
import { startCluster } from '../cluster/start-cluster.ts';
import type { RunEnv } from '../harness/env.ts';
import { runScenario } from '../harness/run-scenario.ts';
import { buildReport } from '../report/report.ts';
import type { CheckResult } from '../report/types.ts';
import { writeReport } from '../report/write.ts';
import { type CertifyOptions, parseCertify, UsageError } from './args.ts';

function runIdNow(): string {
  const d = new Date();
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getUTCFullYear()}${p(d.getUTCMonth() + 1)}${p(d.getUTCDate())}-${p(d.getUTCHours())}${p(d.getUTCMinutes())}${p(d.getUTCSeconds())}-${randomInt(1e4).toString().padStart(4, '0')}`;
}

export function replayBase(o: CertifyOptions): string {
  const parts = [
    'npx meltcheck certify',
    `--adapter ${o.adapter}`,
    `--cluster ${o.cluster === 'auto' ? 'sim' : o.cluster}`,
    `--seed ${o.seed}`,
    `--runs ${o.runs}`,
  ];
  if (o.uri) parts.push(`--uri '${o.uri}'`);
  return parts.join(' ');
}

/** Stops the cluster on Ctrl-C / SIGTERM too: nothing this run started outlives it. */
function stopOnSignal(cluster: StartedCluster): () => void {
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

export async function certify(argv: string[]): Promise<number> {
  const o = parseCertify(argv, () => randomInt(2 ** 31));
  const scenarios = o.checks.length ? SCENARIOS.filter((s) => o.checks.includes(s.name)) : SCENARIOS;
  const unknown = o.checks.filter((c) => !SCENARIOS.some((s) => s.name === c));
  if (unknown.length)
    throw new UsageError(`unknown check '${unknown[0]}' (known: ${SCENARIOS.map((s) => s.name).join(', ')})`);
  const adapter = await loadAdapter(o.adapter);
  const runId = runIdNow();
  const started = Date.now();
  const cluster = await startCluster(o.cluster, { uri: o.uri, allowRemote: o.allowRemote, members: o.members });
  const unhook = stopOnSignal(cluster);
  const results: CheckResult[] = [];
  let serverVersion = 'unknown';
  try {
    serverVersion = await cluster.serverVersion();
    const banner = cluster.real ? 'real MongoDB' : 'SIMULATED (meltcheck simulator — not a real-MongoDB certification)';
    console.log(
      `meltcheck ${runId}: adapter ${adapter.spec} on ${cluster.kind} [${banner}], server ${serverVersion}, seed ${o.seed}`,
    );
    if (cluster.note) console.log(`meltcheck: ${cluster.note}`);
    const admin = await new MongoClient(cluster.uri, { appName: 'meltcheck-checker' }).connect();
    const env: RunEnv = {
      cluster,
      admin,
      adapter,
      runId: runId.replace(/-/g, '').slice(-10),
      seed: o.seed,
      reuseDb: o.reuseDb,
      replayBase: replayBase(o),
    };
    try {
      for (const s of scenarios) {
        const r = await runScenario(env, s);
        results.push(r);
        const mark = r.status === 'pass' ? 'ok  ' : r.status === 'skip' ? 'skip' : 'FAIL';
        console.log(`${mark} ${r.kind} ${r.name} (${r.durationMs} ms)`);
        for (const f of r.failures) console.log(`     [${f.invariant}] ${f.message}`);
      }
    } finally {
      await admin.close();
    }
  } finally {
    unhook();
    await cluster.stop();
  }
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
      seed: o.seed,
      runs: o.runs,
    },
    results,
  );
  const dir = o.out ?? join('reports', runId);
  writeReport(dir, report);
  const failed = results.filter((r) => r.status === 'fail').length;
  console.log(
    `meltcheck: ${report.verdict.toUpperCase()} — ${results.length - failed}/${results.length} checks held; report in ${dir}/`,
  );
  return report.verdict === 'pass' ? 0 : 1;
}
