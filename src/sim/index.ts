// The simulator's public face: what the rest of meltcheck (cluster, proxy, CLI, checks) may use. Everything else
// under src/sim is internal and may change with the simulator.

export { parseUser, type SimUser } from './auth/authenticator.ts';
export { SERVER_VERSION } from './commands/admin.ts';
export type { CommandGate } from './gate.ts';
export type { ReplicaSet, RollbackEvent, TopologyEvent } from './repl/replica-set.ts';
export { type SimOptions, SimServer } from './server.ts';
export { OP_MSG, OP_QUERY } from './wire/frame.ts';
