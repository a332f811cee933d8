import { describe, expect, it } from 'vitest';
import { CHECK_REGISTRY as CHECKS } from '../checks/registry.ts';
import type { Report } from '../report/report.ts';
import { certify } from './certify.ts';
import { mergeReports } from './merge.ts';
import { parseShard, planShard } from './shard.ts';

describe('planShard (pure)', () => {
  it('parses i/n and refuses the rest', () => {
    expect(parseShard('2/3')).toEqual({ index: 2, total: 3 });
    for (const bad of ['0/2', '3/2', '1/0', '1', 'a/b', '1/2/3']) expect(parseShard(bad)).toBeUndefined();
  });

  it('covers every check exactly once and every property run once, for any n', () => {
    for (const total of [1, 2, 3, 5]) {
      const plans = Array.from({ length: total }, (_, i) => planShard(CHECKS, 200, 42, { index: i + 1, total }));
      const whole = plans.flatMap((p) => p.whole.map((c) => c.name));
      expect(new Set(whole).size).toBe(whole.length);
      const property = CHECKS.filter((c) => c.kind === 'property').map((c) => c.name);
      expect([...whole, ...property].sort()).toEqual(CHECKS.map((c) => c.name).sort());
      expect(plans.reduce((s, p) => s + p.runs, 0)).toBe(200);
      for (const p of plans) expect(p.split.map((c) => c.name)).toEqual(property);
      expect(new Set(plans.map((p) => p.seed)).size).toBe(total);
    }
    expect(planShard(CHECKS, 200, 42)).toMatchObject({ runs: 200, seed: 42 });
    expect(planShard(CHECKS, 200, 42).whole).toHaveLength(CHECKS.filter((c) => c.kind !== 'property').length);
  });

  it('gives a shard with no runs left no property checks', () => {
    expect(planShard(CHECKS, 1, 1, { index: 2, total: 2 }).split).toEqual([]);
  });
});

const statuses = (r: Report) => Object.fromEntries(r.checks.map((c) => [c.name, c.status]));

describe('--shard 1/2 + 2/2 + merge-reports = one unsharded run (sim backend)', () => {
  for (const [adapter, checks, verdict] of [
    ['reference', ['successful-melt', 'rollback-on-failure', 'single-token-exact', 'melt-property'], 'pass'],
    ['mutant:check-then-act', ['successful-melt', 'concurrent-same-sources', 'melt-property'], 'fail'],
  ] as const)
    it(`${adapter}: same checks, same statuses, same verdict (${verdict})`, async () => {
      const base = { adapter, cluster: 'sim' as const, checks: [...checks], runs: 12, seed: 9 };
      const whole = await certify(base);
      const s1 = await certify({ ...base, shard: { index: 1, total: 2 } });
      const s2 = await certify({ ...base, shard: { index: 2, total: 2 } });
      expect(s1.checks.length + s2.checks.length).toBeGreaterThan(checks.length); // melt-property is in both
      const merged = mergeReports([s2, s1]);
      expect(whole.verdict).toBe(verdict);
      expect(merged.verdict).toBe(whole.verdict);
      expect(statuses(merged)).toEqual(statuses(whole));
      expect(merged.checks.map((c) => c.name)).toEqual(whole.checks.map((c) => c.name));
      expect(merged.checks.find((c) => c.name === 'melt-property')?.runs).toBe(
        (s1.checks.find((c) => c.name === 'melt-property')?.runs ?? 0) +
          (s2.checks.find((c) => c.name === 'melt-property')?.runs ?? 0),
      );
      expect(new Set(merged.failures.map((f) => f.id)).size).toBe(merged.failures.length);
      expect(merged.mergedFrom).toEqual([s1.runId, s2.runId]);
      // A missing shard would hide its checks: refused.
      expect(() => mergeReports([s1])).toThrow(/shard 2 of 2 is missing/);
    });
});
