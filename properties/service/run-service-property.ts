import fc from 'fast-check';
import { AdapterBroke, firstLine } from '../../src/harness/containment.ts';
import { claimDatabase, type RunEnv } from '../../src/harness/env.ts';
import type { History } from '../../src/history/op.ts';
import { anomalyKey, InvariantViolation } from '../model.ts';
import type { Counterexample, PropertyOptions, PropertyOutcome } from '../run-property.ts';
import { runParams, type ServiceModel, serviceCommands } from './commands.ts';
import { ServiceRun, WalletPool } from './service-run.ts';

/** As the repository property's options; balance reads are a repository-level notion. */
export type ServicePropertyOptions = Omit<PropertyOptions, 'reads'>;

const MAX_SEARCHES = 4;
/** Runs each search after the first counterexample may take (the first search has the whole budget). */
const FOLLOW_UP_RUNS = 25;
/**
 * Stories fast-check may run while shrinking one counterexample. Each costs a mint, a database and often a wallet
 * process (a second or more), and stories are at most six steps anyway: past the budget, candidates are not run
 * (counted as passing), so the last failing story found is the one reported. A count, not a time: the same seed
 * gives the same counterexample on any machine, and replay by path reaches it directly.
 */
const SHRINK_BUDGET = 12;

/**
 * The model-based service property: generated stories of Fund, Melt (fee reserve, input fees, Lightning outcome),
 * TwoMelts, Fault, Crash and RecoverTwice against a fresh test mint per run, invariants after every step, shrinking
 * on. As the repository property: after a counterexample the search goes on ignoring the kinds found; each
 * counterexample replays exactly from (seed, path, replayPath, ignore).
 */
export async function runServiceProperty(
  env: RunEnv,
  opts: ServicePropertyOptions,
): Promise<PropertyOutcome & { brokeAfter?: string }> {
  const pool = new WalletPool(env);
  const counterexamples: Counterexample[] = [];
  let runs = 0;
  let db = 0;
  let brokeAfter: string | undefined;
  const ctx = { env, pool, nextDb: () => claimDatabase(env, `svcprop${db++}`) };
  try {
    if (opts.path !== undefined) {
      const cx = await search(ctx, { ...opts, ignore: new Set(opts.ignore ?? []) }, opts.runs);
      runs += cx.runs;
      if (cx.found) counterexamples.push(cx.found);
    } else {
      const ignore = new Set<string>(opts.ignore ?? []);
      let left = opts.runs;
      for (let i = 0; i < MAX_SEARCHES && left > 0; i++) {
        let cx: Awaited<ReturnType<typeof search>>;
        try {
          cx = await search(ctx, { ...opts, seed: opts.seed + i, ignore }, left);
        } catch (e) {
          // The adapter broke in a later search: what was found stands, and the breakage is said.
          if (!counterexamples.length) throw e;
          brokeAfter = String((e as Error)?.message ?? e).split('\n')[0];
          break;
        }
        runs += cx.runs;
        left -= cx.runs;
        if (!cx.found) break;
        counterexamples.push(cx.found);
        const fresh = cx.found.anomalies.map(anomalyKey);
        if (!fresh.length || opts.firstOnly) break;
        for (const k of fresh) ignore.add(k);
        // Each story costs a mint, a database and often a process restart: later searches get a small budget.
        left = Math.min(left, FOLLOW_UP_RUNS);
      }
    }
  } finally {
    pool.close();
  }
  return {
    ok: counterexamples.length === 0,
    runs,
    seed: opts.seed,
    counterexamples,
    statistics: { ...env.tally.paths, melts: env.tally.attempted, crashes: env.tally.crashesLanded },
    ...(brokeAfter ? { brokeAfter } : {}),
  };
}

async function search(
  ctx: { env: RunEnv; pool: WalletPool; nextDb: () => Promise<string> },
  opts: Omit<ServicePropertyOptions, 'ignore'> & { ignore: ReadonlySet<string> },
  numRuns: number,
): Promise<{ runs: number; found?: Counterexample }> {
  let failingHistory: History | undefined;
  let broke: Error | undefined;
  let executions = 0;
  let failedAt: number | undefined;
  // size 'max': stories of up to six steps, not mostly one or two (the default leans to tiny sequences).
  const commands = fc.commands(serviceCommands, {
    maxCommands: opts.maxCommands ?? 6,
    size: 'max',
    replayPath: opts.replayPath,
  });
  const property = fc.asyncProperty(runParams, commands, async (params, cmds) => {
    if (broke) return;
    // A replay (by path) reports the story it reaches, shrunk no further: exactly the counterexample it replays.
    if (failedAt !== undefined && executions - failedAt >= (opts.path ? 0 : SHRINK_BUDGET)) return;
    executions++;
    const dbName = await ctx.nextDb();
    const run = new ServiceRun(ctx.env, ctx.pool, opts.ignore);
    try {
      await run.start(dbName, params);
      for (const amount of params.funds) await run.fund(amount);
      await fc.asyncModelRun(
        () => ({
          model: { funds: [...params.funds], ppks: params.funds.map(() => params.inputFeePpk) } as ServiceModel,
          real: run,
        }),
        cmds,
      );
    } catch (e) {
      // Only an invariant violation is a counterexample; anything else thrown (the adapter or the harness breaking)
      // ends the search as an error of the check, never as a failure of the wallet.
      if (!(e instanceof InvariantViolation))
        broke = e instanceof AdapterBroke ? e : new AdapterBroke(`the service property could not run: ${firstLine(e)}`);
      failingHistory = [...run.recorder.history];
      failedAt ??= executions;
      throw e;
    } finally {
      await run.stop().catch(() => {});
      await ctx.env.admin.db(dbName).dropDatabase();
    }
  });
  const details = await fc.check(property, {
    numRuns,
    seed: opts.seed,
    path: opts.path,
    endOnFailure: opts.shrink === false,
  });
  if (broke) throw broke;
  if (!details.failed) return { runs: details.numRuns };
  const [params, cmds] = (details.counterexample ?? []) as [unknown, unknown];
  const printed = String(cmds ?? '');
  return {
    runs: details.numRuns,
    found: {
      seed: details.seed,
      path: details.counterexamplePath ?? undefined,
      replayPath: /replayPath="([^"]*)"/.exec(printed)?.[1],
      ignore: [...opts.ignore],
      commands: [
        `Mint(${JSON.stringify(params)})`,
        ...printed
          .replace(/\/\*replayPath=.*?\*\/\s*/, '')
          .split(/,(?=[A-Z])/)
          .filter(Boolean),
      ],
      error: String((details.errorInstance as Error)?.message ?? details.errorInstance),
      history: failingHistory,
      anomalies: details.errorInstance instanceof InvariantViolation ? details.errorInstance.anomalies : [],
    },
  };
}
