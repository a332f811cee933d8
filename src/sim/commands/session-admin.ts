import type { Document } from 'bson';
import { Aggregator } from 'mingo';
import type { SimState } from '../state.ts';
import { keyOf, plain } from '../values.ts';

/**
 * What an operator uses to find and end particular sessions, as mongod has them: `$currentOp` reports each
 * session holding a transaction (`idleSessions`) with the appName of its last client, and `killSessions` aborts
 * the transactions of the sessions named. The harness kills only its own run's sessions with these.
 */
interface SessionInfo {
  lsid: Document;
  appName?: string;
  connectionId: number;
}

const seen = new WeakMap<SimState, Map<string, SessionInfo>>();

function infos(state: SimState): Map<string, SessionInfo> {
  let m = seen.get(state);
  if (!m) seen.set(state, (m = new Map()));
  return m;
}

/** Remembers which client last used a session (called for every command that carries an lsid). */
export function noteSession(
  state: SimState,
  lsid: Document | undefined,
  appName: string | undefined,
  connectionId: number,
): void {
  if (!lsid) return;
  infos(state).set(keyOf(lsid.id ?? lsid), { lsid: { id: lsid.id }, appName, connectionId });
}

/** `aggregate: 1, pipeline: [{$currentOp: …}, …]` on admin: sessions with an open transaction, then the rest of the pipeline. */
export function currentOp(state: SimState, body: Document): Document {
  const docs: Document[] = [];
  const m = infos(state);
  for (const t of state.store.transactions()) {
    if (t.state !== 'in_progress') continue;
    const info = m.get(t.sessionKey);
    docs.push({
      type: 'idleSession',
      desc: 'inactive transaction',
      active: false,
      lsid: info?.lsid,
      connectionId: info?.connectionId,
      ...(info?.appName ? { appName: info.appName, clientMetadata: { application: { name: info.appName } } } : {}),
      transaction: { parameters: { txnNumber: t.txnNumber, autocommit: false } },
    });
  }
  const rest = (body.pipeline as Document[]).slice(1);
  // mingo matches plain values; lsids go back out as they came in.
  const plainDocs = docs.map((d) => ({ ...(plain({ ...d, lsid: undefined }) as Document), lsid: d.lsid }));
  const out = rest.length ? (new Aggregator(plain(rest) as Document[]).run(plainDocs) as Document[]) : plainDocs;
  return state.cursors.firstBatch('admin.$cmd.aggregate', out, undefined, false);
}

export function isCurrentOp(name: string, body: Document): boolean {
  return (
    name === 'aggregate' &&
    typeof body.aggregate !== 'string' &&
    Array.isArray(body.pipeline) &&
    Boolean(body.pipeline[0]?.$currentOp)
  );
}

/** `killSessions: [{id}, …]`: aborts those sessions' transactions, nobody else's. */
export function killSessions(state: SimState, body: Document): Document {
  const keys = new Set(((body.killSessions ?? []) as Document[]).map((l) => keyOf(l.id ?? l)));
  for (const t of [...state.store.transactions()])
    if (keys.has(t.sessionKey) && t.state === 'in_progress') state.store.abort(t, 'killSessions');
  return { ok: 1 };
}
