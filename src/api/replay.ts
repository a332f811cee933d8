import { randomInt } from 'node:crypto';
import { restoreEnvironment } from '../adapter/identity.ts';
import { loadAdapter } from '../adapter/load.ts';
import { findCheck } from '../checks/registry.ts';
import { UsageError } from '../cli/args.ts';
import { interruptible } from '../cli/interrupt.ts';
import { runChecks } from '../cli/run-checks.ts';
import { CLUSTER_KINDS, type ClusterChoice } from '../cluster/cluster.ts';
import { startCluster } from '../cluster/start-cluster.ts';
import { selectMint } from '../mint/select.ts';
import { loadReport, ReportError } from '../report/load.ts';
import type { Report } from '../report/report.ts';
import type { Failure } from '../report/types.ts';
import { banner } from './run.ts';

export interface ReplayOptions {
  /** Another cluster than the report's (e.g. `sim` for an exact replay). */
  cluster?: ClusterChoice;
  uri?: string;
  log?: (line: string) => void;
  handleSignals?: boolean;
}

export interface ReplayResult {
  /** The failure asked for, from the report. */
  failure: Failure;
  /** The same invariant broke again. */
  reproduced: boolean;
  /** The failure of this run, when it reproduced. */
  again?: Failure;
  /** Whether the adapter file changed since the report (sha256 differs). */
  adapterChanged: boolean;
  exact: boolean;
}

/**
 * Runs one failure of a report again with its recorded check, seed and path (the first failure when no id is
 * given). A report is the object `certify` returned or the path of a report.json.
 */
export async function replay(
  report: Report | string,
  failureId?: string,
  options: ReplayOptions = {},
): Promise<ReplayResult> {
  let r: Report;
  try {
    r = typeof report === 'string' ? loadReport(report) : report;
  } catch (e) {
    if (e instanceof ReportError) throw new UsageError(e.message);
    throw e;
  }
  const log = options.log ?? (() => {});
  if (r.failures.length === 0) throw new UsageError('the report has no failures to replay');
  const failure = failureId ? r.failures.find((f) => f.id === failureId) : r.failures[0];
  if (!failure)
    throw new UsageError(`no failure '${failureId}' in the report (have: ${r.failures.map((f) => f.id).join(', ')})`);
  const data = failure.replayData ?? { check: failure.check, seed: r.seed };
  const check = findCheck(data.check);
  if (!check) throw new UsageError(`the report names check '${data.check}', which this meltcheck does not have`);
  // The wallet runs in the setting it failed in: its declared variables come back (secrets from the caller).
  const { restored, missingSecrets } = restoreEnvironment(r.adapter);
  if (missingSecrets.length)
    throw new UsageError(`set ${missingSecrets.join(', ')} (declared secret by the adapter) to replay this report`);
  if (restored.length) log(`meltcheck replay: restored ${restored.join(', ')} from the report`);
  const adapter = await loadAdapter(r.adapter.spec);
  const adapterChanged = adapter.sha256 !== r.adapter.sha256;
  if (adapterChanged) log(`meltcheck: note: adapter ${r.adapter.spec} changed since the report (sha256 differs)`);
  const kind = (options.cluster ?? r.backend.kind) as ClusterChoice;
  if (!CLUSTER_KINDS.includes(kind))
    throw new UsageError(`cluster must be one of ${CLUSTER_KINDS.join(', ')}, got '${kind}'`);
  // The run's shape comes from the report: a 3-member failure replays on 3 members.
  const members = r.backend.members === 3 && (kind === 'sim' || kind === 'memory' || kind === 'docker') ? 3 : 1;
  const cluster = await startCluster(kind, { uri: options.uri, members });
  const unhook = options.handleSignals ? interruptible({ cluster, writePartial: () => {} }) : () => {};
  try {
    const exact = cluster.kind === 'sim';
    log(
      `meltcheck replay: ${failure.id} [${failure.invariant}] on ${cluster.kind} [${banner(cluster)}], ${
        exact ? 'exactly (same seed, same generated steps, simulator)' : 'best effort (real cluster timing may differ)'
      }`,
    );
    const [result] = await runChecks(cluster, adapter, [check], {
      runs: r.runs,
      seed: data.seed,
      replay: data,
      runId: `rp${randomInt(1e8)}`,
      reuseDb: false,
      replayBase: '',
      // The same mint kind as the report's run (an external url: mint is not recorded: the test mint replays it).
      mint: selectMint({ kind: r.mint?.kind === 'nutshell' ? 'nutshell' : 'test' }, false),
    });
    const again = result.failures.find((f) => f.invariant === failure.invariant);
    return { failure, reproduced: Boolean(again), ...(again ? { again } : {}), adapterChanged, exact };
  } finally {
    unhook();
    await cluster.stop();
  }
}
