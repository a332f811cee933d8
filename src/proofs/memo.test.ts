import { describe, expect, it } from 'vitest';
import { memo } from './memo.ts';

describe('memo', () => {
  it('computes each key once, remembers falsy results too, and starts afresh when full', () => {
    const calls: string[] = [];
    const f = memo((k) => {
      calls.push(k);
      return k === 'no' ? false : k.length;
    }, 2);
    expect([f('ab'), f('ab'), f('no'), f('no')]).toEqual([2, 2, false, false]);
    expect(calls).toEqual(['ab', 'no']);
    f('xyz'); // full: the cache starts afresh with this one
    expect(f('ab')).toBe(2);
    expect(calls).toEqual(['ab', 'no', 'xyz', 'ab']);
  });

  it('does not remember a throw', () => {
    let n = 0;
    const f = memo(() => {
      n++;
      throw new Error('no');
    });
    expect(() => f('a')).toThrow('no');
    expect(() => f('a')).toThrow('no');
    expect(n).toBe(2);
  });
});
