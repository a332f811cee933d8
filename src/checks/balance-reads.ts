import type { RepositoryAdapter } from '../adapter/contract.ts';
import type { RunEnv } from '../harness/env.ts';
import type { CheckResult } from '../report/types.ts';
import { runInterleavings } from './interleavings.ts';
import { propertyCheck } from './melt-property.ts';
import type { Check, CheckOptions } from './types.ts';

/**
 * Jepsen's bank test for wallets: balances read while melts are in flight must each be the balance of a state a
 * serial order allows. On the simulator, first one melt and two balance reads by three wallet processes in
 * gate-scheduled orders (deterministic, exact replay, at most 4 operations); then, on every backend, the melt
 * property with Balance and ConcurrentMeltsAndReads among its commands (free-running concurrency).
 */
export const balanceReads: Check = {
  name: 'balance-reads',
  kind: 'property',
  invariants: ['balance-read', 'no-double-count', 'conservation', 'atomicity', 'audit', 'idempotency'],
  minimum: { committed: 1, readsConcurrent: 1 },
  walletProcesses: true,
  async run(env, opts) {
    const started = Date.now();
    const base = { name: 'balance-reads', kind: 'property' as const, invariants: this.invariants };
    if (typeof (env.adapter.adapter as RepositoryAdapter).balance !== 'function')
      return { ...base, status: 'skip', runs: 0, durationMs: 0, failures: [], skipReason: 'adapter has no balance()' };
    // On three members a wallet may read its balance from a secondary: one that lags must not show the user a
    // state older than the melts it already answered. The simulator keeps one secondary one step behind (it
    // catches up after every property step: it holds the deposits, not the melt of the step) and the other out of
    // the clients' reach, so every secondary read meets the stale one; primary reads see none.
    const topology = env.cluster.topology;
    const stale = topology?.staleSecondary ? await topology.staleSecondary() : undefined;
    const afterStep = stale !== undefined && topology?.catchUp ? () => topology.catchUp!(stale) : undefined;
    try {
      const r = await runParts(env, opts, base, afterStep);
      if (stale === undefined) return r;
      // The setting stood through every run: each failure names it (whether the wallet read that member or not).
      const fault = `setting: 3 members, member ${stale} kept a step behind, the other secondary cut off from the clients`;
      return {
        ...r,
        durationMs: Date.now() - started,
        failures: r.failures.map((f) => ({
          ...f,
          message: `${f.message} — ${fault}`,
          witness: { ...f.witness, topology: fault },
        })),
        stats: { ...r.stats, staleSecondary: 1 },
      };
    } finally {
      if (stale !== undefined) await topology!.restore();
    }
  },
};

/** The gated interleavings (simulator) and the property with balance reads, one result. */
async function runParts(
  env: RunEnv,
  opts: CheckOptions,
  base: Pick<CheckResult, 'name' | 'kind' | 'invariants'>,
  afterStep?: () => Promise<void>,
): Promise<CheckResult> {
  const started = Date.now();
  const part = opts.replay?.part;
  const parts: (CheckResult & { part: 'gate' | 'property' })[] = [];
  if (env.cluster.kind === 'sim' && part !== 'property') {
    const gated = await runInterleavings(env, opts, {
      name: 'balance-reads',
      invariants: ['balance-read', 'no-double-count', 'conservation', 'atomicity', 'audit'],
      funds: [[8, 2]],
      melters: 1,
      readers: 2,
    });
    parts.push({
      ...gated,
      part: 'gate',
      failures: gated.failures.map((f) => ({
        ...f,
        id: f.id.replace('#', '#gate-'),
        replayData: f.replayData && { ...f.replayData, part: 'gate' },
      })),
    });
  }
  const stop = opts.firstFailure && parts.some((p) => p.failures.length);
  // The property goes on from what the gated runs found: only kinds of anomaly they did not show.
  const found = parts.flatMap((p) => p.failures.map((f) => `${f.invariant}/${f.type}`));
  if (part !== 'gate' && !stop)
    parts.push({
      ...(await propertyCheck(env, opts, { ...base, reads: true, ignore: found, afterStep })),
      part: 'property',
    });
  const failures = parts.flatMap((p) => p.failures);
  return {
    ...base,
    status: failures.length ? 'fail' : 'pass',
    runs: parts.reduce((n, p) => n + p.runs, 0),
    durationMs: Date.now() - started,
    failures,
    stats: Object.fromEntries(
      parts.flatMap((p) => Object.entries(p.stats ?? {}).map(([k, v]) => [`${p.part}.${k}`, v])),
    ),
  };
}
