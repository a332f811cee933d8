import { type Document, Timestamp } from 'bson';
import { Codes, CommandError } from './errors.ts';
import type { SimState } from './state.ts';

// Read and write concerns on one member: snapshot reads at a cluster time, and what `w` one member cannot satisfy.

const RETRYABLE_WRITES = ['insert', 'update', 'delete', 'findAndModify', 'findandmodify'];
const WRITE_CONCERN_COMMANDS = new Set([
  ...RETRYABLE_WRITES,
  'create',
  'drop',
  'dropDatabase',
  'createIndexes',
  'dropIndexes',
  'commitTransaction',
  'abortTransaction',
]);

/** Cluster times carry the logical clock in their increment (clock + 1, so that time 0 is not the null timestamp). */
export function timestampOf(clock: number): Timestamp {
  return new Timestamp({ t: Math.floor(Date.now() / 1000), i: clock + 1 });
}

function clockOf(ts: unknown): number {
  if (!(ts instanceof Timestamp)) throw new CommandError(Codes.TypeMismatch, 'atClusterTime must be a Timestamp');
  return ts.i - 1;
}

const SNAPSHOT_READS = new Set(['find', 'aggregate', 'distinct']);

/** The logical time a snapshot read outside a transaction reads at (readConcern level snapshot), if it is one. */
export function snapshotReadAt(state: SimState, name: string, body: Document): number | undefined {
  const rc = body.readConcern as Document | undefined;
  if (rc?.level !== 'snapshot') {
    if (rc?.atClusterTime !== undefined)
      throw new CommandError(Codes.InvalidOptions, 'atClusterTime is only allowed with readConcern level snapshot');
    return undefined;
  }
  if (!SNAPSHOT_READS.has(name))
    throw new CommandError(
      Codes.InvalidOptions,
      `Command ${name} does not support { readConcern: { level: "snapshot" } }`,
    );
  if (!state.info.replicaSet)
    throw new CommandError(Codes.IllegalOperation, 'readConcern level snapshot is only valid in a replica set');
  if (rc.atClusterTime === undefined) return state.store.clock;
  const at = clockOf(rc.atClusterTime);
  if (at > state.store.clock)
    throw new CommandError(
      Codes.BadValue,
      'readConcern atClusterTime value must not be greater than the current clusterTime',
    );
  if (at < state.store.historyFloor)
    throw new CommandError(
      Codes.SnapshotTooOld,
      `Read timestamp ${String(rc.atClusterTime)} is older than the oldest available timestamp.`,
    );
  return at;
}

/** A snapshot read's reply names the time it read at: in the cursor for find/aggregate, at the top for distinct. */
export function withAtClusterTime(reply: Document, at: number | undefined): Document {
  if (at === undefined || !reply.ok) return reply;
  const atClusterTime = timestampOf(at);
  return reply.cursor ? { ...reply, cursor: { ...reply.cursor, atClusterTime } } : { ...reply, atClusterTime };
}

/**
 * One member only: `w` above 1 (other than "majority") can never be satisfied, and an unknown tag names no
 * members. mongod applies the write and reports it in writeConcernError.
 */
export function withWriteConcern(reply: Document, body: Document, name: string): Document {
  const w = body.writeConcern?.w;
  if (w === undefined || !reply.ok || !WRITE_CONCERN_COMMANDS.has(name)) return reply;
  const n = typeof w === 'string' ? undefined : Number(w.valueOf?.() ?? w);
  if (n !== undefined && n <= 1) return reply;
  if (w === 'majority') return reply;
  const wce =
    n !== undefined
      ? {
          code: Codes.UnsatisfiableWriteConcern,
          codeName: 'UnsatisfiableWriteConcern',
          errmsg: 'Not enough data-bearing nodes',
        }
      : {
          code: Codes.UnknownReplWriteConcern,
          codeName: 'UnknownReplWriteConcern',
          errmsg: `No write concern mode named '${w}' found in replica set configuration`,
        };
  return { ...reply, writeConcernError: { ...wce, errInfo: {} } };
}
