import type { ServerInfo } from './commands/context.ts';
import { Cursors } from './cursors.ts';
import { FailPoints } from './failpoint.ts';
import { CommandGate } from './gate.ts';
import type { ReplicaSet } from './repl/replica-set.ts';
import { Sessions } from './sessions.ts';
import { Store } from './storage/store.ts';

/** Everything the simulated mongod holds: what a restart of the process would lose. */
export interface SimState {
  store: Store;
  sessions: Sessions;
  cursors: Cursors;
  failPoints: FailPoints;
  gate: CommandGate;
  info: ServerInfo;
  /** The server's clock (ms): injected, so transaction lifetimes can be tested without waiting. */
  now: () => number;
  /** Three members: the set they share, and which member this state belongs to. Absent: one member, as ever. */
  repl?: ReplicaSet;
  member?: number;
}

export function createState(info: ServerInfo, random: () => number, now: () => number = Date.now): SimState {
  const store = new Store();
  const gate = new CommandGate();
  gate.blockedIn = (appName) => store.blockedWriters(appName);
  return {
    store,
    sessions: new Sessions(),
    cursors: new Cursors(),
    failPoints: new FailPoints(random),
    gate,
    info,
    now,
  };
}
