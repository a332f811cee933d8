/**
 * A bounded memo of a pure function of one string key. The curve arithmetic of Cashu (hash-to-curve, blind
 * signatures, DLEQ proofs) is deterministic and costly in JavaScript, and a crash enumeration repeats the same
 * inputs run after run (the same mint seed, the same wallet seed): each result is computed once per process.
 * Bounded so a long run cannot grow it without end; when full it starts afresh (the cost is only recomputation).
 */
export function memo<T>(fn: (key: string) => T, capacity = 20_000): (key: string) => T {
  let cache = new Map<string, T>();
  return (key) => {
    const hit = cache.get(key);
    if (hit !== undefined || cache.has(key)) return hit as T;
    const value = fn(key);
    if (cache.size >= capacity) cache = new Map();
    cache.set(key, value);
    return value;
  };
}
