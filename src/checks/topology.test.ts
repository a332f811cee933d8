import { describe, expect, it } from 'vitest';
import { certify } from '../api/certify.ts';
import { replay } from '../api/replay.ts';
import type { RunEnv } from '../harness/env.ts';
import { primaryStepdown, w1Rollback } from './topology.ts';

// A stepdown on a shared server interrupts every user of it: refused unless meltcheck started the cluster.
describe('disruptive faults (no server needed)', () => {
  it('skips primary-stepdown on a real 3-member set meltcheck did not start, naming --allow-disruptive', async () => {
    const env = { cluster: { kind: 'uri', real: true, members: 3, disruptive: false } } as unknown as RunEnv;
    const r = await primaryStepdown.run(env, { runs: 1, seed: 1 });
    expect(r.status).toBe('skip');
    expect(r.skipReason).toMatch(/--allow-disruptive/);
  });

  it('skips both topology checks on one member, saying why (never listed as passing)', async () => {
    const env = { cluster: { kind: 'sim', real: false, members: 1 } } as unknown as RunEnv;
    for (const check of [primaryStepdown, w1Rollback]) {
      const r = await check.run(env, { runs: 1, seed: 1 });
      expect([r.name, r.status]).toEqual([check.name, 'skip']);
      expect(r.skipReason).toMatch(/3-member replica set .*--members 3.*one member/);
    }
  });
});

// Elections and rollbacks on the 3-member simulator are the harness's, not chance's: a failure replays exactly.
describe('topology checks on the 3-member simulator (sim backend)', { timeout: 120_000 }, () => {
  it('finds the rolled-back melt of a w:1 wallet, records the rollback, and replay reproduces it', async () => {
    const report = await certify({
      adapter: 'mutant:commit-w1',
      cluster: 'sim',
      members: 3,
      seed: 5,
      runs: 1,
      checks: ['primary-stepdown'],
    });
    expect(report.backend).toMatchObject({ kind: 'sim', real: false, members: 3 });
    const check = report.checks.find((c) => c.name === 'primary-stepdown')!;
    expect(check.status).toBe('fail');
    const failure = report.failures.find((f) => f.check === 'primary-stepdown' && f.invariant === 'atomicity')!;
    expect(failure.message).toMatch(/^stepdown-forced .*completed but sources still live/);
    // The rollback is in the history (a nemesis fault op naming the melt it undid) and in the witness.
    const topo = failure.witness.topology as { rolledBack: { documents: number; melts: string[] }; elections: number };
    expect(topo.elections).toBe(1);
    expect(topo.rolledBack.documents).toBeGreaterThan(0);
    expect(topo.rolledBack.melts).toHaveLength(1);
    const rollbackOps = failure.steps.filter(
      (o) => o.f === 'fault' && o.type === 'invoke' && 'rollback' in (o.value as object),
    );
    expect(rollbackOps.map((o) => (o.value as { rollback: unknown }).rollback)).toEqual([topo.rolledBack]);

    const again = await replay(report, failure.id);
    expect(again.exact).toBe(true);
    expect(again.reproduced).toBe(true);
    // Same seed: the same election, the same documents rolled back, the same melt, the same message.
    expect(again.again?.message).toBe(failure.message);
    expect(again.again?.witness.topology).toEqual(failure.witness.topology);
  });
});
