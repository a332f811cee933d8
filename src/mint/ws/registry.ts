import type { WsKind } from './rpc.ts';

/** A state change of one subscribable object; `seq` orders all changes of the books (the ledger's clock). */
export interface Change {
  kind: WsKind;
  id: string;
  seq: number;
}

export const MAX_SUBSCRIPTIONS = 1000;

interface Subscription {
  kind: WsKind;
  /** Per filter id: the clock of the last state this subscription was given (its snapshot, then each change). */
  seen: Map<string, number>;
}

/**
 * Who is subscribed to what, per connection (NUT-17 subIds are the wallet's own, so they are scoped by connection).
 * Pure: the server owns the sockets. A change reaches a subscription only if it is newer than what that
 * subscription was last given, so a notification held back with its call's response never follows the snapshot
 * of a subscription made meanwhile, nor an older state a later one.
 */
export class Subscriptions<C> {
  private readonly byConnection = new Map<C, Map<string, Subscription>>();

  /** Adds a subscription whose snapshot is taken at clock `seq`; an error message when it cannot be. */
  subscribe(conn: C, subId: string, kind: WsKind, filters: string[], seq: number): string | undefined {
    const subs = this.byConnection.get(conn) ?? new Map<string, Subscription>();
    if (subs.has(subId)) return `subscription ${subId} already exists`;
    if (subs.size >= MAX_SUBSCRIPTIONS) return `at most ${MAX_SUBSCRIPTIONS} subscriptions per connection`;
    subs.set(subId, { kind, seen: new Map(filters.map((f) => [f, seq])) });
    this.byConnection.set(conn, subs);
    return undefined;
  }

  /** False when this connection has no such subscription. */
  unsubscribe(conn: C, subId: string): boolean {
    return this.byConnection.get(conn)?.delete(subId) ?? false;
  }

  /** A connection closed: its subscriptions go with it. */
  drop(conn: C): void {
    this.byConnection.delete(conn);
  }

  /** The subscriptions this change is news to (each is marked as having been given it). */
  route(change: Change): { conn: C; subId: string }[] {
    const out: { conn: C; subId: string }[] = [];
    for (const [conn, subs] of this.byConnection)
      for (const [subId, sub] of subs) {
        const seen = sub.kind === change.kind ? sub.seen.get(change.id) : undefined;
        if (seen === undefined || change.seq <= seen) continue;
        sub.seen.set(change.id, change.seq);
        out.push({ conn, subId });
      }
    return out;
  }

  count(conn?: C): number {
    if (conn !== undefined) return this.byConnection.get(conn)?.size ?? 0;
    let n = 0;
    for (const subs of this.byConnection.values()) n += subs.size;
    return n;
  }
}
