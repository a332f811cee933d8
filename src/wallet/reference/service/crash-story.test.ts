import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCheck } from '../../../checks/run-check.ts';
import { serviceCrashPoints } from '../../../checks/service-crash-points.ts';
import { SERVICE_SHAPES } from '../../../checks/service-shapes.ts';
import { simRunEnv } from '../../../testing/run-env.ts';

// The crash story, swept over melt shapes: the reference melt service in a child process, against the simulator
// and the test mint, SIGKILLed before and after each mint call of one melt of each shape; a new process runs
// recover(); the holdings must then equal what the mint says they are worth, nothing counted twice.
describe('reference melt service crash sweep (sim backend, test mint)', () => {
  let env: Awaited<ReturnType<typeof simRunEnv>>;
  beforeAll(async () => {
    env = await simRunEnv('reference-service', 5);
  });
  afterAll(() => env.close());

  it('recovers from a SIGKILL at every mint call of every shape, each shape exercised', async () => {
    const r = await runCheck(serviceCrashPoints('mint'), env, { runs: 1, seed: 5 });
    console.log(r.points!.map((p) => `${p.point.padEnd(56)} ${p.valid ? 'ok ' : 'BAD'} ${p.assumed}`).join('\n'));
    expect(r.failures.map((f) => f.message)).toEqual([]);
    // Passed, not merely unfailed: every shape did what it demands (a swap, change, fees) and every crash landed.
    expect([r.status, r.reason]).toEqual(['pass', undefined]);
    expect(r.stats?.notLanded).toBe(0);
    const at = (shape: string, label: string) => r.points!.find((p) => p.point === `${shape}: ${label}`);
    for (const s of SERVICE_SHAPES) {
      expect(at(s.name, 'none'), s.name).toBeDefined();
      expect(at(s.name, 'after melt: mint /v1/melt/bolt11 #1')?.valid, s.name).toBe(true);
      // Exact shapes melt their sources as they are: no swap point at all.
      expect(Boolean(at(s.name, 'after melt: mint /v1/swap #1')), s.name).toBe(s.demands.swap);
    }
    // After the swap the sources are gone at the mint: recover must have restored outputs and settled.
    expect(at('swap-change', 'after melt: mint /v1/swap #1')?.assumed).toMatch(/"did":"settled","restored":[1-9]/);
    // Killed before the swap: nothing reached the mint, the reservation is released.
    expect(at('swap-change', 'before melt: mint /v1/swap #1')?.assumed).toMatch(/"did":"released"/);
    // Killed after an exact melt with change: the change is restored from the mint.
    expect(at('exact-change', 'after melt: mint /v1/melt/bolt11 #1')?.assumed).toMatch(/"restored":[1-9]/);
  });
});
