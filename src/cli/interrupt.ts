import { writeSync } from 'node:fs';
import type { StartedCluster } from '../cluster/cluster.ts';
import { killChildren, runCleanups } from '../harness/cleanup.ts';
import type { CheckResult } from '../report/types.ts';

/**
 * Ctrl-C / SIGTERM during a run: kill every wallet process, stop proxies, end the run's sessions and drop its
 * databases (the cleanups registered in harness/cleanup.ts), write a partial report marked `interrupted`, stop
 * the cluster, exit 130 — all within 5 s. A second signal exits at once (children are killed on exit anyway).
 */
export const INTERRUPT_BUDGET_MS = 4500;

// Taken at load, before anything swaps them: during a check the harness contains the adapter by replacing
// process.exit (it throws) and routes stdout/stderr to wallet.log. The interrupt must still reach both.
const realExit = process.exit.bind(process);
const say = (line: string) => {
  try {
    writeSync(2, `${line}\n`); // straight to fd 2: no stream patch can divert it
  } catch {
    // stderr closed: nothing to tell
  }
};

const finished: CheckResult[] = [];
let stopping = false;

/**
 * Once a signal arrived the interrupt owns the exit: the normal path waits here (forever) instead of writing
 * a report from checks that died because their wallets were killed.
 */
export function haltIfInterrupted(): Promise<void> {
  return stopping ? new Promise<void>(() => {}) : Promise.resolve();
}
let running: string | undefined;

/** run-checks reports progress here, so that an interrupt can say what finished. */
export function noteCheckStarted(name: string): void {
  running = name;
}
export function noteCheckFinished(r: CheckResult): void {
  if (stopping) return; // a check that ends because its wallets were killed has no verdict
  finished.push(r);
  running = undefined;
}

/** The results an interrupted run reports: the checks that finished, and the one running, as an error. */
export function partialResults(
  planned: { name: string; kind: CheckResult['kind']; invariants: CheckResult['invariants'] }[],
): CheckResult[] {
  const out = [...finished];
  const current = planned.find((c) => c.name === running);
  if (current)
    out.push({
      name: current.name,
      kind: current.kind,
      status: 'error',
      reason: 'interrupted while running (Ctrl-C / SIGTERM): no verdict',
      runs: 0,
      durationMs: 0,
      invariants: current.invariants,
      failures: [],
    });
  return out;
}

/** For the plan's own messages: the terminal, even while a check's output goes to wallet.log. */
export const sayOnTerminal = say;

export interface InterruptPlan {
  cluster: StartedCluster;
  /** Writes the partial report; called at most once, after the cleanups. */
  writePartial(): void;
  exit?: (code: number) => void;
}

export function interruptible(plan: InterruptPlan): () => void {
  finished.length = 0;
  running = undefined;
  const exit = plan.exit ?? ((code: number) => realExit(code));
  stopping = false;
  const handler = (signal: NodeJS.Signals) => {
    if (stopping) {
      killChildren();
      exit(130);
      return;
    }
    stopping = true;
    say(`meltcheck: ${signal}: stopping (wallet processes, proxies, the run's databases), writing a partial report`);
    const deadline = setTimeout(() => {
      killChildren();
      exit(130);
    }, INTERRUPT_BUDGET_MS);
    (async () => {
      await runCleanups(INTERRUPT_BUDGET_MS - 1500);
      try {
        plan.writePartial();
      } catch (e) {
        say(`meltcheck: could not write the partial report: ${(e as Error).message}`);
      }
      await Promise.race([plan.cluster.stop().catch(() => {}), new Promise((r) => setTimeout(r, 1000))]);
    })().finally(() => {
      clearTimeout(deadline);
      exit(130);
    });
  };
  process.on('SIGINT', handler);
  process.on('SIGTERM', handler);
  return () => {
    process.off('SIGINT', handler);
    process.off('SIGTERM', handler);
  };
}
