import type { FundValue, History, MeltValue, ProofRef } from '../history/op.ts';
import type { Failure } from './types.ts';

/**
 * What a failure costs the wallet's user, in sats, computed from the failure alone (its witness and steps).
 * `countedTwice`: value the wallet shows that does not exist (it will fail when spent). `lost`: value the user
 * owns that the wallet no longer shows. `stuck`: value still good at the mint but unusable until someone
 * repairs the wallet's records. An amount the failure does not determine is left out, never guessed.
 */
export interface MoneyImpact {
  countedTwice?: number;
  lost?: number;
  stuck?: number;
  /** What the user would see, when the witness says (balance shown vs. balance real). */
  shownBalance?: number;
  realBalance?: number;
  /** One line: where the figures come from. */
  basis: string;
}

interface Amounts {
  ofY(y: string): number | undefined;
  ofToken(id: string): number | undefined;
  melt(opIndex: number): MeltValue | undefined;
}

const total = (ps: ProofRef[]) => ps.reduce((s, p) => s + p.amount, 0);

/** Amounts by proof Y and by token id, and melts by operation index, as the steps recorded them. */
function amounts(steps: History): Amounts {
  const ys = new Map<string, number>();
  const tokens = new Map<string, number>();
  const melts = new Map<number, MeltValue>();
  for (const op of steps) {
    const v = op.value as Partial<FundValue & MeltValue>;
    // A fund's token id is known only on its completion (the wallet assigns it).
    if (op.f === 'fund' && v.tokenId && v.proofs) {
      tokens.set(v.tokenId, total(v.proofs));
      for (const p of v.proofs) ys.set(p.y, p.amount);
    }
    if (op.f === 'melt' && op.type === 'invoke' && v.sources) {
      melts.set(op.index, v as MeltValue);
      for (const p of [...(v.keep ?? []), ...(v.change ?? [])]) ys.set(p.y, p.amount);
    }
  }
  return { ofY: (y) => ys.get(y), ofToken: (id) => tokens.get(id), melt: (i) => melts.get(i) };
}

/** The sum of known amounts, or undefined when any is unknown (a partial sum would understate the damage). */
function sumOf<T>(items: T[] | undefined, amount: (t: T) => number | undefined): number | undefined {
  if (!items) return undefined;
  let s = 0;
  for (const i of items) {
    const a = amount(i);
    if (a === undefined) return undefined;
    s += a;
  }
  return s;
}

const strings = (v: unknown): string[] | undefined =>
  Array.isArray(v) && v.every((x) => typeof x === 'string') ? v : undefined;
const numbers = (v: unknown): number[] | undefined =>
  Array.isArray(v) && v.every((x) => typeof x === 'number') ? v : undefined;
const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);

const outputs = (m: MeltValue | undefined) => (m ? [...m.keep, ...m.change] : undefined);

/** The money impact of one failure (pure). */
export function moneyImpact(f: Pick<Failure, 'invariant' | 'type' | 'witness' | 'steps'>): MoneyImpact {
  const w = f.witness;
  const a = amounts(f.steps);
  const ys = strings(w.ys);
  const tokens = strings(w.tokens);
  const ops = numbers(w.ops);
  const balances = { shownBalance: num(w.balance) ?? num(w.held), realBalance: num(w.expected) ?? num(w.outstanding) };
  const known = (o: MoneyImpact): MoneyImpact =>
    Object.fromEntries(
      Object.entries({ ...o, ...balances }).filter(([, v]) => v !== undefined),
    ) as unknown as MoneyImpact;
  if (f.invariant === 'balance-read') {
    // A torn read moves no money; it shows the user a balance no state had (nearest allowed value as the real one).
    const seen = num(w.seen);
    const allowed = numbers(w.allowed) ?? [];
    const high = allowed.length ? Math.max(...allowed) : undefined;
    const low = allowed.length ? Math.min(...allowed) : undefined;
    return {
      ...(seen !== undefined ? { shownBalance: seen } : {}),
      ...(seen !== undefined && high !== undefined && seen > high
        ? { countedTwice: seen - high, realBalance: high }
        : {}),
      ...(seen !== undefined && low !== undefined && seen < low ? { realBalance: low } : {}),
      basis: `a balance shown while melts were in flight; a serial order allows only ${allowed.join(' or ') || '?'} (no stored proof moved)`,
    };
  }
  switch (f.type) {
    case 'proof-live-twice':
    case 'proof-held-twice':
    case 'consumed-proof-stored':
    case 'holds-spent-proofs':
    case 'recover-not-idempotent':
      return known({ countedTwice: sumOf(ys, a.ofY), basis: 'the proofs named in the witness, counted a second time' });
    case 'source-consumed-twice': {
      // Every committed melt after the first spent sources already spent: its keep and change are sats the
      // wallet shows but does not have.
      const extra = ops?.slice(1);
      const value = sumOf(tokens, a.ofToken);
      return known({
        countedTwice: sumOf(extra, (i) => {
          const o = outputs(a.melt(i));
          return o ? total(o) : undefined;
        }),
        basis: `keep and change of the ${extra?.length ?? '?'} melts that spent already-spent sources${value === undefined ? '' : ` (the same ${value} sat of sources spent ${ops?.length} times)`}`,
      });
    }
    case 'applied-twice':
      return known({
        countedTwice: sumOf(ops?.slice(1), (i) => {
          const o = outputs(a.melt(i));
          return o ? total(o) : undefined;
        }),
        basis: 'keep and change of every application after the first',
      });
    case 'money-lost':
      return known({
        lost: ys
          ? sumOf(ys, a.ofY)
          : balances.realBalance !== undefined && balances.shownBalance !== undefined
            ? balances.realBalance - balances.shownBalance
            : undefined,
        basis: ys ? 'the proofs that should be held but are not' : "the mint's outstanding amount minus the wallet's",
      });
    case 'balance-too-high': {
      const over =
        balances.shownBalance !== undefined && balances.realBalance !== undefined
          ? balances.shownBalance - balances.realBalance
          : undefined;
      return known({
        countedTwice: ys?.length ? sumOf(ys, a.ofY) : over !== undefined && over > 0 ? over : undefined,
        basis: ys?.length
          ? 'the proofs held that the history does not account for'
          : 'balance shown minus the balance the history accounts for',
      });
    }
    case 'partial-commit': {
      // The melt happened: live sources are spent money still shown; unstored keep/change is money gone.
      const m = ops?.length ? a.melt(ops[0]) : undefined;
      const spent = new Set(strings(w.sourcesSpent) ?? []);
      const stored = new Set(strings(w.outputsStored) ?? []);
      return known({
        countedTwice: sumOf(
          m?.sources.filter((id) => !spent.has(id)),
          a.ofToken,
        ),
        lost: sumOf(
          outputs(m)?.filter((p) => !stored.has(p.y)),
          (p) => p.amount,
        ),
        basis: 'the completed melt: sources still shown as live, keep/change never stored',
      });
    }
    case 'failed-but-applied':
    case 'partial-abort': {
      // The melt did not happen: spent sources are still good at the mint but hidden; stored outputs are extra.
      const m = ops?.length ? a.melt(ops[0]) : undefined;
      const spent = strings(w.sourcesSpent);
      const stored = new Set(strings(w.outputsStored) ?? []);
      return known({
        stuck: sumOf(spent, a.ofToken),
        countedTwice: sumOf(
          outputs(m)?.filter((p) => stored.has(p.y)),
          (p) => p.amount,
        ),
        basis: 'the melt that did not commit: sources marked spent (still good at the mint), outputs stored anyway',
      });
    }
    default:
      return known({ basis: 'no money moves in this kind of failure (records or expectations only)' });
  }
}

/** `16 sat counted twice · 8 sat stuck · the wallet shows 48 sat where it should show 32 sat`; unknowns left out. */
export function moneyLine(m: MoneyImpact): string {
  const parts: string[] = [];
  if (m.countedTwice !== undefined) parts.push(`${m.countedTwice} sat counted twice`);
  if (m.lost !== undefined) parts.push(`${m.lost} sat lost`);
  if (m.stuck !== undefined) parts.push(`${m.stuck} sat stuck`);
  if (m.shownBalance !== undefined && m.realBalance !== undefined)
    parts.push(`the wallet shows ${m.shownBalance} sat where it should show ${m.realBalance} sat`);
  return parts.length ? parts.join(' · ') : 'none';
}
