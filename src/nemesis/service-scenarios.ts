import type { ServiceAdapter } from '../adapter/contract.ts';
import type { Anomaly, Invariant } from '../checker/types.ts';
import type { Check } from '../harness/checks.ts';
import { claimDatabase, walletAppName } from '../harness/env.ts';
import { fakeInvoice } from '../mint/invoice.ts';
import { TestMint } from '../mint/server.ts';
import { failuresOf, resultOf } from '../report/failures.ts';
import { checkService } from './service-check.ts';

interface Story {
  name: string;
  description: string;
  invariants: Invariant[];
  /** Drives the wallet and the mint; returns notes for the report. */
  run(wallet: ServiceAdapter, mint: TestMint): Promise<string[]>;
}

const settle = async (wallet: ServiceAdapter) => JSON.stringify(await wallet.recover());

/** Mint and Lightning faults at the service level, each ending with recover() and the mint as oracle. */
const STORIES: Story[] = [
  {
    name: 'lightning-failed',
    description: 'The Lightning payment fails: the inputs are released and the wallet must still hold its money.',
    invariants: ['conservation', 'no-double-count'],
    async run(wallet, mint) {
      const invoice = fakeInvoice(200, 'ln-failed');
      mint.lightning.plan(invoice, { outcome: 'failed', feeReserve: 4 });
      const r = await wallet.melt(invoice).then(JSON.stringify, (e) => `threw: ${(e as Error).message}`);
      return [`melt: ${r}`, `recover: ${await settle(wallet)}`];
    },
  },
  {
    name: 'lightning-pending-then-paid',
    description: 'The payment stays pending, then settles: nothing is credited twice, the change arrives.',
    invariants: ['conservation', 'no-double-count', 'recovery'],
    async run(wallet, mint) {
      const invoice = fakeInvoice(300, 'ln-pending-paid');
      mint.lightning.plan(invoice, { outcome: 'pending', feeReserve: 10, actualFee: 2 });
      const r = await wallet.melt(invoice).then(JSON.stringify, (e) => `threw: ${(e as Error).message}`);
      const whilePending = await settle(wallet);
      const quote = [...mint.ledger.meltQuotes.values()].find((q) => q.request === invoice)!;
      mint.ledger.settle(quote.quote, 'paid');
      return [`melt: ${r}`, `recover while pending: ${whilePending}`, `recover after paid: ${await settle(wallet)}`];
    },
  },
  {
    name: 'lightning-pending-then-failed',
    description: 'The payment stays pending, then fails: the inputs come back to the wallet exactly once.',
    invariants: ['conservation', 'no-double-count', 'recovery'],
    async run(wallet, mint) {
      const invoice = fakeInvoice(300, 'ln-pending-failed');
      mint.lightning.plan(invoice, { outcome: 'pending', feeReserve: 10 });
      const r = await wallet.melt(invoice).then(JSON.stringify, (e) => `threw: ${(e as Error).message}`);
      const quote = [...mint.ledger.meltQuotes.values()].find((q) => q.request === invoice)!;
      mint.ledger.settle(quote.quote, 'failed');
      return [`melt: ${r}`, `recover after failed: ${await settle(wallet)}`];
    },
  },
  {
    name: 'melt-response-lost',
    description: 'The mint pays and signs the change, but the response never reaches the wallet.',
    invariants: ['conservation', 'no-double-count', 'recovery'],
    async run(wallet, mint) {
      const invoice = fakeInvoice(300, 'melt-lost');
      mint.lightning.plan(invoice, { feeReserve: 10, actualFee: 3 });
      mint.faults.add({ endpoint: '/v1/melt/bolt11', kind: 'response-lost' });
      const r = await wallet.melt(invoice).then(JSON.stringify, (e) => `threw: ${(e as Error).message}`);
      mint.faults.clear();
      return [`melt: ${r}`, `recover: ${await settle(wallet)}`];
    },
  },
];

function storyCheck(story: Story): Check {
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

export const SERVICE_SCENARIOS: Check[] = STORIES.map(storyCheck);
