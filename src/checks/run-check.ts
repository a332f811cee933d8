import { AdapterBroke, firstLine } from '../harness/containment.ts';
import type { RunEnv } from '../harness/env.ts';
import { walletAppName } from '../harness/env.ts';
import { Tally } from '../harness/tally.ts';
import { groupFailures } from '../report/failures.ts';
import type { CheckResult } from '../report/types.ts';
import { shortfall } from './exercise.ts';
import type { Check, CheckOptions, Minimum } from './types.ts';

/** Deadline of one whole check; past it the check ends `error` and its wallet processes are killed. */
export const DEFAULT_CHECK_TIMEOUT_MS = 10 * 60_000;

const REPOSITORY_MINIMUM: Minimum = { committed: 1 };

/**
 * Runs one check and decides its status, Jepsen-honest: a violation is `fail`; the adapter or the harness
 * breaking (timeout, process.exit, a wallet process dying on its own, a throw outside a melt) is `error`; a run
 * that did not do what the check exists for (counted by the harness) is `not-exercised`; only the rest passes.
 */
export async function runCheck(
  check: Check,
  env: RunEnv,
  opts: CheckOptions & { checkTimeoutMs?: number },
): Promise<CheckResult> {
  const level = check.level ?? 'repository';
  if (level !== env.adapter.adapter.level)
    return {
      ...empty(check),
      status: 'skip',
      skipReason: `${level}-level check; adapter ${env.adapter.spec} is ${env.adapter.adapter.level}-level`,
    };
  const started = Date.now();
  // Each check counts into its own tally and process set: a check abandoned at its deadline cannot touch the next.
  const own: RunEnv = { ...env, tally: new Tally(), processes: new Set() };
  env.tally = own.tally;
  env.processes = own.processes;
  const mark = env.containment.install().incidents.length;
  let result: CheckResult;
  let broke: string | undefined;
  try {
    result = await deadline(
      check.run(own, opts),
      opts.checkTimeoutMs ?? check.deadlineMs?.(opts) ?? DEFAULT_CHECK_TIMEOUT_MS,
      check.name,
    );
  } catch (e) {
    broke =
      e instanceof AdapterBroke
        ? firstLine(e)
        : `the check itself failed (harness or environment error): ${firstLine(e)}`;
    result = { ...empty(check), durationMs: Date.now() - started };
  } finally {
    for (const p of own.processes) p.kill();
  }
  const died = [...own.processes].map((p) => p.diedOnItsOwn).find(Boolean);
  const incidents = env.containment.since(mark);
  // The root cause first: a wallet process that died on its own explains the errors that followed.
  const why =
    broke ??
    died ??
    incidents[0] ??
    (own.tally.opTimeouts ? `${own.tally.opTimeouts} wallet call(s) timed out` : undefined);
  const t = own.tally;
  const exercised: NonNullable<CheckResult['exercised']> = { counts: t.counts() };
  if (t.refused * 2 > t.attempted && t.attempted > 0)
    exercised.note = `the wallet refused ${t.refused} of ${t.attempted} melts; first error: ${t.firstRefusal}`;
  if (result.status === 'skip') return result;
  result = { ...result, failures: groupFailures(result.failures) };
  // A violation stands whatever else happened: the wallet did break an invariant.
  const violations = result.failures.filter((f) => f.invariant !== 'expectation');
  if (violations.length) return { ...result, status: 'fail', exercised, ...(why ? { reason: why } : {}) };
  if (why) return { ...result, status: 'error', reason: why, exercised };
  // The check itself found that it did not do what it exists for (e.g. a shape the wallet did not take).
  if (result.status === 'not-exercised') return { ...result, exercised: { ...exercised, shortfall: result.reason } };
  const missing = shortfall(check.minimum ?? (level === 'repository' ? REPOSITORY_MINIMUM : {}), t, walletAppName(env));
  if (missing)
    return { ...result, status: 'not-exercised', reason: missing, exercised: { ...exercised, shortfall: missing } };
  return { ...result, status: result.failures.length ? 'fail' : 'pass', exercised };
}

function empty(check: Check): CheckResult {
  return {
    name: check.name,
    kind: check.kind,
    status: 'pass',
    runs: 0,
    durationMs: 0,
    invariants: check.invariants,
    failures: [],
  };
}

async function deadline<T>(p: Promise<T>, ms: number, name: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      p,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new AdapterBroke(`check ${name} did not finish within ${ms} ms`)), ms);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}
