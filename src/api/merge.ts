import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { CHECK_REGISTRY as CHECKS } from '../checks/registry.ts';
import { UsageError } from '../cli/args.ts';
import { loadReport, ReportError } from '../report/load.ts';
import { buildReport, type Report } from '../report/report.ts';
import type { CheckResult, Failure } from '../report/types.ts';
import { writeReport } from '../report/write.ts';
import { runIdNow } from './run.ts';

/** A report.json path, or a directory holding one. */
function reportPath(p: string): string {
  return existsSync(p) && statSync(p).isDirectory() ? join(p, 'report.json') : p;
}

// When shards disagree about a check, the worst status wins; a status this build does not know ranks just
// below 'fail' so that it can never turn into a pass.
const RANK = ['fail', 'error', 'inconclusive', 'pass', 'not-exercised', 'skip'];
const rank = (s: string) => (RANK.includes(s) ? RANK.indexOf(s) : 0.5);

function mergeCheck(a: CheckResult, b: CheckResult): CheckResult {
  const stats = { ...(a.stats ?? {}) };
  for (const [k, v] of Object.entries(b.stats ?? {})) stats[k] = (stats[k] ?? 0) + v;
  const better = rank(b.status) < rank(a.status) ? b : a;
  return {
    ...better,
    runs: a.runs + b.runs,
    durationMs: a.durationMs + b.durationMs,
    failures: [...a.failures, ...b.failures],
    ...(a.stats || b.stats ? { stats } : {}),
    ...(a.points || b.points ? { points: [...(a.points ?? []), ...(b.points ?? [])] } : {}),
  };
}

/** Refuses sets of reports whose merge would not mean one certification (one missing shard would hide its checks). */
function refuseMismatch(reports: Report[], paths: string[]): void {
  const first = reports[0];
  for (const [i, r] of reports.entries()) {
    if (r.adapter.sha256 !== first.adapter.sha256)
      throw new UsageError(`${paths[i]} certified a different adapter file than ${paths[0]} (sha256 differs)`);
    if (r.backend.kind !== first.backend.kind || r.backend.serverVersion !== first.backend.serverVersion)
      throw new UsageError(
        `${paths[i]} ran on ${r.backend.kind} ${r.backend.serverVersion}, ${paths[0]} on ${first.backend.kind} ${first.backend.serverVersion}: merge each backend's shards separately`,
      );
  }
  const sharded = reports.filter((r) => r.shard);
  if (sharded.length === 0) return;
  if (sharded.length !== reports.length) throw new UsageError('cannot merge sharded and unsharded reports together');
  const total = first.shard!.total;
  if (reports.some((r) => r.shard!.total !== total))
    throw new UsageError('the reports come from different --shard totals');
  const seen = reports.map((r) => r.shard!.index).sort((x, y) => x - y);
  const missing = Array.from({ length: total }, (_, i) => i + 1).filter((i) => !seen.includes(i));
  if (missing.length)
    throw new UsageError(`shard ${missing.join(', ')} of ${total} is missing: the verdict would not cover its checks`);
  if (seen.length !== total) throw new UsageError('a shard appears twice among the reports');
}

const order = (name: string) => {
  const i = CHECKS.findIndex((c) => c.name === name);
  return i < 0 ? CHECKS.length : i;
};

export interface MergeOptions {
  /** Writes the merged reports here; nothing is written when omitted. */
  out?: string;
}

/**
 * Merges the report.json files of the shards of one run (or of runs over disjoint check subsets) into one
 * report: each check once (runs and failures of a property check split across shards added up), one verdict.
 */
export function mergeReports(sources: (string | Report)[], options: MergeOptions = {}): Report {
  if (sources.length === 0) throw new UsageError('merge-reports needs at least one report directory');
  const paths = sources.map((s, i) => (typeof s === 'string' ? reportPath(s) : `report #${i + 1}`));
  const reports = sources.map((s, i) => {
    if (typeof s !== 'string') return s;
    try {
      return loadReport(paths[i]);
    } catch (e) {
      if (e instanceof ReportError) throw new UsageError(e.message);
      throw e;
    }
  });
  refuseMismatch(reports, paths);
  reports.sort((a, b) => (a.shard?.index ?? 0) - (b.shard?.index ?? 0));
  const byName = new Map<string, CheckResult>();
  const ids = new Set<string>();
  for (const r of reports) {
    for (const c of r.checks) {
      // Failure ids stay unique: a property check's shards both number theirs from #1.
      const failures: Failure[] = r.failures
        .filter((f) => f.check === c.name)
        .map((f) => {
          const id = ids.has(f.id) ? `s${r.shard?.index ?? reports.indexOf(r) + 1}:${f.id}` : f.id;
          ids.add(id);
          return { ...f, id };
        });
      const result = { ...c, failures } as CheckResult;
      const prev = byName.get(c.name);
      byName.set(c.name, prev ? mergeCheck(prev, result) : result);
    }
  }
  const out = options.out;
  for (const c of byName.values())
    for (const f of c.failures)
      f.replay = `npx meltcheck replay ${out ? join(out, 'report.json') : 'report.json'} --failure '${f.id}'`;
  const first = reports[0];
  const report = buildReport(
    {
      runId: `merged-${runIdNow()}`,
      startedAt: reports.map((r) => r.startedAt).sort()[0],
      durationMs: Math.max(...reports.map((r) => r.durationMs)),
      backend: first.backend,
      adapter: first.adapter,
      seed: first.seed,
      runs: first.runs,
      mergedFrom: reports.map((r) => r.runId),
    },
    // The check list's order, as an unsharded run reports them; names this build does not know go last.
    [...byName.values()].sort((a, b) => order(a.name) - order(b.name)),
  );
  report.environment = first.environment; // the machine that ran the checks, not the one merging
  if (out) writeReport(out, report);
  return report;
}
