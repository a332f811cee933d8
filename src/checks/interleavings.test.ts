import { describe, expect, it } from 'vitest';
import { simRunEnv } from '../testing/run-env.ts';
import { interleavings } from './interleavings.ts';

// Command-level interleavings through the simulator's gate: a failing schedule, found once, replays exactly.
describe('interleavings (sim backend, 3 wallet processes)', () => {
  it('finds the check-then-act race and replays the same schedule from seed and path', async () => {
    const env = await simRunEnv('mutant:check-then-act', 4);
    try {
      // The first search's schedule is what replays; the searches for further kinds are the check's, run on this
      // mutant by the kill matrix.
      const first = await interleavings.run(env, { runs: 20, seed: 4, firstFailure: true });
      expect(first.status).toBe('fail');
      expect(first.failures[0].invariant).toBe('no-double-count');
      const schedule = first.failures[0].witness.schedule;
      const again = await interleavings.run(env, { runs: 20, seed: 4, replay: first.failures[0].replayData });
      expect(again.status).toBe('fail');
      expect(again.failures[0].witness.schedule).toEqual(schedule);
      expect(again.failures.map((f) => f.type)).toEqual(first.failures.map((f) => f.type));
    } finally {
      await env.close();
    }
  });
});
