import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Mutant } from '../fixtures/mutants/_base.ts';
import { loadAdapter, MUTANTS_DIR } from '../src/adapter/load.ts';
import { simRunEnv } from '../src/testing/run-env.ts';
import { runMeltProperty } from './run-property.ts';

const ALL = readdirSync(MUTANTS_DIR)
  .filter((f) => f.endsWith('.ts') && !f.startsWith('_') && !f.endsWith('.test.ts'))
  .map((f) => f.replace(/\.ts$/, ''));
const MUTANTS: string[] = [];
for (const name of ALL) if ((await loadAdapter(`mutant:${name}`)).adapter.level === 'repository') MUTANTS.push(name);

/** Mutants only crash enumeration can see (the property injects errors, never a process death). */
const CRASH_ONLY = new Set(['manual-compensation']);
/** Mutants whose melt is the reference's and whose balance() is torn or stale: only balance reads can see them. */
const BALANCE_ONLY = new Set(['balance-two-reads', 'balance-total-minus-spent', 'balance-secondary-read']);
/** Mutants only a 3-member set can show (w:1, local reads, failover retries): the topology checks catch them. */
const TOPOLOGY_ONLY = new Set(['commit-w1', 'local-read-shortcut', 'stepdown-reapply']);

// Every repository-level mutant but the crash-only ones must be caught by the property alone, shrink to at most
// 5 operations, and replay from its seed. Service-level mutants are outside the property's reach.
describe('melt property: mutants (sim backend)', () => {
  it('misses the balance-only mutants without reads: why balance-reads exists', async () => {
    for (const name of BALANCE_ONLY) {
      const env = await simRunEnv(`mutant:${name}`, 11);
      try {
        expect((await runMeltProperty(env, { runs: 100, seed: 11 })).ok).toBe(true);
      } finally {
        await env.close();
      }
    }
  });

  it('misses the crash-only mutants: why crash enumeration exists', async () => {
    for (const name of CRASH_ONLY) {
      const env = await simRunEnv(`mutant:${name}`, 11);
      try {
        expect((await runMeltProperty(env, { runs: 200, seed: 11 })).ok).toBe(true);
      } finally {
        await env.close();
      }
    }
  });

  it('misses the topology-only mutants on one member: why the 3-member topology checks exist', async () => {
    for (const name of TOPOLOGY_ONLY) {
      const env = await simRunEnv(`mutant:${name}`, 11);
      try {
        expect((await runMeltProperty(env, { runs: 100, seed: 11 })).ok).toBe(true);
      } finally {
        await env.close();
      }
    }
  });

  for (const name of MUTANTS.filter((m) => !CRASH_ONLY.has(m) && !BALANCE_ONLY.has(m) && !TOPOLOGY_ONLY.has(m))) {
    it(`catches ${name}, shrinks to <= 5 operations, and replays`, async () => {
      const env = await simRunEnv(`mutant:${name}`, 11);
      try {
        // The first counterexample is all this test asserts on: the search for further anomaly kinds (the rest of
        // the run budget) is the melt-property check's, run on every mutant by the kill matrix.
        const r = await runMeltProperty(env, { runs: 300, seed: 11, firstOnly: true });
        expect(r.ok).toBe(false);
        const found = r.counterexamples[0];
        expect(found.commands!.length).toBeLessThanOrEqual(5);
        expect(found.error).toContain(`[${(env.adapter.adapter as Mutant).breaks}]`);
        expect(found.history?.length).toBeGreaterThan(0);
        const again = await runMeltProperty(env, {
          runs: 300,
          seed: found.seed,
          path: found.path,
          replayPath: found.replayPath,
        });
        expect(again.ok).toBe(false);
        expect(again.counterexamples[0].commands).toEqual(found.commands);
      } finally {
        await env.close();
      }
    });
  }
});
