import { describe, expect, it } from 'vitest';
import type { RunEnv } from '../harness/env.ts';
import { primaryStepdown } from './topology.ts';

// A stepdown on a shared server interrupts every user of it: refused unless meltcheck started the cluster.
describe('disruptive faults (no server needed)', () => {
  it('skips primary-stepdown on a real 3-member set meltcheck did not start, naming --allow-disruptive', async () => {
    const env = { cluster: { kind: 'uri', real: true, members: 3, disruptive: false } } as unknown as RunEnv;
    const r = await primaryStepdown.run(env, { runs: 1, seed: 1 });
    expect(r.status).toBe('skip');
    expect(r.skipReason).toMatch(/--allow-disruptive/);
  });
});
