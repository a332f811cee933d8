import type { FaultPlan } from '../nemesis/plan.ts';
import { enumeration } from './enumerate.ts';
import type { Check } from './types.ts';

/** The failCommand kinds armed at each boundary (writeConcernError only where mongod can return it: the commit). */
export const FAIL_KINDS: Record<string, (command: string) => Record<string, unknown> | undefined> = {
  'write-conflict': () => ({ errorCode: 112, errorLabels: ['TransientTransactionError'] }),
  'close-connection': () => ({ closeConnection: true }),
  'write-concern-error': (c) =>
    c === 'commitTransaction'
      ? { writeConcernError: { code: 64, errmsg: 'waiting for replication timed out' } }
      : undefined,
  'block-connection': () => ({ blockConnection: true, blockTimeMS: 50 }),
};

/**
 * failCommand at every boundary: for each command k of one melt and each kind, the wire proxy holds command k
 * while the harness arms the fail point (times: 1, that command, the wallet's appName), then lets it through —
 * "skip k, fail once" exactly, on the simulator and on any mongod with enableTestCommands.
 */
export const failPoints: Check = enumeration({
  name: 'fail-points',
  kind: 'fail-points',
  invariants: ['atomicity', 'no-double-count', 'conservation', 'audit', 'idempotency'],
  minimum: { committed: 1, faultsFired: 1 },
  wallet: 'in-process',
  plans: (commands) =>
    commands.flatMap((command, k) =>
      Object.entries(FAIL_KINDS).flatMap(([label, make]): FaultPlan[] => {
        const data = make(command);
        return data ? [{ kind: 'failCommand', label, at: { command: k }, data }] : [];
      }),
    ),
});
