import { pointLabel, type ServiceCrashPlan, type ServicePoint } from '../nemesis/plan.ts';
import type { ObservedEvent } from '../nemesis/service-observer.ts';

/**
 * The crash plans of one shape, from the events its dry run showed (pure). One plan per class of equivalent
 * moments: a crash right after an event and one right before the next are the same crash when nothing lasting
 * happens between them, so only the first moment of each gap between lasting events is kept — after a lasting
 * event, or before the first event of a gap that a non-target lasting event opened. Reads and a transaction's
 * writes (before its commit) change nothing that lasts. Declared points are always their own moment (what the
 * wallet does between them is invisible). `granularity: 'mint'` targets mint calls only; database commands
 * still separate gaps.
 */
export function serviceCrashPlans(
  shape: string,
  events: readonly ObservedEvent[],
  granularity: 'mint' | 'full',
): ServiceCrashPlan[] {
  const targetable = (e: ObservedEvent) => e.channel === 'mint' || granularity === 'full';
  const points: ServicePoint[] = [];
  // The gap at the operation's start needs no crash of its own: nothing has happened yet.
  let represented = true;
  for (const e of events) {
    if (e.channel === 'declared') {
      points.push({ ...strip(e), when: 'at' });
      represented = false; // the wallet may write, unseen, right after it declares
      continue;
    }
    if (!represented && targetable(e)) {
      points.push({ ...strip(e), when: 'before' });
      represented = true;
    }
    if (!e.effectful) continue;
    if (targetable(e)) points.push({ ...strip(e), when: 'after' });
    represented = targetable(e);
  }
  return points.map((at) => ({ kind: 'service-kill', label: pointLabel(at), shape, at }));
}

function strip(e: ObservedEvent): Omit<ServicePoint, 'when'> {
  const { effectful: _, ...rest } = e;
  return rest;
}
