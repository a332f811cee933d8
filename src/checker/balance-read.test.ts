import { describe, expect, it } from 'vitest';
import type { History, Op } from '../history/op.ts';
import { analyze } from './check.ts';
import type { StoredState, StoredToken } from './types.ts';

// Hand-built histories for the bank test: valid reads, torn reads above and below every allowed state, unknowns.
const p = (y: string, amount: number) => ({ y, amount });
let index = 0;
const op = (o: Partial<Op> & Pick<Op, 'type' | 'f' | 'value' | 'process'>): Op => ({ index: index++, time: 0, ...o });
const fundOps = (tokenId: string, proofs: { y: string; amount: number }[]): Op[] => [
  op({ type: 'invoke', f: 'fund', value: { tokenId: '', proofs }, process: 'harness' }),
  op({ type: 'ok', f: 'fund', value: { tokenId, proofs }, process: 'harness' }),
];
const meltValue = { transactionId: 'm1', sources: ['t1'], keep: [p('k', 4)], change: [p('c', 1)] };
const meltInvoke = () => op({ type: 'invoke', f: 'melt', value: meltValue, process: 'p0' });
const meltDone = (type: 'ok' | 'fail' | 'info') => op({ type, f: 'melt', value: meltValue, process: 'p0' });
const readInvoke = (process = 'r0') => op({ type: 'invoke', f: 'balance', value: {}, process });
const readDone = (total: number | undefined, type: 'ok' | 'fail' | 'info' = 'ok', process = 'r0') =>
  op({ type, f: 'balance', value: total === undefined ? {} : { total, spendable: total, pending: 0 }, process });
const token = (
  id: string,
  status: string,
  proofs: { y: string; amount: number }[],
  type = 'received',
): StoredToken => ({
  id,
  status,
  transactionType: type,
  proofs,
});

/** t1 (a:8, b:2) funded; m1 melts it into keep k:4 and change c:1 (balance 10 before, 5 after). */
const melted: StoredState = {
  tokens: [
    token('t1', 'spent', [p('a', 8), p('b', 2)]),
    token('t2', 'unspent', [p('k', 4)], 'change'),
    token('t3', 'unspent', [p('c', 1)], 'change'),
  ],
  audits: [{ id: 'a1', transactionId: 'm1', leakedYs: [] }],
};
const unmelted: StoredState = { tokens: [token('t1', 'unspent', [p('a', 8), p('b', 2)])], audits: [] };

function run(build: () => Op[], state = melted) {
  index = 0;
  const history: History = build();
  return analyze(history, state);
}
const kinds = (v: ReturnType<typeof analyze>) => v.anomalies.map((a) => `${a.invariant}/${a.type}`);

describe('balance-read invariant', () => {
  it('accepts reads before, after, and concurrent with a melt (either side)', () => {
    for (const seen of [5, 10]) {
      const v = run(() => [
        ...fundOps('t1', [p('a', 8), p('b', 2)]),
        meltInvoke(),
        readInvoke(),
        readDone(seen),
        meltDone('ok'),
      ]);
      expect(kinds(v)).toEqual([]);
      expect(v.invariants['balance-read']).toEqual({ valid: true, count: 0 });
    }
    const serial = run(() => [
      ...fundOps('t1', [p('a', 8), p('b', 2)]),
      readInvoke(),
      readDone(10),
      meltInvoke(),
      meltDone('ok'),
      readInvoke(),
      readDone(5),
    ]);
    expect(kinds(serial)).toEqual([]);
  });

  it('says nothing about balance-read when the history has no read (unknown, not a vacuous pass)', () => {
    const v = run(() => [...fundOps('t1', [p('a', 8), p('b', 2)]), meltInvoke(), meltDone('ok')]);
    expect(v.valid).toBe(true);
    expect(v.invariants['balance-read'].valid).toBe('unknown');
  });

  it('reports a concurrent read above every allowed state as double-count, with its witness', () => {
    const v = run(() => [
      ...fundOps('t1', [p('a', 8), p('b', 2)]),
      meltInvoke(),
      readInvoke(),
      readDone(15),
      meltDone('ok'),
    ]);
    expect(kinds(v)).toEqual(['balance-read/double-count']);
    expect(v.invariants['balance-read']).toEqual({ valid: false, count: 1 });
    expect(v.anomalies[0].witness).toMatchObject({ read: 3, concurrent: [2], allowed: [5, 10], seen: 15 });
  });

  it('reports a read below every allowed state as missing', () => {
    const v = run(() => [
      ...fundOps('t1', [p('a', 8), p('b', 2)]),
      meltInvoke(),
      readInvoke(),
      readDone(0),
      meltDone('ok'),
    ]);
    expect(kinds(v)).toEqual(['balance-read/missing']);
  });

  it('holds real time: a melt completed before the read began is in, one invoked after it completed is out', () => {
    const stale = run(() => [
      ...fundOps('t1', [p('a', 8), p('b', 2)]),
      meltInvoke(),
      meltDone('ok'),
      readInvoke(),
      readDone(10),
    ]);
    expect(kinds(stale)).toEqual(['balance-read/double-count']);
    expect(stale.anomalies[0].witness).toMatchObject({ allowed: [5], concurrent: [] });
    const early = run(() => [
      ...fundOps('t1', [p('a', 8), p('b', 2)]),
      readInvoke(),
      readDone(5),
      meltInvoke(),
      meltDone('ok'),
    ]);
    expect(kinds(early)).toEqual(['balance-read/missing']);
    // A fund completed before the read must be in it.
    const noFund = run(() => [...fundOps('t1', [p('a', 8), p('b', 2)]), readInvoke(), readDone(0)], unmelted);
    expect(kinds(noFund)).toEqual(['balance-read/missing']);
  });

  it('keeps an aborted melt out and lets a melt of unknown outcome be in or out', () => {
    const aborted = run(
      () => [...fundOps('t1', [p('a', 8), p('b', 2)]), meltInvoke(), readInvoke(), readDone(5), meltDone('fail')],
      unmelted,
    );
    expect(kinds(aborted)).toEqual(['balance-read/missing']);
    for (const [seen, state] of [
      [5, melted],
      [10, unmelted],
    ] as const) {
      const v = run(
        () => [...fundOps('t1', [p('a', 8), p('b', 2)]), meltInvoke(), meltDone('info'), readInvoke(), readDone(seen)],
        state,
      );
      expect(kinds(v)).toEqual([]);
    }
  });

  it('does not judge reads that failed or whose outcome is unknown', () => {
    for (const type of ['fail', 'info'] as const) {
      const v = run(
        () => [...fundOps('t1', [p('a', 8), p('b', 2)]), readInvoke(), readDone(undefined, type)],
        unmelted,
      );
      expect(kinds(v)).toEqual([]);
    }
    const open = run(() => [...fundOps('t1', [p('a', 8), p('b', 2)]), readInvoke()], unmelted);
    expect(kinds(open)).toEqual([]);
  });

  it('allows no value between states that no serial order produces (two concurrent melts, one ordered before)', () => {
    // t1 (8) and t2 (4); m1 melts t1 into c:1 and completes before m2 (t2 into d:2) begins; both overlap the read.
    const v = run(
      () => {
        const m1 = { transactionId: 'm1', sources: ['t1'], keep: [], change: [p('c', 1)] };
        const m2 = { transactionId: 'm2', sources: ['t2'], keep: [], change: [p('d', 2)] };
        return [
          ...fundOps('t1', [p('a', 8)]),
          ...fundOps('t2', [p('b', 4)]),
          readInvoke(),
          op({ type: 'invoke', f: 'melt', value: m1, process: 'p0' }),
          op({ type: 'ok', f: 'melt', value: m1, process: 'p0' }),
          op({ type: 'invoke', f: 'melt', value: m2, process: 'p1' }),
          op({ type: 'ok', f: 'melt', value: m2, process: 'p1' }),
          // 10 = m2 without m1: impossible, m1 finished before m2 began. Allowed: 12, 5, 3.
          readDone(10),
        ];
      },
      {
        tokens: [
          token('t1', 'spent', [p('a', 8)]),
          token('t2', 'spent', [p('b', 4)]),
          token('x', 'unspent', [p('c', 1)], 'change'),
          token('y', 'unspent', [p('d', 2)], 'change'),
        ],
        audits: [
          { id: 'a1', transactionId: 'm1', leakedYs: [] },
          { id: 'a2', transactionId: 'm2', leakedYs: [] },
        ],
      },
    );
    expect(kinds(v)).toEqual(['balance-read/no-such-state']);
    expect(v.anomalies[0].witness).toMatchObject({ allowed: [3, 5, 12], seen: 10 });
  });
});
