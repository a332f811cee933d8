/** `--shard i/n`: this job is the i-th of n (1-based). */
export interface Shard {
  index: number;
  total: number;
}

/** Parses `i/n`; undefined for a malformed value (the caller says why, in one line). */
export function parseShard(text: string): Shard | undefined {
  const m = /^(\d+)\/(\d+)$/.exec(text.trim());
  if (!m) return undefined;
  const index = Number(m[1]);
  const total = Number(m[2]);
  return total >= 1 && index >= 1 && index <= total ? { index, total } : undefined;
}

export interface ShardPlan<C> {
  /** Checks this shard runs with the run's own seed and runs. */
  whole: C[];
  /** Property checks: every shard runs its share of the runs, with a seed of its own. */
  split: C[];
  runs: number;
  seed: number;
}

/**
 * Splits checks deterministically: property checks share their runs across every shard (shard i runs its part
 * with seed + i - 1, so shard 1/1 is the unsharded run); every other check goes to one shard, round robin in
 * the fixed order of the check list. The union over all shards is exactly the unsharded selection.
 */
export function planShard<C extends { name: string; kind: string }>(
  checks: C[],
  runs: number,
  seed: number,
  shard: Shard = { index: 1, total: 1 },
): ShardPlan<C> {
  const property = checks.filter((c) => c.kind === 'property');
  const others = checks.filter((c) => c.kind !== 'property');
  const i = shard.index - 1;
  const share = Math.floor(runs / shard.total) + (i < runs % shard.total ? 1 : 0);
  return {
    whole: others.filter((_, j) => j % shard.total === i),
    split: share > 0 ? property : [],
    runs: share,
    seed: (seed + i) % 2 ** 31,
  };
}
