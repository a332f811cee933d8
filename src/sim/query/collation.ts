import type { Document } from 'bson';
import { Codes, CommandError } from '../errors.ts';

/** A collation the simulator implements: a locale and strength 1 (base letters), 2 (plus accents) or 3 (plus case). */
export interface Collation {
  locale: string;
  strength: 1 | 2 | 3;
}

const DEFAULTS: Record<string, unknown> = {
  caseLevel: false,
  caseFirst: 'off',
  numericOrdering: false,
  alternate: 'non-ignorable',
  backwards: false,
  normalization: false,
};
const KNOWN = new Set(['locale', 'strength', 'maxVariable', 'version', ...Object.keys(DEFAULTS)]);

/**
 * Parses a command's collation. `simple` (or none) is binary comparison: undefined. Options the simulator does not
 * implement are refused with an error rather than ignored, since ignoring them would give wrong answers.
 */
export function collationOf(spec: unknown): Collation | undefined {
  if (spec === undefined || spec === null) return undefined;
  if (typeof spec !== 'object' || Array.isArray(spec))
    throw new CommandError(Codes.TypeMismatch, "BSON field 'collation' is the wrong type, expected type 'object'");
  const c = spec as Document;
  for (const k of Object.keys(c))
    if (!KNOWN.has(k))
      throw new CommandError(Codes.IDLUnknownField, `BSON field 'collation.${k}' is an unknown field.`);
  if (typeof c.locale !== 'string')
    throw new CommandError(Codes.IDLMissingField, "BSON field 'collation.locale' is missing but a required field");
  if (c.locale === 'simple') return undefined;
  const strength = c.strength === undefined ? 3 : Number(c.strength.valueOf());
  if (![1, 2, 3, 4, 5].includes(strength))
    throw new CommandError(Codes.BadValue, 'strength must be an integer 1 through 5');
  let supported: boolean;
  try {
    supported = Intl.Collator.supportedLocalesOf([c.locale.replace(/_/g, '-')]).length > 0;
  } catch {
    supported = false;
  }
  if (!supported) throw new CommandError(Codes.BadValue, `Field 'locale' is invalid in: { locale: "${c.locale}" }`);
  const unsupported = Object.entries(DEFAULTS).find(([k, d]) => c[k] !== undefined && c[k] !== d);
  if (strength > 3 || unsupported)
    throw new CommandError(
      Codes.BadValue,
      `the simulator implements collations with strength 1-3 and default options only, not ${unsupported ? `${unsupported[0]}: ${String(c[unsupported[0]])}` : `strength ${strength}`}`,
    );
  return { locale: c.locale.replace(/_/g, '-'), strength: strength as 1 | 2 | 3 };
}

/** The comparison key of a string under a collation: what strength 1 and 2 ignore is folded away. */
export function foldString(s: string, c: Collation): string {
  let out = s.normalize('NFC');
  if (c.strength <= 2) out = out.toLocaleLowerCase(c.locale);
  if (c.strength === 1) out = out.normalize('NFD').replace(/\p{M}/gu, '');
  return out;
}

/** Folds every string in a plain value (regular expressions stay as they are: mongod ignores collation for them). */
export function foldValue(v: unknown, c: Collation): unknown {
  if (typeof v === 'string') return foldString(v, c);
  if (Array.isArray(v)) return v.map((x) => foldValue(x, c));
  if (v && typeof v === 'object' && (v as object).constructor === Object) {
    const out: Document = {};
    for (const [k, x] of Object.entries(v as Document)) out[k] = k === '$regex' ? x : foldValue(x, c);
    return out;
  }
  return v;
}

/** Orders strings as the collation does. */
export function stringComparator(c: Collation): (a: string, b: string) => number {
  const sensitivity = c.strength === 1 ? 'base' : c.strength === 2 ? 'accent' : 'variant';
  const collator = new Intl.Collator(c.locale, { sensitivity });
  return (a, b) => collator.compare(a, b);
}
