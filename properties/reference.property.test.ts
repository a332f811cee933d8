import { fc, test } from '@fast-check/vitest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openRun, type RunContext } from '../src/harness/run-context.ts';
import { simRunEnv } from '../src/testing/run-env.ts';
import { meltAndReadCommands } from './commands.ts';
import type { Model, Real } from './model.ts';

// Quick profile: 1,000 generated command sequences against the reference on the simulator, invariants after
// every step — balance-read included: Balance and ConcurrentMeltsAndReads are among the commands. A failure prints fast-check's seed and path; `meltcheck certify --runs` runs the same property.
describe('melt property: reference (sim backend)', () => {
  let env: Awaited<ReturnType<typeof simRunEnv>>;
  let run: RunContext;
  beforeAll(async () => {
    env = await simRunEnv('reference', 20261125);
    run = await openRun(env, 'ref-property');
  });
  afterAll(async () => {
    await run.close();
    await env.close();
  });

  test.prop([fc.commands(meltAndReadCommands, { maxCommands: 6 })], { numRuns: 1000, seed: 20261125 })(
    'holds every invariant over 1,000 generated runs',
    async (cmds) => {
      await run.reset();
      const meta = await run.ctx.owner('prop');
      await fc.asyncModelRun(
        () => ({ model: { live: [], meltIds: [], next: 0 } as Model, real: { run, meta } as Real }),
        cmds,
      );
    },
  );

  it('judged balance reads in those runs, many of them while melts were in flight', () => {
    expect(env.tally.reads).toBeGreaterThan(100);
    expect(env.tally.readsConcurrent).toBeGreaterThan(50);
  });
});
