import type { FaultPlan } from '../nemesis/plan.ts';
import { enumeration } from './enumerate.ts';
import type { Check } from './types.ts';

/** Where to crash, given the commands one melt sends (learned from a dry run). */
export type CrashSelector = (commands: string[]) => { k: number; when: 'before' | 'after' }[];

/** A crash story or enumeration: kill plans at the points `select` picks. */
export function crashEnumeration(
  name: string,
  kind: Check['kind'],
  select: CrashSelector,
  invariants: Check['invariants'] = ['atomicity', 'no-double-count', 'conservation', 'audit'],
): Check {
  return enumeration({
    name,
    kind,
    invariants,
    minimum: { committed: 1, crashesLanded: 1 },
    wallet: 'process',
    plans: (commands) =>
      select(commands).map(
        ({ k, when }): FaultPlan => ({ kind: 'kill', label: `${k}${when[0]}`, at: { command: k, when } }),
      ),
  });
}

/**
 * Crash-point enumeration (ALICE-style, per database command): the wallet runs in a child process behind the
 * wire proxy; for every command k of one melt, SIGKILL it before k is sent and again after k's reply arrives;
 * then check every invariant (the crashed melt's outcome is unknown: either outcome must explain the state).
 */
export const crashPoints: Check = crashEnumeration('crash-points', 'crash-points', (commands) =>
  commands.flatMap((_, k) => (['before', 'after'] as const).map((when) => ({ k, when }))),
);
