import type { Document } from 'bson';
import { clusterTime, errorReply, labelsFor } from './dispatch.ts';
import { CommandError, codeName } from './errors.ts';
import type { Fault } from './failpoint.ts';
import type { SimState } from './state.ts';
import type { Connection } from './wire/connection.ts';

/** A command on its way in, as the fault layer sees it. */
export interface Incoming {
  name: string;
  db: string;
  body: Document;
  conn: Connection;
  /** Held by the command gate when it is closed (wallet commands; not hello, fail-point or session admin). */
  gated: boolean;
}

export type Before =
  | { action: 'closed' }
  | { action: 'reply'; reply: Document }
  | { action: 'dispatch'; fault?: Fault };

/**
 * Everything the simulator does to a command before it runs, in mongod's order: the harness's command gate
 * (deterministic interleavings), then the failCommand fail point — block, close the connection, or fail before
 * the command runs (and before it touches the session's transaction, which stays open).
 */
export async function faultsBefore(state: SimState, c: Incoming, log: (line: string) => void): Promise<Before> {
  if (c.gated) {
    const waiting = state.gate.admit({
      command: c.name,
      db: c.db,
      appName: c.conn.appName,
      connectionId: c.conn.id,
      session: c.body.lsid?.id?.toString('hex'),
      inTransaction: c.body.autocommit !== undefined,
    });
    if (waiting) await waiting;
    if (c.conn.closed) return { action: 'closed' };
  }
  const fault = c.name === 'configureFailPoint' ? undefined : state.failPoints.trip(c.name, c.conn.appName);
  if (fault?.blockConnection) await new Promise((r) => setTimeout(r, fault.blockTimeMS ?? 0));
  if (fault?.closeConnection) {
    log(`failCommand: closing connection ${c.conn.id} on ${c.name}`);
    c.conn.close();
    return { action: 'closed' };
  }
  if (fault?.errorCode !== undefined) {
    // Labels are exactly `errorLabels` when given, [] included, else what mongod would attach.
    const err = new CommandError(fault.errorCode, `Failing command ${c.name} via 'failCommand' failpoint`);
    const reply = errorReply(err, fault.errorLabels ?? labelsFor(err, c.name, c.body));
    return { action: 'reply', reply: { ...reply, ...clusterTime(state.store.clock) } };
  }
  return { action: 'dispatch', fault };
}

/** What the fail point does to a command that ran: a write concern error on a successful reply. */
export function faultsAfter(fault: Fault | undefined, reply: Document, name: string, body: Document): Document {
  if (!fault?.writeConcernError || !reply.ok) return reply;
  // A new object: the reply may be the one stored for a retryable write, and a retry must get the success.
  const wce = fault.writeConcernError;
  const code = Number(wce.code ?? 64);
  const labels = fault.errorLabels ?? labelsFor(undefined, name, body, code);
  const { errorLabels: _old, ...rest } = reply;
  return {
    ...rest,
    writeConcernError: {
      code,
      codeName: wce.codeName ?? codeName(code),
      errmsg: wce.errmsg ?? 'waiting for replication timed out',
      errInfo: wce.errInfo ?? {},
    },
    ...(labels.length ? { errorLabels: labels } : {}),
  };
}
