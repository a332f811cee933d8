import type { Invariant } from '../checker/types.ts';
import type { RunEnv } from '../harness/env.ts';
import type { CheckKind, CheckResult, ReplayData } from '../report/types.ts';

export type { ReplayData } from '../report/types.ts';

export interface CheckOptions {
  runs: number;
  seed: number;
  replay?: ReplayData;
  /** Stop at the first counterexample: an enumeration's first violating point, a property's first search. */
  firstFailure?: boolean;
  /**
   * false: a property reports each counterexample as first found, unshrunk (default: shrunk). For runs that ask which
   * checks catch a wallet (the kill matrix), not for the smallest story; the invariants broken are the same.
   */
  shrink?: boolean;
}

/**
 * The least a check must have done for its pass to mean anything; below it the check is `not-exercised`.
 * Counted by the harness (see `Tally`), never reported by the wallet.
 */
export interface Minimum {
  /** Melts the wallet committed (ok). */
  committed?: number;
  /** Melts attempted while another melt of the same sources was in flight. */
  overlapping?: number;
  /** Faults that fired on the wallet's own connections (failCommand hits, proxy actions). */
  faultsFired?: number;
  /** Kills that landed while a melt was in flight. */
  crashesLanded?: number;
  /** Balance reads made while a melt was in flight. */
  readsConcurrent?: number;
  /** Wallet commands the simulator's gate scheduled (interleavings: the order was the harness's, not chance). */
  scheduled?: number;
  /** Melts that reached the mint with proofs (service level). */
  mintMelts?: number;
  /** Paths every one of which the run must have gone through at least once (`Tally.paths`, service property). */
  paths?: string[];
}

/** One entry of the certification: a scenario, a property, or an enumeration. */
export interface Check {
  name: string;
  kind: CheckKind;
  /** Which adapter level the check drives; others are skipped with a reason. */
  level?: 'repository' | 'service';
  /** Runs only with --profile full (too slow for every push). */
  fullOnly?: boolean;
  invariants: Invariant[];
  /** Starts wallet processes (the runner keeps one loaded ahead for it: see WarmPool). */
  walletProcesses?: boolean;
  /** Default for repository checks: one committed melt. */
  minimum?: Minimum;
  /**
   * The check's deadline when none is given (`--check-timeout`): for checks whose work grows with the runs asked
   * for. Absent: the runner's default (600 s).
   */
  deadlineMs?(opts: CheckOptions): number;
  run(env: RunEnv, opts: CheckOptions): Promise<CheckResult>;
}
