import type { Invariant, Verdict } from '../checker/types.ts';
import type { History } from '../history/op.ts';

export type CheckKind = 'property' | 'scenario' | 'crash-points' | 'fail-points';

/**
 * How a check ended. `error`: the harness or the adapter broke (timeout, exit, throw outside a melt) — not the
 * wallet's violation, never a pass. `not-exercised`: it ran but did not do what it exists to do (no melt won, no
 * fault fired on the wallet's connections, no crash landed).
 */
export type CheckStatus = 'pass' | 'fail' | 'skip' | 'error' | 'not-exercised';

/** What a check counted of its own work, and the minimum it needed (Jepsen-honest: a pass must have done something). */
export interface Exercised {
  counts: Record<string, number>;
  /** Set when a minimum was not met: one line saying what was missing and what to do. */
  shortfall?: string;
  /** Set when most melts were refused although the minimum was met: the first refusal, to check the inputs. */
  note?: string;
}

/** One violation, with what it takes to see it again. */
export interface Failure {
  id: string;
  /** One of the invariants, or 'expectation' for a scenario's own requirement (e.g. refusing bad input). */
  invariant: Invariant | 'expectation';
  check: string;
  type: string;
  message: string;
  /** The operations of the failing run (proofs by Y only). */
  steps: History;
  witness: Record<string, unknown>;
  /** The command line that reproduces it. */
  replay: string;
  /** What `meltcheck replay` needs (check name, seed, fast-check path). */
  replayData?: ReplayData;
}

/** What a failure needs to be run again: the check and its generator state. */
export interface ReplayData {
  check: string;
  seed: number;
  path?: string;
  replayPath?: string;
  /** Property replays: anomaly kinds the original search had already reported. */
  ignore?: string[];
  /** A check of several parts (balance-reads: the gated interleavings or the property): the one that failed. */
  part?: 'gate' | 'property';
}

export interface CheckResult {
  name: string;
  kind: CheckKind;
  status: CheckStatus;
  runs: number;
  durationMs: number;
  skipReason?: string;
  /** Why the check errored (status error) or was not exercised (status not-exercised): one line. */
  reason?: string;
  exercised?: Exercised;
  invariants: Invariant[];
  failures: Failure[];
  verdict?: Verdict;
  /** Extra numbers a check reports (points explored, retries seen...). */
  stats?: Record<string, number>;
  /** For enumerations: every point explored, with the command it hit and the verdict. */
  points?: {
    point: string;
    command: string;
    outcome: string;
    valid: boolean | 'unknown';
    assumed?: string;
    anomalies: string[];
  }[];
}
