import { describe, expect, it } from 'vitest';
import { MAX_SUBSCRIPTIONS, Subscriptions } from './registry.ts';

describe('NUT-17 subscription registry (pure)', () => {
  it('routes a change only to subscriptions of its kind and id that have not been given a later state', () => {
    const r = new Subscriptions<string>();
    expect(r.subscribe('a', 's1', 'bolt11_melt_quote', ['q1', 'q2'], 5)).toBeUndefined();
    expect(r.subscribe('b', 's1', 'bolt11_melt_quote', ['q1'], 7)).toBeUndefined(); // subIds are per connection
    expect(r.subscribe('b', 's2', 'proof_state', ['q1'], 7)).toBeUndefined();
    // seq 6 happened before b's snapshot (7): news to a only.
    expect(r.route({ kind: 'bolt11_melt_quote', id: 'q1', seq: 6 })).toEqual([{ conn: 'a', subId: 's1' }]);
    expect(r.route({ kind: 'bolt11_melt_quote', id: 'q1', seq: 8 })).toEqual([
      { conn: 'a', subId: 's1' },
      { conn: 'b', subId: 's1' },
    ]);
    // An older state arriving late (held with a slow response) is never sent after a newer one.
    expect(r.route({ kind: 'bolt11_melt_quote', id: 'q1', seq: 7 })).toEqual([]);
    expect(r.route({ kind: 'bolt11_melt_quote', id: 'q3', seq: 9 })).toEqual([]);
    expect(r.route({ kind: 'bolt11_mint_quote', id: 'q2', seq: 9 })).toEqual([]);
  });

  it('refuses a subId twice on one connection, unsubscribes only what exists, forgets a closed connection', () => {
    const r = new Subscriptions<string>();
    r.subscribe('a', 's1', 'proof_state', ['y'], 0);
    expect(r.subscribe('a', 's1', 'proof_state', ['z'], 0)).toMatch(/already exists/);
    expect(r.unsubscribe('a', 'nope')).toBe(false);
    expect(r.unsubscribe('b', 's1')).toBe(false);
    expect(r.unsubscribe('a', 's1')).toBe(true);
    expect(r.count()).toBe(0);
    r.subscribe('a', 's2', 'proof_state', ['y'], 0);
    r.drop('a');
    expect(r.route({ kind: 'proof_state', id: 'y', seq: 1 })).toEqual([]);
    for (let i = 0; i < MAX_SUBSCRIPTIONS; i++) r.subscribe('c', `s${i}`, 'proof_state', ['y'], 0);
    expect(r.subscribe('c', 'one-more', 'proof_state', ['y'], 0)).toMatch(/at most/);
  });
});
