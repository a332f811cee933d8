import { describe, expect, it } from 'vitest';
import type { History, Op } from '../history/op.ts';
import { analyze as check } from './check.ts';
import type { StoredState, StoredToken } from './types.ts';

// Hand-built histories and states: one valid and one violating per invariant.
const p = (y: string, amount: number) => ({ y, amount });
let index = 0;
const op = (o: Partial<Op> & Pick<Op, 'type' | 'f' | 'value'>): Op => ({
  index: index++,
  time: 0,
  process: 'p0',
  ...o,
});
const fund = (tokenId: string, proofs: { y: string; amount: number }[]): Op[] => [
  op({ type: 'invoke', f: 'fund', value: { tokenId: '', proofs }, process: `f-${tokenId}` }),
  op({ type: 'ok', f: 'fund', value: { tokenId, proofs }, process: `f-${tokenId}` }),
];
const melt = (
  process: string,
  transactionId: string,
  sources: string[],
  keep: { y: string; amount: number }[],
  change: { y: string; amount: number }[],
  type: 'ok' | 'fail' | 'info' | null,
): Op[] => {
  const value = { transactionId, sources, keep, change };
  const out = [op({ type: 'invoke', f: 'melt', value, process })];
  if (type) out.push(op({ type, f: 'melt', value, process }));
  return out;
};
const token = (
  id: string,
  status: string,
  proofs: { y: string; amount: number }[],
  transactionType = 'received',
): StoredToken => ({ id, status, transactionType, proofs });

/** The canonical world: t1 (a:8, b:2) melted by m1 into keep k:4 and change c:1. */
function world(): { history: History; state: StoredState } {
  index = 0;
  const history = [...fund('t1', [p('a', 8), p('b', 2)]), ...melt('p1', 'm1', ['t1'], [p('k', 4)], [p('c', 1)], 'ok')];
  const state: StoredState = {
    tokens: [
      token('t1', 'spent', [p('a', 8), p('b', 2)]),
      token('t2', 'unspent', [p('k', 4)], 'change'),
      token('t3', 'unspent', [p('c', 1)], 'change'),
    ],
    audits: [{ id: 'a1', transactionId: 'm1', leakedYs: [] }],
  };
  return { history, state };
}

const invariantsOf = (h: History, s: StoredState) => check(h, s).anomalies.map((a) => `${a.invariant}/${a.type}`);

describe('checker', () => {
  it('accepts a correct melt', () => {
    const { history, state } = world();
    const v = check(history, state);
    expect(v.valid).toBe(true);
    expect(Object.values(v.invariants).filter((i) => i.valid === true)).toHaveLength(5);
    expect(v.invariants.recovery.valid).toBe('unknown'); // service level only
  });

  it('no-double-count: a consumed proof stored again as "melted"', () => {
    const { history, state } = world();
    state.tokens.push(token('t9', 'spent', [p('a', 8), p('b', 2)], 'melted'));
    expect(invariantsOf(history, state)).toContain('no-double-count/consumed-proof-stored');
  });

  it('no-double-count: one source consumed by two committed melts', () => {
    const { history, state } = world();
    history.push(...melt('p2', 'm2', ['t1'], [], [p('d', 3)], 'ok'));
    state.tokens.push(token('t4', 'unspent', [p('d', 3)], 'change'));
    state.audits.push({ id: 'a2', transactionId: 'm2', leakedYs: [] });
    expect(invariantsOf(history, state)).toContain('no-double-count/source-consumed-twice');
  });

  it('conservation: keep proofs lost', () => {
    const { history, state } = world();
    state.tokens = state.tokens.filter((t) => t.id !== 't2');
    expect(invariantsOf(history, state)).toContain('conservation/money-lost');
  });

  it('conservation: a proof live twice raises the balance', () => {
    const { history, state } = world();
    state.tokens.push(token('t5', 'unspent', [p('c', 1)], 'change'));
    const found = invariantsOf(history, state);
    expect(found).toContain('conservation/balance-too-high');
    expect(found).toContain('no-double-count/proof-live-twice');
  });

  it('atomicity: a failed melt that left its sources spent', () => {
    index = 0;
    const history = [...fund('t1', [p('a', 8)]), ...melt('p1', 'm1', ['t1'], [], [p('c', 1)], 'fail')];
    const state: StoredState = { tokens: [token('t1', 'spent', [p('a', 8)])], audits: [] };
    expect(invariantsOf(history, state)).toContain('atomicity/failed-but-applied');
    const ok: StoredState = { tokens: [token('t1', 'unspent', [p('a', 8)])], audits: [] };
    expect(check(history, ok).valid).toBe(true);
  });

  it('audit: two records for one melt, and a secret inside one', () => {
    const { history, state } = world();
    state.audits.push({ id: 'a2', transactionId: 'm1', leakedYs: ['k'] });
    const found = invariantsOf(history, state);
    expect(found).toContain('audit/audit-count');
    expect(found).toContain('audit/secret-in-audit');
  });

  it('idempotency: one transactionId applied by two calls', () => {
    const { history, state } = world();
    history.push(...fund('t6', [p('e', 4)]), ...melt('p3', 'm1', ['t6'], [], [p('f', 2)], 'ok'));
    state.tokens.push(token('t6', 'spent', [p('e', 4)]), token('t7', 'unspent', [p('f', 2)], 'change'));
    expect(invariantsOf(history, state)).toContain('idempotency/applied-twice');
    // Refused the second time: valid.
    history.pop();
    history.push(op({ type: 'fail', f: 'melt', value: history.at(-1)!.value, process: 'p3' }));
    state.tokens = state.tokens
      .filter((t) => t.id !== 't7')
      .map((t) => (t.id === 't6' ? { ...t, status: 'unspent' } : t));
    expect(check(history, state).valid).toBe(true);
  });

  it('accepts an unknown outcome when one outcome explains the state, and says which', () => {
    const { history, state } = world();
    const last = history.pop()!;
    history.push({ ...last, type: 'info' });
    const v = check(history, state);
    expect(v.valid).toBe(true);
    expect(v.assumed).toEqual([{ op: 2, transactionId: 'm1', outcome: 'committed' }]);
    // Neither outcome explains a half-applied melt.
    state.tokens = state.tokens.filter((t) => t.id !== 't3');
    expect(check(history, state).valid).toBe(false);
  });

  it('gives unknown, never a pass, when the checker itself fails', () => {
    const { history } = world();
    const v = check(history, { tokens: null, audits: [] } as unknown as StoredState);
    expect(v.valid).toBe('unknown');
    expect(v.error).toMatch(/checker crashed/);
  });
});
