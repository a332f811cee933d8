import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serviceCrashPoints } from '../../../checks/service-crash-points.ts';
import { simRunEnv } from '../../../testing/run-env.ts';

// The crash story: the reference melt service in a child process, against the simulator and the test mint,
// SIGKILLed before and after each mint call of one melt; a new process runs recover(); the holdings must then
// equal what the mint says they are worth, nothing counted twice, nothing left pending.
describe('reference melt service crash story (sim backend, test mint)', () => {
  let env: Awaited<ReturnType<typeof simRunEnv>>;
  beforeAll(async () => {
    env = await simRunEnv('reference-service', 5);
  });
  afterAll(() => env.close());

  it('recovers from a SIGKILL at every step, and says what recover() found and did', async () => {
    const r = await serviceCrashPoints('mint').run(env, { runs: 1, seed: 5 });
    console.log(
      r
        .points!.map(
          (p) => `${p.point.padEnd(9)} ${p.command.padEnd(32)} ${p.valid ? 'ok ' : 'BAD'} recover: ${p.assumed}`,
        )
        .join('\n'),
    );
    expect(r.failures.map((f) => f.message)).toEqual([]);
    const steps = r.points!.map((p) => p.command);
    expect(steps).toContain('mint /v1/swap');
    expect(steps).toContain('mint /v1/melt/bolt11');
    // After the swap the sources are gone at the mint: recover must have restored outputs and settled.
    const afterSwap = r.points!.find((p) => p.point.startsWith('after') && p.command === 'mint /v1/swap')!;
    expect(afterSwap.assumed).toMatch(/"did":"settled","restored":[1-9]/);
    // Killed before the swap: nothing reached the mint, the reservation is released.
    const beforeSwap = r.points!.find((p) => p.point.startsWith('before') && p.command === 'mint /v1/swap')!;
    expect(beforeSwap.assumed).toMatch(/"did":"released"/);
  });
});
