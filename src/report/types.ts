import type { Invariant, Verdict } from '../checker/types.ts';
import type { History } from '../history/op.ts';

export type CheckKind = 'property' | 'scenario' | 'crash-points' | 'fail-points';

/** One violation, with what it takes to see it again. */
export interface Failure {
  id: string;
  /** One of the six invariants, or 'expectation' for a scenario's own requirement (e.g. refusing bad input). */
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
  replayData?: { check: string; seed: number; path?: string; replayPath?: string };
}

export interface CheckResult {
  name: string;
  kind: CheckKind;
  status: 'pass' | 'fail' | 'skip';
  runs: number;
  durationMs: number;
  skipReason?: string;
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
