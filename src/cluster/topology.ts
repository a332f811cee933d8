import type { ReplicaSet } from '../sim/index.ts';

/** A document a rollback undid, as the harness sees it (the database decides whether it belongs to a run). */
export interface RolledBackDocument {
  db: string;
  collection: string;
  id: string;
  /** The undone version (null for an undone delete): transaction ids in it tie it to a melt. */
  doc: Record<string, unknown> | null;
}

/**
 * What topology checks may do to a 3-member cluster meltcheck started: the faults of primary-stepdown and
 * w1-rollback. The simulator implements it exactly (deterministic elections, rollbacks it can list); a real set
 * implements what its commands allow (see realTopology).
 */
export interface TopologyControl {
  /** Stop replicating to every secondary (writes stay on the primary alone), and resume. */
  pauseReplication(): Promise<void>;
  resumeReplication(): Promise<void>;
  /** Resolves when every secondary has applied everything the primary has. */
  awaitReplication(): Promise<void>;
  /** Resolves when a write is waiting for its write concern on the primary (or, failing a way to tell, soon). */
  awaitWriteWaiting(signal?: AbortSignal, above?: number): Promise<void>;
  /** Writes waiting for their write concern now (a real set: commits still running, the closest it can tell). */
  writesWaiting(): Promise<number>;
  /** The primary steps down; `catchUp`: secondaries get all it has first (nothing rolls back). */
  stepDown(opts: { catchUp: boolean; electionMs?: number }): Promise<void>;
  /** The primary's process dies (connections drop); a secondary is elected. Returns the member killed. */
  killPrimary(): Promise<number>;
  /** The primary is cut off from the secondaries (clients still reach it). Returns the member. */
  partitionPrimary?(): Promise<number>;
  /**
   * A standing fault for reads: one secondary stops replicating and the other is cut off from the clients (it
   * still replicates and acknowledges majority writes). Every read a client sends to a secondary then goes to the
   * one that falls behind, while majority writes still succeed. Undone by restore(). Returns the lagging member.
   */
  staleSecondary?(): Promise<number>;
  /** The lagging member of staleSecondary() gets everything up to now, then lags again. */
  catchUp?(member: number): Promise<void>;
  /** Whole again: restarted, healed, reachable, replicating, with a primary. */
  restore(): Promise<void>;
  /** Documents rolled back since the cluster started (the simulator lists them; a real set: none known). */
  rollbacks(): RolledBackDocument[];
  /** Elections so far (the simulator's terms), for the report. */
  elections(): number;
  /** Faults this cluster cannot run (their plans are left out, and the result says so). */
  unsupported?: ('kill-primary' | 'partition-primary' | 'crash-wallet')[];
}

/** The simulator's replica set: every fault exact, every election and rollback deterministic. */
export function simTopology(rs: ReplicaSet): TopologyControl {
  return {
    pauseReplication: async () => rs.pause(),
    resumeReplication: async () => rs.resume(),
    awaitReplication: () => rs.awaitReplication(),
    awaitWriteWaiting: (signal, above) => rs.awaitWaiter(signal, above),
    writesWaiting: async () => rs.waiting,
    async stepDown(opts) {
      rs.stepDown(opts);
      await rs.awaitPrimary();
    },
    async killPrimary() {
      const p = await rs.awaitPrimary();
      await rs.kill(p);
      await rs.awaitPrimary();
      return p;
    },
    async partitionPrimary() {
      const p = await rs.awaitPrimary();
      rs.partition(p);
      await rs.awaitPrimary();
      return p;
    },
    async staleSecondary() {
      const p = await rs.awaitPrimary();
      const [reachable, lagging] = rs.members.filter((m) => m.id !== p).map((m) => m.id);
      rs.pause(lagging);
      await rs.cutFromClients(reachable);
      return lagging;
    },
    async catchUp(member) {
      rs.resume(member);
      await rs.awaitReplication();
      rs.pause(member);
    },
    async restore() {
      for (const m of rs.members) {
        if (m.role === 'DOWN') await rs.restart(m.id);
        if (m.partitioned) rs.heal(m.id);
        if (m.clientsCut) await rs.reachClients(m.id);
      }
      rs.resume();
      await rs.awaitPrimary();
      await rs.awaitReplication();
    },
    rollbacks: () =>
      rs.rollbacks.flatMap((r) =>
        r.documents.map((d) => {
          const dot = d.ns.indexOf('.');
          return {
            db: d.ns.slice(0, dot),
            collection: d.ns.slice(dot + 1),
            id: String(d.id),
            doc: d.doc as Record<string, unknown> | null,
          };
        }),
      ),
    elections: () => rs.term - 1,
  };
}
