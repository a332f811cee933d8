import { describe, expect, it } from 'vitest';
import type { History, Op } from '../history/op.ts';
import { moneyImpact, moneyLine } from './money.ts';
import { operationRows } from './operations.ts';

// A small history: two funded tokens (10 and 5 sat), then melts of both with keep 3 + change 1.
let n = 0;
const op = (o: Partial<Op>): Op => ({ index: n++, time: n, process: 'p0', type: 'ok', f: 'melt', value: {}, ...o });
const fund = (tokenId: string, amounts: number[]): Op[] => {
  const proofs = amounts.map((amount, i) => ({ y: `y-${tokenId}-${i}`, amount }));
  return [
    op({ process: 'harness', type: 'invoke', f: 'fund', value: { tokenId: '', proofs } }),
    op({ process: 'harness', type: 'ok', f: 'fund', value: { tokenId, proofs } }),
  ];
};
const melt = (p: string, tx: string, outcome: Op['type'] = 'ok'): Op[] => {
  const value = {
    transactionId: tx,
    sources: ['t1', 't2'],
    keep: [{ y: `k-${tx}`, amount: 3 }],
    change: [{ y: `c-${tx}`, amount: 1 }],
  };
  return [op({ process: p, type: 'invoke', value }), op({ process: p, type: outcome, value })];
};
const steps: History = [
  ...fund('t1', [8, 2]),
  ...fund('t2', [5]),
  ...melt('p0', 'a'),
  ...melt('p1', 'b'),
  ...melt('p2', 'c', 'fail'),
];
const meltOps = steps.filter((o) => o.f === 'melt' && o.type === 'invoke').map((o) => o.index);
const failure = (invariant: string, type: string, witness: Record<string, unknown>) =>
  ({ invariant, type, witness, steps }) as Parameters<typeof moneyImpact>[0];

describe('moneyImpact (pure, from the witness and steps)', () => {
  it("source consumed by two melts: the second melt's keep and change are counted twice", () => {
    const m = moneyImpact(
      failure('no-double-count', 'source-consumed-twice', { ops: meltOps.slice(0, 2), tokens: ['t1', 't2'] }),
    );
    expect(m.countedTwice).toBe(4);
    expect(m.basis).toMatch(/15 sat of sources spent 2 times/);
  });

  it('proofs live twice / stored after consumption: their amounts', () => {
    expect(moneyImpact(failure('no-double-count', 'proof-live-twice', { ys: ['y-t1-0'] })).countedTwice).toBe(8);
    expect(
      moneyImpact(failure('no-double-count', 'consumed-proof-stored', { ys: ['y-t1-0', 'y-t2-0'] })).countedTwice,
    ).toBe(13);
  });

  it('an amount it cannot know is left out, never guessed', () => {
    expect(
      moneyImpact(failure('no-double-count', 'proof-live-twice', { ys: ['y-unknown'] })).countedTwice,
    ).toBeUndefined();
    expect(moneyLine(moneyImpact(failure('audit', 'audit-count', {})))).toBe('none');
  });

  it('money lost and balance too high carry the balance shown vs. what it should be', () => {
    const lost = moneyImpact(failure('conservation', 'money-lost', { ys: ['k-a', 'c-a'], balance: 11, expected: 15 }));
    expect(lost).toMatchObject({ lost: 4, shownBalance: 11, realBalance: 15 });
    expect(moneyLine(lost)).toBe('4 sat lost · the wallet shows 11 sat where it should show 15 sat');
    const high = moneyImpact(failure('conservation', 'balance-too-high', { ys: [], balance: 19, expected: 15 }));
    expect(high.countedTwice).toBe(4);
    // Service level: the mint's books say what is outstanding.
    expect(moneyImpact(failure('conservation', 'money-lost', { outstanding: 64, held: 0 })).lost).toBe(64);
  });

  it('atomicity: a completed melt missing its outputs loses them; a failed one that spent its sources strands them', () => {
    const partial = moneyImpact(
      failure('atomicity', 'partial-commit', { ops: [meltOps[0]], sourcesSpent: ['t1', 't2'], outputsStored: [] }),
    );
    expect(partial).toMatchObject({ lost: 4, countedTwice: 0 });
    const stuck = moneyImpact(
      failure('atomicity', 'failed-but-applied', { ops: [meltOps[2]], sourcesSpent: ['t1'], outputsStored: ['k-c'] }),
    );
    expect(stuck).toMatchObject({ stuck: 10, countedTwice: 3 });
  });

  it('idempotency: every application after the first is counted twice', () => {
    expect(moneyImpact(failure('idempotency', 'applied-twice', { ops: meltOps })).countedTwice).toBe(8);
  });
});

describe('operationRows', () => {
  it('one row per operation with sources, amounts, outcome and times; a fund shows its token id', () => {
    const rows = operationRows(steps);
    expect(rows).toHaveLength(5);
    expect(rows[0]).toMatchObject({ process: 'harness', operation: 'fund', outcome: 'ok' });
    expect(rows[0].detail).toMatch(/t1: 10 sat in 2 proofs/);
    expect(rows[2].detail).toMatch(/a: sources t1, t2 → keep 3 sat, change 1 sat/);
    expect(rows[4].outcome).toMatch(/^failed/);
    expect(
      operationRows([
        op({ process: 'p9', type: 'invoke', value: { transactionId: 'x', sources: [], keep: [], change: [] } }),
      ])[0].outcome,
    ).toMatch(/no reply/);
  });
});
