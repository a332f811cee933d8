import type { ServiceAdapter } from '../adapter/contract.ts';
import { checkService } from '../checker/service-books.ts';
import type { Anomaly } from '../checker/types.ts';
import { AdapterBroke, firstLine, withTimeout } from '../harness/containment.ts';
import { claimDatabase, walletAppName } from '../harness/env.ts';
import type { ServiceStory } from '../harness/service-story.ts';
import { MintUnsupported, testMintProvider } from '../mint/provider.ts';
import { failuresOf, resultOf } from '../report/failures.ts';
import type { Check } from './types.ts';

/** The harness could not read the mint's books: not the wallet's doing, never a pass. */
class BooksUnreadable extends Error {}

/**
 * Runs a service story against a fresh mint (env.mint: the test mint or nutshell) and database, then checks
 * holdings against that mint's books.
 */
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
      const mint = await (env.mint ?? testMintProvider).start({ label: `story${env.seed}`, inputFeePpk: 100 });
      let anomalies: Anomaly[] = [];
      let notes: string[] = [];
      let numbers: Record<string, number> = {};
      let skipped: string | undefined;
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
            // In-process nothing is killed: a declared crash point goes on at once.
            crashPoint: async () => {},
          }),
        );
        await bounded('fund', wallet.fund(1000));
        notes = await bounded('the story', story.run(wallet, mint));
        env.tally.mintMelts += mint.melts();
        const holdings = await bounded('holdings', wallet.holdings());
        await bounded('recover', wallet.recover());
        const again = await bounded('holdings', wallet.holdings());
        const books = await mint.books([...holdings, ...again]).catch((e) => {
          throw new BooksUnreadable(`reading the ${mint.kind} mint's books: ${firstLine(e)}`);
        });
        ({ anomalies, numbers } = checkService(holdings, books, again));
        if (books.balanced === false) throw new Error(`the ${mint.kind} mint's books do not balance (harness bug)`);
      } catch (e) {
        // A Lightning outcome this mint cannot produce: skipped with the reason, never faked.
        if (e instanceof MintUnsupported) skipped = `${mint.kind} mint (${mint.version}): ${e.message}`;
        // The adapter or the harness broke: no verdict on the wallet's invariants either way.
        else throw e instanceof AdapterBroke ? e : new AdapterBroke(`the story did not complete: ${firstLine(e)}`);
      } finally {
        await withTimeout('teardown', wallet.teardown(), env.opTimeoutMs).catch(() => {});
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
