import fc from 'fast-check';
import type { Anomaly } from '../src/checker/types.ts';
import type { RunEnv } from '../src/harness/env.ts';
import { openRun, type RunContext } from '../src/harness/run-context.ts';
import type { History } from '../src/history/op.ts';
import { meltAndReadCommands, meltCommands } from './commands.ts';
import { anomalyKey, InvariantViolation, type Model, type Real } from './model.ts';

/** One shrunk counterexample: what it takes to replay it, and what it shows. */
export interface Counterexample {
  seed: number;
  /** fast-check's replay path of the shrunk counterexample, and the commands arbitrary's own replay path. */
  path?: string;
  replayPath?: string;
  /** Anomaly kinds (invariant/type) already reported when this one was searched for: the replay ignores them too. */
  ignore: string[];
  /** The shrunk command sequence, one entry per command. */
  commands: string[];
  error?: string;
  /** The history of the shrunk counterexample's run, and what the checker found in it. */
  history?: History;
  anomalies: Anomaly[];
}

export interface PropertyOutcome {
  ok: boolean;
  runs: number;
  seed: number;
  /** One per broken invariant/anomaly kind, in the order found. */
  counterexamples: Counterexample[];
  /** What the runs exercised, like fast-check's statistics: melts committed, refused, concurrent, faulted… */
  statistics: Record<string, number>;
}

export interface PropertyOptions {
  runs: number;
  seed: number;
  path?: string;
  replayPath?: string;
  /** Anomaly kinds already reported: on replay, by the original search; otherwise by the caller. */
  ignore?: string[];
  maxCommands?: number;
  /** Stop at the first counterexample (time-to-first-counterexample benchmarks). */
  firstOnly?: boolean;
  /** false: no shrinking (see CheckOptions.shrink). */
  shrink?: boolean;
  /** Balance reads among the commands (Balance, MeltThenBalance, ConcurrentMeltsAndReads): needs balance(). */
  reads?: boolean;
  /** After every step's verdict, before the next step (see Real.afterStep). */
  afterStep?: () => Promise<void>;
}

/** How many separate searches one property run may make, each for a kind of anomaly not yet found. */
const MAX_SEARCHES = 8;

/**
 * The model-based melt property: generated sequences of Fund, Melt, ConcurrentMelts, DuplicateCall and Fault,
 * invariants checked after every step, shrinking on. After a counterexample the search goes on (next seed, the
 * remaining run budget) ignoring the anomaly kinds already found, so one finding never hides another. Each
 * counterexample replays exactly from (seed, path, replayPath, ignore).
 */
export async function runMeltProperty(env: RunEnv, opts: PropertyOptions): Promise<PropertyOutcome> {
  const run = await openRun(env, 'melt-property');
  const counterexamples: Counterexample[] = [];
  let runs = 0;
  try {
    if (opts.path !== undefined) {
      const cx = await search(run, { ...opts, ignore: new Set(opts.ignore ?? []) }, opts.runs);
      runs += cx.runs;
      if (cx.found) counterexamples.push(cx.found);
    } else {
      // Kinds a caller already reported (another part of the same check) are not searched for again.
      const ignore = new Set<string>(opts.ignore ?? []);
      let left = opts.runs;
      for (let i = 0; i < MAX_SEARCHES && left > 0; i++) {
        const cx = await search(run, { ...opts, seed: opts.seed + i, ignore }, left);
        runs += cx.runs;
        left -= cx.runs;
        if (!cx.found) break;
        counterexamples.push(cx.found);
        const fresh = cx.found.anomalies.map(anomalyKey);
        // A counterexample with no anomaly (the property itself threw) cannot be excluded: stop searching.
        if (!fresh.length || opts.firstOnly) break;
        for (const k of fresh) ignore.add(k);
      }
    }
  } finally {
    await run.close();
  }
  const { attempted, committed, refused, unknown, overlapping, faultsFired, emptyChange, reads, readsConcurrent } =
    env.tally;
  return {
    ok: counterexamples.length === 0,
    runs,
    seed: opts.seed,
    counterexamples,
    statistics: {
      melts: attempted,
      committed,
      refused,
      unknown,
      concurrent: overlapping,
      faultsFired,
      emptyChange,
      ...(opts.reads ? { reads, readsConcurrent } : {}),
    },
  };
}

async function search(
  run: RunContext,
  opts: Omit<PropertyOptions, 'ignore'> & { ignore: ReadonlySet<string> },
  numRuns: number,
): Promise<{ runs: number; found?: Counterexample }> {
  // The last failing execution is the final counterexample: shrinking only moves to candidates that fail.
  let failingHistory: History | undefined;
  const ignore = new Set(opts.ignore);
  const commands = fc.commands(opts.reads ? meltAndReadCommands : meltCommands, {
    maxCommands: opts.maxCommands ?? 6,
    replayPath: opts.replayPath,
  });
  // Once the adapter broke (timeout, exit), every further run and shrink would break the same way: stop at once.
  let broke: Error | undefined;
  const property = fc.asyncProperty(commands, async (cmds) => {
    if (broke) return;
    await run.reset();
    const meta = await run.ctx.owner('prop');
    const setup = () => ({
      model: { live: [], meltIds: [], next: 0 } as Model,
      real: { run, meta, ignore, afterStep: opts.afterStep } as Real,
    });
    try {
      await fc.asyncModelRun(setup, cmds);
    } catch (e) {
      if (e instanceof Error && 'harnessError' in e) broke = e;
      failingHistory = [...run.recorder.history];
      throw e;
    }
  });
  const details = await fc.check(property, {
    numRuns,
    seed: opts.seed,
    path: opts.path,
    endOnFailure: opts.shrink === false,
  });
  // The adapter or the harness broke (timeout, exit): not a counterexample. The check ends `error`.
  if (broke) throw broke;
  if (!details.failed) return { runs: details.numRuns };
  const printed = String(details.counterexample?.[0] ?? '');
  return {
    runs: details.numRuns,
    found: {
      seed: details.seed,
      path: details.counterexamplePath ?? undefined,
      replayPath: /replayPath="([^"]*)"/.exec(printed)?.[1],
      ignore: [...ignore],
      commands: printed
        .replace(/\/\*replayPath=.*?\*\/\s*/, '')
        .split(/,(?=[A-Z])/)
        .filter(Boolean),
      error: String((details.errorInstance as Error)?.message ?? details.errorInstance),
      history: failingHistory,
      anomalies: details.errorInstance instanceof InvariantViolation ? details.errorInstance.anomalies : [],
    },
  };
}
