import { sum } from '../model.ts';
import type { Anomaly, CheckInput } from '../types.ts';
import { LIVE } from '../types.ts';

/**
 * What the wallet holds equals what the history says it should hold: funded − consumed + keep + change of
 * committed melts. Less is lost money, more is double counting.
 */
export function conservation({ state, funded, melts }: CheckInput): Anomaly[] {
  const expected = new Map<string, number>();
  for (const proofs of funded.values()) for (const p of proofs) expected.set(p.y, p.amount);
  for (const m of melts) {
    if (m.outcome !== 'committed') continue;
    for (const id of m.value.sources) for (const p of funded.get(id) ?? []) expected.delete(p.y);
  }
  for (const m of melts)
    if (m.outcome === 'committed') for (const p of [...m.value.keep, ...m.value.change]) expected.set(p.y, p.amount);

  const held = new Map<string, number>();
  for (const t of state.tokens) if (LIVE.has(t.status)) for (const p of t.proofs) held.set(p.y, p.amount);
  const balance = sum([...state.tokens.filter((t) => LIVE.has(t.status)).flatMap((t) => t.proofs)]);
  const want = sum([...expected.entries()].map(([y, amount]) => ({ y, amount })));
  const lost = [...expected.keys()].filter((y) => !held.has(y));
  const extra = [...held.keys()].filter((y) => !expected.has(y));
  const out: Anomaly[] = [];
  if (lost.length)
    out.push({
      invariant: 'conservation',
      type: 'money-lost',
      message: `${lost.length} proof(s) worth ${sum(lost.map((y) => ({ y, amount: expected.get(y)! })))} should be held but are not (balance ${balance}, expected ${want})`,
      witness: { ys: lost, balance, expected: want },
    });
  if (extra.length || balance > want)
    out.push({
      invariant: 'conservation',
      type: 'balance-too-high',
      message: `balance ${balance} but the history accounts for ${want}${extra.length ? `; ${extra.length} proof(s) held that should not be` : ''}`,
      witness: { ys: extra, balance, expected: want },
    });
  return out;
}
