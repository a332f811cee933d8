import { describe, expect, it } from 'vitest';
import { Sessions } from '../sessions.ts';
import { Store } from '../storage/store.ts';
import { Transaction } from '../storage/transaction.ts';
import { type MemberHandle, ReplicaSet } from './replica-set.ts';

// The replica set's bookkeeping without a network: members as fake handles, time as the simulated election delay.
function setUp() {
  const store = new Store();
  const sessions = new Sessions();
  const rs = new ReplicaSet(3, 'rs-test', store, sessions, { electionMs: 1 });
  const dropped: number[] = [];
  const handles: MemberHandle[] = [0, 1, 2].map((i) => ({
    address: `127.0.0.1:${1000 + i}`,
    dropConnections: () => void dropped.push(i),
    stopListening: async () => {},
    listen: async () => {},
    topologyChanged: () => {},
  }));
  rs.attach(handles);
  const c = store.ensureCollection('db', 'c');
  const write = (id: string, v: number) => store.write(c, id, { _id: id, v }, {}, false);
  return { store, sessions, rs, dropped, write, c };
}

describe('simulated replica set (no network)', () => {
  it('acknowledges w:majority only when a second member applied the write; the majority point follows', async () => {
    const { rs, write, store } = setUp();
    rs.pause();
    write('a', 1);
    expect(rs.majorityPoint()).toBe(0);
    let acked = false;
    const wait = rs.waitFor(0, store.clock, 'majority').then((r) => {
      acked = r === 'ok';
    });
    await new Promise((r) => setTimeout(r, 5));
    expect(acked).toBe(false);
    expect(await rs.waitFor(0, store.clock, 1)).toBe('ok');
    expect(await rs.waitFor(0, store.clock, 'majority', 5)).toBe('timeout');
    rs.resume(1);
    await wait;
    expect(acked).toBe(true);
    expect(rs.majorityPoint()).toBe(store.clock);
  });

  it('kills the primary: the most up-to-date secondary wins (ties: lowest id) and what it lacked is rolled back', async () => {
    const { rs, write, store, sessions, dropped, c } = setUp();
    write('kept', 1);
    await rs.awaitReplication();
    rs.pause(1);
    write('on-two', 2); // members 0 and 2 have it: majority-committed
    await rs.awaitReplication();
    rs.pause();
    write('primary-only', 3);
    const s = sessions.get({ id: 'session-1' })!;
    s.txn = new Transaction(s.key, 1, store.clock);
    store.register(s.txn);
    store.write(c, 'txn-doc', { _id: 'txn-doc' }, { txn: s.txn }, true);
    store.commit(s.txn);
    const waiter = rs.waitFor(0, store.clock, 'majority');
    await rs.kill(0);
    expect(await waiter).toBe('stepped-down');
    expect(dropped).toEqual([0]);
    expect(await rs.awaitPrimary()).toBe(2);
    const undone = rs.rollbacks.flatMap((r) => r.documents.map((d) => d.id));
    expect(undone).toEqual(['primary-only', 'txn-doc']);
    expect(store.scan(c, {}).map((d) => d._id)).toEqual(['kept', 'on-two']);
    // The rolled-back commit is unknown to the set now: a retried commit must not find it committed.
    expect(s.txn.state).toBe('aborted');
    expect(rs.events.map((e) => e.kind)).toEqual(['kill', 'rollback', 'election']);
  });

  it('same history, same faults: the same elections and the same rollbacks', async () => {
    const story = async () => {
      const { rs, write } = setUp();
      write('x', 1);
      await rs.awaitReplication();
      rs.pause();
      write('y', 2);
      rs.stepDown({ catchUp: false });
      await rs.awaitPrimary();
      rs.partition(rs.primary!);
      await rs.awaitPrimary();
      return { primary: rs.primary, term: rs.term, rolledBack: rs.rollbacks.map((r) => r.documents.map((d) => d.id)) };
    };
    const first = await story();
    expect(first).toEqual({ primary: 0, term: 3, rolledBack: [['y']] });
    expect(await story()).toEqual(first);
  });
});
