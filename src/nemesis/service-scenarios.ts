import type { ServiceAdapter } from '../adapter/contract.ts';
import type { Anomaly } from '../checker/types.ts';
import type { Check } from '../harness/checks.ts';
import { claimDatabase, walletAppName } from '../harness/env.ts';
import { MintUnsupported, testMintProvider } from '../mint/provider.ts';
import { failuresOf, resultOf } from '../report/failures.ts';
import { checkService } from './service-check.ts';
import type { ServiceStory } from './service-story.ts';

/** Runs a service story against a fresh mint (env.mint: test or nutshell) and database, then checks holdings against its books. */
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
      const mint = await (env.mint ?? testMintProvider).start({ label: `story${env.seed}`, inputFeePpk: 100 });
      let anomalies: Anomaly[] = [];
      let notes: string[] = [];
      let numbers: Record<string, number> = {};
      let skipped: string | undefined;
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
        const again = await wallet.holdings();
        const books = await mint.books([...holdings, ...again]).catch((e) => {
          throw Object.assign(e as Error, { harness: true });
        });
        ({ anomalies, numbers } = checkService(holdings, books, again));
        if (books.balanced === false) notes.push(`${mint.kind} mint books do not balance (harness bug)`);
      } catch (e) {
        if (e instanceof MintUnsupported) skipped = `${mint.kind} mint (${mint.version}): ${e.message}`;
        // The harness failing to read the mint's books is not the wallet's fault: the check crashes (never passes).
        if ((e as { harness?: boolean }).harness) throw e;
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
      if (skipped)
        return {
          ...resultOf(story.name, 'scenario', started, { runs: 0, invariants: story.invariants, failures: [] }),
          status: 'skip',
          skipReason: skipped,
        };
      notes.push(`mint: ${mint.kind} ${mint.version}`);
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
