import type { ServiceAdapter } from '../adapter/contract.ts';
import { checkService } from '../checker/service-books.ts';
import type { Anomaly } from '../checker/types.ts';
import { AdapterBroke, firstLine, withTimeout } from '../harness/containment.ts';
import { claimDatabase, walletAppName } from '../harness/env.ts';
import type { ServiceStory } from '../harness/service-story.ts';
import { TestMint } from '../mint/server.ts';
import { failuresOf, resultOf } from '../report/failures.ts';
import type { Check } from './types.ts';

/** Runs a service story against a fresh test mint and database, then checks holdings against the mint. */
export function storyCheck(story: ServiceStory): Check {
  return {
    name: story.name,
    kind: 'scenario',
    level: 'service',
    invariants: story.invariants,
    minimum: { mintMelts: 1 },
    async run(env) {
      const started = Date.now();
      const wallet = env.adapter.adapter as ServiceAdapter;
      const dbName = await claimDatabase(env, story.name);
      const mint = await TestMint.start({ seed: `story${env.seed}`, inputFeePpk: 100 });
      let anomalies: Anomaly[] = [];
      let notes: string[] = [];
      let numbers: Record<string, number> = {};
      try {
        const bounded = <T>(what: string, p: Promise<T>) => withTimeout(what, p, env.opTimeoutMs);
        await bounded(
          'setup',
          wallet.setup({
            uri: env.cluster.uri,
            dbName,
            appName: walletAppName(env),
            mintUrl: mint.url,
            seed: env.seed,
          }),
        );
        await bounded('fund', wallet.fund(1000));
        notes = await bounded('the story', story.run(wallet, mint));
        env.tally.mintMelts += [...mint.ledger.meltQuotes.values()].filter((q) => q.inputs?.length).length;
        const holdings = await bounded('holdings', wallet.holdings());
        await bounded('recover', wallet.recover());
        ({ anomalies, numbers } = checkService(holdings, mint.ledger, await bounded('holdings', wallet.holdings())));
        if (!mint.ledger.identity().holds) throw new Error("the test mint's books do not balance (harness bug)");
      } catch (e) {
        // The adapter or the harness broke: no verdict on the wallet's invariants either way.
        throw e instanceof AdapterBroke ? e : new AdapterBroke(`the story did not complete: ${firstLine(e)}`);
      } finally {
        await withTimeout('teardown', wallet.teardown(), env.opTimeoutMs).catch(() => {});
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
