import { randomInt } from 'node:crypto';
import { restoreEnvironment } from '../adapter/identity.ts';
import { loadAdapter } from '../adapter/load.ts';
import { findCheck } from '../checks/registry.ts';
import type { ClusterChoice } from '../cluster/cluster.ts';
import { startCluster } from '../cluster/start-cluster.ts';
import { loadReport, ReportError } from '../report/load.ts';
import { parse, UsageError } from './args.ts';
import { banner, selectMint, stopOnSignal } from './certify.ts';
import { runChecks } from './run-checks.ts';

/**
 * `meltcheck replay report.json [--failure ID]`: runs the failing check again with its recorded seed and path.
 * Exit 1 when the violation reproduces, 0 when it does not, 2 for a missing or malformed report.
 */
export async function replay(argv: string[]): Promise<number> {
  const { values, positionals } = parse(argv, {
    failure: { type: 'string' },
    cluster: { type: 'string' },
    uri: { type: 'string' },
  });
  if (positionals.length !== 1) throw new UsageError('usage: meltcheck replay <report.json> [--failure ID]');
  let report: ReturnType<typeof loadReport>;
  try {
    report = loadReport(positionals[0]);
  } catch (e) {
    if (e instanceof ReportError) throw new UsageError(e.message);
    throw e;
  }
  if (report.failures.length === 0) throw new UsageError(`report ${positionals[0]} has no failures to replay`);
  const failure = values.failure ? report.failures.find((f) => f.id === values.failure) : report.failures[0];
  if (!failure)
    throw new UsageError(
      `no failure '${values.failure}' in the report (have: ${report.failures.map((f) => f.id).join(', ')})`,
    );
  const data = failure.replayData ?? { check: failure.check, seed: report.seed };
  const check = findCheck(data.check);
  if (!check) throw new UsageError(`the report names check '${data.check}', which this meltcheck does not have`);
  // The wallet runs in the setting it failed in: its declared variables come back (secrets from the caller).
  const { restored, missingSecrets } = restoreEnvironment(report.adapter);
  if (missingSecrets.length)
    throw new UsageError(`set ${missingSecrets.join(', ')} (declared secret by the adapter) to replay this report`);
  if (restored.length) console.log(`meltcheck replay: restored ${restored.join(', ')} from the report`);
  const adapter = await loadAdapter(report.adapter.spec);
  if (adapter.sha256 !== report.adapter.sha256)
    console.log(`meltcheck: note: adapter ${report.adapter.spec} changed since the report (sha256 differs)`);
  // The same mint kind as the report's run (an external url: mint is not recorded: the test mint replays it).
  const mint =
    report.mint?.kind === 'nutshell' ? selectMint({ kind: 'nutshell' }, false) : selectMint({ kind: 'test' }, false);
  const kind = (values.cluster ?? report.backend.kind) as ClusterChoice;
  const cluster = await startCluster(kind, { uri: values.uri as string | undefined });
  const unhook = stopOnSignal(cluster);
  try {
    const exact =
      cluster.kind === 'sim'
        ? 'exactly (same seed, same generated steps, simulator)'
        : 'best effort (real cluster timing may differ)';
    console.log(
      `meltcheck replay: ${failure.id} [${failure.invariant}] on ${cluster.kind} [${banner(cluster)}], ${exact}`,
    );
    const [result] = await runChecks(cluster, adapter, [check], {
      runs: report.runs,
      seed: data.seed,
      replay: data,
      runId: `rp${randomInt(1e8)}`,
      reuseDb: false,
      replayBase: '',
      mint,
    });
    const again = result.failures.find((f) => f.invariant === failure.invariant);
    if (again) {
      console.log(`meltcheck replay: REPRODUCED [${again.invariant}] ${again.message}`);
      for (const op of again.steps)
        console.log(`  ${op.index} ${op.process} ${op.type} ${op.f} ${JSON.stringify(op.value).slice(0, 160)}`);
      return 1;
    }
    console.log(`meltcheck replay: did NOT reproduce ${failure.id} [${failure.invariant}]`);
    return 0;
  } finally {
    unhook();
    await cluster.stop();
  }
}
