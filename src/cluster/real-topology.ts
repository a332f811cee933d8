import { type Document, MongoClient } from 'mongodb';
import type { TopologyControl } from './topology.ts';

/** How to kill and restart a member's process, where meltcheck started it (memory: the library's handles). */
export interface MemberProcesses {
  kill(address: string): Promise<void>;
  restart(address: string): Promise<void>;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Topology faults on a real 3-member replica set meltcheck started, through mongod's own commands: replication
 * paused with the `stopReplProducer` fail point on each secondary (test commands are on in every cluster
 * meltcheck starts), `replSetStepDown` (force, or with a secondary catch-up period), and — where meltcheck holds
 * the member processes — kill and restart. Election timing is mongod's (seconds, not the simulator's
 * milliseconds); rolled-back documents are not listed (mongod writes them to rollback files on the old primary);
 * partitions are not available. Written for memory/docker; this machine has no mongod to test it against.
 */
export function realTopology(uri: string, processes?: MemberProcesses): TopologyControl {
  let faults = 0;
  const killed = new Set<string>();
  const admin = () => new MongoClient(uri, { appName: 'meltcheck-topology', serverSelectionTimeoutMS: 30_000 });
  const withAdmin = async <T>(f: (c: MongoClient) => Promise<T>): Promise<T> => {
    const c = await admin().connect();
    try {
      return await f(c);
    } finally {
      await c.close();
    }
  };
  const hello = () => withAdmin((c) => c.db('admin').command({ hello: 1 }));
  const onSecondaries = async (command: Document) => {
    const h = await hello();
    for (const host of (h.hosts as string[]).filter((x) => x !== h.primary && !killed.has(x))) {
      const direct = await new MongoClient(`mongodb://${host}/?directConnection=true`, {
        appName: 'meltcheck-topology',
      }).connect();
      try {
        await direct.db('admin').command(command);
      } finally {
        await direct.close();
      }
    }
  };
  const waitingCommits = () =>
    withAdmin(
      async (c) =>
        (
          await c
            .db('admin')
            .aggregate([
              { $currentOp: { allUsers: true } },
              { $match: { 'command.commitTransaction': { $exists: true } } },
            ])
            .toArray()
        ).length,
    );
  const awaitPrimary = async () => {
    for (let i = 0; i < 600; i++) {
      const h = await hello().catch(() => undefined);
      if (typeof h?.primary === 'string' && !killed.has(h.primary)) return h.primary as string;
      await sleep(100);
    }
    throw new Error('no primary within 60 s');
  };
  return {
    pauseReplication: () => onSecondaries({ configureFailPoint: 'stopReplProducer', mode: 'alwaysOn' }),
    resumeReplication: () => onSecondaries({ configureFailPoint: 'stopReplProducer', mode: 'off' }),
    async awaitReplication() {
      for (let i = 0; i < 600; i++) {
        const s = await withAdmin((c) => c.db('admin').command({ replSetGetStatus: 1 }));
        const up = (s.members as Document[]).filter((m) => m.health === 1);
        const optimes = new Set(up.map((m) => String(m.optime?.ts)));
        if (optimes.size === 1) return;
        await sleep(50);
      }
      throw new Error('secondaries did not catch up within 30 s');
    },
    // mongod shows no "waiting for write concern" flag: a commit still in $currentOp is the closest sign.
    async awaitWriteWaiting(signal, above = 0) {
      while (!signal?.aborted && (await waitingCommits().catch(() => 0)) <= above) await sleep(20);
    },
    writesWaiting: () => waitingCommits().catch(() => 0),
    async stepDown({ catchUp }) {
      faults++;
      await withAdmin((c) =>
        c
          .db('admin')
          .command(
            catchUp ? { replSetStepDown: 60, secondaryCatchUpPeriodSecs: 10 } : { replSetStepDown: 60, force: true },
          ),
      ).catch(() => {}); // a stepdown may cut the reply
      await awaitPrimary();
    },
    async killPrimary() {
      if (!processes) throw new Error('this cluster cannot kill a member (meltcheck does not hold its processes)');
      const primary = await awaitPrimary();
      faults++;
      killed.add(primary);
      await processes.kill(primary);
      await awaitPrimary();
      return 0;
    },
    async restore() {
      for (const host of [...killed]) {
        await processes?.restart(host);
        killed.delete(host);
      }
      await onSecondaries({ configureFailPoint: 'stopReplProducer', mode: 'off' }).catch(() => {});
      await awaitPrimary();
      await this.awaitReplication();
    },
    rollbacks: () => [],
    elections: () => faults,
    unsupported: processes ? ['partition-primary'] : ['kill-primary', 'partition-primary'],
  };
}
