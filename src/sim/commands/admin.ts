import { type Document, Long, ObjectId } from 'bson';
import type { Ctx, ServerInfo } from './context.ts';

export const SERVER_VERSION = '7.0.0';
const MAX_WIRE_VERSION = 21; // MongoDB 7.0

export function helloReply(info: ServerInfo, connectionId: number, legacy: boolean): Document {
  const me = `${info.host}:${info.port}`;
  const base: Document = {
    ...(legacy ? { ismaster: true } : { isWritablePrimary: true }),
    helloOk: true,
    topologyVersion: { processId: info.processId, counter: Long.fromNumber(0) },
    maxBsonObjectSize: 16 * 1024 * 1024,
    maxMessageSizeBytes: 48_000_000,
    maxWriteBatchSize: 100_000,
    localTime: new Date(),
    logicalSessionTimeoutMinutes: 30,
    connectionId,
    minWireVersion: 0,
    maxWireVersion: MAX_WIRE_VERSION,
    readOnly: false,
    ok: 1,
  };
  if (!info.replicaSet) return base;
  return {
    ...base,
    hosts: [me],
    setName: info.setName,
    setVersion: 1,
    secondary: false,
    primary: me,
    me,
    electionId: new ObjectId('7fffffff0000000000000001'),
  };
}

export function buildInfo(): Document {
  return {
    version: SERVER_VERSION,
    gitVersion: 'meltcheck-sim',
    versionArray: [7, 0, 0, 0],
    modules: ['meltcheck-sim'],
    bits: 64,
    maxBsonObjectSize: 16 * 1024 * 1024,
    storageEngines: ['meltcheck-sim'],
    ok: 1,
  };
}

export function configureFailPoint(ctx: Ctx): Document {
  return ctx.failPoints.configure(ctx.body);
}

export function serverStatus(ctx: Ctx): Document {
  return {
    host: `${ctx.info.host}:${ctx.info.port}`,
    version: SERVER_VERSION,
    process: 'meltcheck-sim',
    uptime: (Date.now() - ctx.info.startedAt.getTime()) / 1000,
    localTime: new Date(),
    transactions: { currentOpen: Long.fromNumber([...ctx.store.transactions()].length) },
    ok: 1,
  };
}

export function replSetGetStatus(ctx: Ctx): Document {
  const me = `${ctx.info.host}:${ctx.info.port}`;
  return {
    set: ctx.info.setName,
    myState: 1,
    members: [{ _id: 0, name: me, health: 1, state: 1, stateStr: 'PRIMARY', self: true }],
    ok: 1,
  };
}
