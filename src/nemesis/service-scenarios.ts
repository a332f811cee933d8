import type { ServiceAdapter } from '../adapter/contract.ts';
import type { Anomaly } from '../checker/types.ts';
import type { Check } from '../harness/checks.ts';
import { claimDatabase, walletAppName } from '../harness/env.ts';
import { TestMint } from '../mint/server.ts';
import { failuresOf, resultOf } from '../report/failures.ts';
import { checkService } from './service-check.ts';
import type { ServiceStory } from './service-story.ts';

/** Runs a service story against a fresh test mint and database, then checks holdings against the mint. */
export function storyCheck(story: ServiceStory): Check {
  return {
    name: story.name,
    kind: 'scenario',
    level: 'service',
    invariants: story.invariants,
    async run(env) {
      const started = Date.now();
      const wallet = env.adapter.adapter as ServiceAdapter;
      const dbName = await claimDatabase(env, story.name);
      const mint = await TestMint.start({ seed: `story${env.seed}`, inputFeePpk: 100 });
      let anomalies: Anomaly[] = [];
      let notes: string[] = [];
      let numbers: Record<string, number> = {};
      try {
        await wallet.setup({
          uri: env.cluster.uri,
          dbName,
          appName: walletAppName(env),
          mintUrl: mint.url,
          seed: env.seed,
        });
        await wallet.fund(1000);
        notes = await story.run(wallet, mint);
        const holdings = await wallet.holdings();
        await wallet.recover();
        ({ anomalies, numbers } = checkService(holdings, mint.ledger, await wallet.holdings()));
        if (!mint.ledger.identity().holds) notes.push('mint books do not balance (harness bug)');
      } catch (e) {
        anomalies = [
          {
            invariant: 'recovery',
            type: 'story-crashed',
            message: `the story did not complete: ${(e as Error).message}`,
            witness: {},
          },
        ];
      } finally {
        await wallet.teardown().catch(() => {});
        await mint.stop();
        await env.admin.db(dbName).dropDatabase();
      }
      const failures = failuresOf(anomalies, { check: story.name, witness: { notes, numbers }, seed: env.seed });
      return resultOf(story.name, 'scenario', started, {
        runs: 1,
        invariants: story.invariants,
        failures,
        stats: numbers,
      });
    },
  };
}
