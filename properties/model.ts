import type { MeltMetadata } from '../src/adapter/contract.ts';
import type { Anomaly } from '../src/checker/types.ts';
import type { RunContext } from '../src/harness/run-context.ts';

/** What the generator knows: the funded tokens it may still melt. */
export interface Model {
  live: { tokenId: string; amount: number }[];
  meltIds: string[];
  next: number;
}

/** The system under test as the commands see it. */
export interface Real {
  run: RunContext;
  meta: MeltMetadata;
  /** Anomaly kinds (`anomalyKey`) already reported by an earlier search: not counterexamples again. */
  ignore?: ReadonlySet<string>;
  /** A fault the next melt command arms just before it calls the wallet (so funding is never hit). */
  fault?: { data: Record<string, unknown>; mode: Record<string, unknown> };
  /** Run after every step's verdict, before the next step (a lagging secondary catching up to this point). */
  afterStep?: () => Promise<void>;
}

/** Runs a melt step with the pending fault armed, and disarmed afterwards whatever happens. */
export async function withFault<T>(real: Real, f: () => Promise<T>): Promise<T> {
  const fault = real.fault;
  real.fault = undefined;
  if (fault) await real.run.ctx.failCommand(fault.data, fault.mode);
  try {
    return await f();
  } finally {
    if (fault) await real.run.ctx.failCommand({ failCommands: [] }, 'off');
  }
}

/** Thrown when an invariant breaks after a step: fast-check shrinks the sequence that led here. */
export class InvariantViolation extends Error {
  constructor(
    message: string,
    readonly anomalies: Anomaly[],
  ) {
    super(message);
  }
}

/** The kind of an anomaly: what "a new finding" means when a search goes on after a counterexample. */
export function anomalyKey(a: Pick<Anomaly, 'invariant' | 'type'>): string {
  return `${a.invariant}/${a.type}`;
}

/**
 * Invariants after every step: the whole history so far against the stored state. Anomalies of kinds already
 * reported are let through, so the run goes on to show what else is broken.
 */
export async function checkStep(real: Real, step: string): Promise<void> {
  const v = await real.run.verdict();
  await real.afterStep?.();
  if (v.valid === true) return;
  const fresh = v.anomalies.filter((a) => !real.ignore?.has(anomalyKey(a)));
  if (v.error && !v.anomalies.length) throw new InvariantViolation(`after ${step}: ${v.error}`, []);
  if (fresh.length) {
    const what = fresh.map((a) => `[${a.invariant}] ${a.message}`).join('; ');
    throw new InvariantViolation(`after ${step}: ${what}`, fresh);
  }
}

export function pickSources(model: Model, picks: number[]): string[] {
  const ids = new Set<string>();
  for (const p of picks) if (model.live.length) ids.add(model.live[p % model.live.length].tokenId);
  return [...ids];
}

export function consume(model: Model, ids: string[]): void {
  model.live = model.live.filter((t) => !ids.includes(t.tokenId));
}
