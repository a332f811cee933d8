import type { MeltMetadata } from '../adapter/contract.ts';
import type { Invariant } from '../checker/types.ts';
import type { Minimum } from '../checks/types.ts';
import type { StoredProof } from '../proofs/proof.ts';
import type { ReadOutcome } from './balance-read.ts';

export interface FundedToken {
  tokenId: string;
  proofs: StoredProof[];
  amount: number;
}

export interface MeltCall {
  sources: string[];
  keep: StoredProof[];
  change: StoredProof[];
  transactionId: string;
  meta: MeltMetadata;
}

export interface MeltOutcome {
  type: 'ok' | 'fail' | 'info';
  error?: { name: string; code?: string | number; message: string };
}

/** What a scenario may do. Every call is recorded in the history; only the runner touches MongoDB. */
export interface ScenarioContext {
  seed: number;
  /** A new owner (npub) with a wallet document; returns the melt metadata for it. */
  owner(label: string): Promise<MeltMetadata>;
  fund(meta: MeltMetadata, label: string, amounts: number[]): Promise<FundedToken>;
  proofs(label: string, amounts: number[]): Promise<StoredProof[]>;
  melt(process: string, call: MeltCall): Promise<MeltOutcome>;
  /** Whether the wallet has `balance(owner)`; `balance` reads it, recorded in the history (f: 'balance'). */
  readonly hasBalance: boolean;
  balance(process: string, owner: MeltMetadata): Promise<ReadOutcome>;
  /** Arms failCommand for the wallet's appName only. */
  failCommand(data: Record<string, unknown>, mode?: Record<string, unknown> | 'alwaysOn' | 'off'): Promise<void>;
  /** A scenario-specific expectation beyond the invariants (e.g. invalid input must be refused). */
  expect(ok: boolean, expectation: string, detail?: Record<string, unknown>): void;
}

/** A named, deterministic story kept as a regression. */
export interface Scenario {
  name: string;
  description: string;
  invariants: Invariant[];
  /** What the story must have done for its pass to count (default: one committed melt). */
  minimum?: Minimum;
  run(ctx: ScenarioContext): Promise<void>;
}

export function defineScenario(s: Scenario): Scenario {
  return s;
}
