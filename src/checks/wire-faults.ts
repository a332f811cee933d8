import type { FaultPlan } from '../nemesis/plan.ts';
import { enumeration } from './enumerate.ts';
import type { Check } from './types.ts';

/** Wire faults for clusters without test commands: what the proxy does to one command of the melt. */
const WIRE_FAULTS: FaultPlan[] = [
  { kind: 'wire', label: 'commit-reply-lost', at: { name: 'commitTransaction' }, action: 'lose-reply' },
  { kind: 'wire', label: 'reset-before-commit', at: { name: 'commitTransaction' }, action: 'reset' },
  { kind: 'wire', label: 'update-reply-lost', at: { name: 'update' }, action: 'lose-reply' },
  { kind: 'wire', label: 'reset-before-insert', at: { name: 'insert' }, action: 'reset' },
  { kind: 'wire', label: 'slow-update', at: { name: 'update' }, action: { delayMs: 200 } },
];

/**
 * Wire faults through the MongoDB-aware proxy: the commit happened but its reply is lost; connections reset
 * before a command; a slow command. Works on any cluster, test commands or not.
 */
export const wireFaults: Check = enumeration({
  name: 'wire-faults',
  kind: 'fail-points',
  invariants: ['atomicity', 'idempotency', 'audit', 'conservation'],
  minimum: { committed: 1, faultsFired: 1 },
  wallet: 'in-process',
  plans: () => WIRE_FAULTS,
});
