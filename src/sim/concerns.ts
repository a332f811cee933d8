import { type Document, Timestamp } from 'bson';
import { Codes, CommandError, codeName } from './errors.ts';
import type { SimState } from './state.ts';
import { timestampOf } from './timestamps.ts';

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

export { timestampOf } from './timestamps.ts';

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

/**
 * Three members: the write concern is waited for — `w: 'majority'` (mongod's default since 5.0) until a majority
 * applied `opTs`, a number until that many members did, `w: 1` at once — bounded by `wtimeout`. A wait that ends
 * without it reports writeConcernError: WriteConcernFailed on timeout, PrimarySteppedDown when the member stopped
 * being primary (the write may or may not survive). Statements inside a transaction never wait; its commit does.
 */
export async function awaitWriteConcern(
  state: SimState,
  reply: Document,
  body: Document,
  name: string,
  opTs: number,
  labels: (code: number) => string[],
): Promise<Document> {
  const repl = state.repl;
  const finishing = name === 'commitTransaction' || name === 'abortTransaction';
  if (!repl || !reply.ok || !WRITE_CONCERN_COMMANDS.has(name)) return reply;
  if (body.autocommit !== undefined && !finishing) return reply;
  const wc = (body.writeConcern ?? {}) as Document;
  const raw = wc.w ?? 'majority';
  let w: number | 'majority';
  if (raw === 'majority') w = 'majority';
  else if (typeof raw === 'string')
    return wceReply(
      reply,
      Codes.UnknownReplWriteConcern,
      `No write concern mode named '${raw}' found in replica set configuration`,
      labels,
    );
  else w = Number(raw.valueOf?.() ?? raw);
  if (w !== 'majority' && w > repl.members.length)
    return wceReply(reply, Codes.UnsatisfiableWriteConcern, 'Not enough data-bearing nodes', labels);
  if (w !== 'majority' && w <= 1) return reply;
  const r = await repl.waitFor(state.member ?? 0, opTs, w, Number(wc.wtimeout?.valueOf?.() ?? wc.wtimeout ?? 0));
  if (r === 'ok') return reply;
  return r === 'timeout'
    ? wceReply(reply, Codes.WriteConcernFailed, 'waiting for replication timed out', labels, { wtimeout: true })
    : wceReply(reply, 189, 'Primary stepped down while waiting for replication', labels);
}

function wceReply(
  reply: Document,
  code: number,
  errmsg: string,
  labels: (code: number) => string[],
  errInfo: Document = {},
): Document {
  const { errorLabels: _old, ...rest } = reply;
  const l = labels(code);
  return {
    ...rest,
    writeConcernError: { code, codeName: codeName(code), errmsg, errInfo },
    ...(l.length ? { errorLabels: l } : {}),
  };
}
