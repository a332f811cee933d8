import fc from 'fast-check';
import type { Anomaly } from '../src/checker/types.ts';
import type { RunEnv } from '../src/harness/env.ts';
import { openRun } from '../src/harness/run-context.ts';
import type { History } from '../src/history/op.ts';
import { meltCommands } from './commands.ts';
import { InvariantViolation, type Model, type Real } from './model.ts';

export interface PropertyOutcome {
  ok: boolean;
  runs: number;
  seed: number;
  /** fast-check's replay path of the shrunk counterexample, and the commands arbitrary's own replay path. */
  path?: string;
  replayPath?: string;
  /** The shrunk command sequence, one entry per command. */
  commands?: string[];
  error?: string;
  /** The history of the shrunk counterexample's run, and what the checker found in it. */
  history?: History;
  anomalies?: Anomaly[];
}

export interface PropertyOptions {
  runs: number;
  seed: number;
  path?: string;
  replayPath?: string;
  maxCommands?: number;
}

/**
 * The model-based melt property: generated sequences of Fund, Melt, ConcurrentMelts, DuplicateCall and Fault,
 * invariants checked after every step, shrinking on. Replays exactly from (seed, path, replayPath).
 */
export async function runMeltProperty(env: RunEnv, opts: PropertyOptions): Promise<PropertyOutcome> {
  const run = await openRun(env, 'melt-property');
  // The last failing execution is the final counterexample: shrinking only moves to candidates that fail.
  let failingHistory: History | undefined;
  try {
    const commands = fc.commands(meltCommands, { maxCommands: opts.maxCommands ?? 6, replayPath: opts.replayPath });
    const property = fc.asyncProperty(commands, async (cmds) => {
      await run.reset();
      const meta = await run.ctx.owner('prop');
      const setup = () => ({ model: { live: [], meltIds: [], next: 0 } as Model, real: { run, meta } as Real });
      try {
        await fc.asyncModelRun(setup, cmds);
      } catch (e) {
        failingHistory = [...run.recorder.history];
        throw e;
      }
    });
    const details = await fc.check(property, { numRuns: opts.runs, seed: opts.seed, path: opts.path });
    if (!details.failed) return { ok: true, runs: details.numRuns, seed: opts.seed };
    const printed = String(details.counterexample?.[0] ?? '');
    const replayPath = /replayPath="([^"]*)"/.exec(printed)?.[1];
    return {
      ok: false,
      runs: details.numRuns,
      seed: details.seed,
      path: details.counterexamplePath ?? undefined,
      replayPath,
      commands: printed
        .replace(/\/\*replayPath=.*?\*\/\s*/, '')
        .split(/,(?=[A-Z])/)
        .filter(Boolean),
      error: String((details.errorInstance as Error)?.message ?? details.errorInstance),
      history: failingHistory,
      anomalies: details.errorInstance instanceof InvariantViolation ? details.errorInstance.anomalies : [],
    };
  } finally {
    await run.close();
  }
}
