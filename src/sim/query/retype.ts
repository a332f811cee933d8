import { Decimal128, type Document, Double, Int32, Long } from 'bson';
import { keyOf } from '../values.ts';

/** BSON numeric types from narrowest to widest, as mongod widens them in arithmetic. */
const KINDS = ['int', 'long', 'double', 'decimal'] as const;
export type NumKind = (typeof KINDS)[number];

function kindOf(v: unknown): NumKind | undefined {
  if (v instanceof Int32) return 'int';
  if (v instanceof Long) return 'long';
  if (v instanceof Double) return 'double';
  if (v instanceof Decimal128) return 'decimal';
  if (typeof v === 'number') return Number.isInteger(v) && Math.abs(v) <= 2147483647 ? 'int' : 'double';
  return undefined;
}

const wider = (a: NumKind, b: NumKind): NumKind => (KINDS.indexOf(a) >= KINDS.indexOf(b) ? a : b);

/** Field paths an expression references ("$amount" -> amount), wherever they appear in a pipeline. */
function referencedPaths(spec: unknown, out = new Set<string>()): Set<string> {
  if (typeof spec === 'string' && spec.startsWith('$') && !spec.startsWith('$$')) out.add(spec.slice(1));
  else if (Array.isArray(spec)) for (const s of spec) referencedPaths(s, out);
  else if (spec && typeof spec === 'object' && (spec as object).constructor === Object)
    for (const v of Object.values(spec)) referencedPaths(v, out);
  return out;
}

const ARITHMETIC = new Set([
  '$add',
  '$subtract',
  '$multiply',
  '$sum',
  '$mod',
  '$abs',
  '$ceil',
  '$floor',
  '$round',
  '$trunc',
  '$pow',
  '$min',
  '$max',
]);
const FRACTIONAL = new Set(['$divide', '$avg', '$stdDevPop', '$stdDevSamp', '$sqrt', '$exp', '$ln', '$log', '$log10']);

/** The widest type among numeric literals that are arithmetic operands ($multiply: ['$a', 1.5] is a Double). */
function literalKind(spec: unknown, operand: boolean): NumKind {
  let kind: NumKind = 'int';
  if (operand) kind = wider(kind, kindOf(spec) ?? 'int');
  if (Array.isArray(spec)) for (const s of spec) kind = wider(kind, literalKind(s, operand));
  else if (spec && typeof spec === 'object' && (spec as object).constructor === Object)
    for (const [k, v] of Object.entries(spec)) {
      if (FRACTIONAL.has(k)) kind = wider(kind, 'double');
      kind = wider(kind, literalKind(v, ARITHMETIC.has(k) || FRACTIONAL.has(k) || (operand && !k.startsWith('$'))));
    }
  return kind;
}

function collect(v: unknown, path: string[], acc: (k: NumKind) => void): void {
  if (Array.isArray(v)) {
    for (const x of v) collect(x, path, acc);
    return;
  }
  if (path.length === 0) {
    const k = kindOf(v);
    if (k) acc(k);
    return;
  }
  if (v && typeof v === 'object') collect((v as Document)[path[0]], path.slice(1), acc);
}

/**
 * The type mongod would give a number computed from the pipeline's inputs: the widest stored type among the
 * fields the pipeline references ($sum of Int32 stays Int32, of Long is Long, any Double makes a Double).
 */
export function widestKind(docs: Document[], pipeline: unknown): NumKind {
  let kind: NumKind = literalKind(pipeline, false);
  for (const path of referencedPaths(pipeline)) {
    const parts = path.split('.');
    for (const d of docs) collect(d, parts, (k) => (kind = wider(kind, k)));
  }
  return kind;
}

const SHAPING = new Set(['$group', '$project', '$addFields', '$set']);

/**
 * Per output field, the type its computed numbers get: the widest among what that field's own expression reads
 * (so {i: {$sum: '$i'}, d: {$sum: '$d'}} types i and d separately). A field read from an earlier computed field
 * inherits that field's type.
 */
export function fieldKinds(docs: Document[], pipeline: Document[]): Map<string, NumKind> {
  const kinds = new Map<string, NumKind>();
  for (const stage of pipeline) {
    const [op] = Object.keys(stage);
    if (!SHAPING.has(op)) continue;
    for (const [field, spec] of Object.entries(stage[op] as Document)) {
      if (op === '$group' && field === '_id') continue;
      if (typeof spec !== 'string' && (!spec || typeof spec !== 'object')) continue;
      let kind = literalKind(spec, false);
      for (const path of referencedPaths(spec)) {
        const known = kinds.get(path);
        if (known) kind = wider(kind, known);
        const parts = path.split('.');
        for (const d of docs) collect(d, parts, (k) => (kind = wider(kind, k)));
      }
      kinds.set(field, kind);
    }
  }
  return kinds;
}

/** retype for a top-level output document, each field with its own computed type. */
export function retypeDoc(
  out: Document,
  kinds: Map<string, NumKind>,
  fallback: NumKind,
  byId: Map<string, Document>,
): Document {
  const src = out._id !== undefined ? byId.get(keyOf(out._id)) : likeliestSource(out, byId);
  const whole = retype(out, src, fallback, byId) as Document;
  for (const [k, kind] of kinds) if (k in out && kind !== fallback) whole[k] = retype(out[k], src?.[k], kind, byId);
  return whole;
}

function typed(n: number, kind: NumKind): unknown {
  if (kind === 'decimal') return Decimal128.fromString(String(n));
  if (!Number.isInteger(n) || kind === 'double') return new Double(n);
  if (kind === 'long' || Math.abs(n) > 2147483647) return Long.fromNumber(n);
  return new Int32(n);
}

/**
 * Gives a value mingo computed on plain views its BSON types back: whatever equals the stored value at the same
 * place is that stored value (exact type, exact Decimal128/Long digits); documents found by `_id` among the
 * inputs supply their stored fields; any other number gets the type `kind`.
 */
export function retype(out: unknown, source: unknown, kind: NumKind, byId: Map<string, Document>): unknown {
  if (source !== undefined && keyOf(out) === keyOf(source) && sameShape(out, source)) return source;
  if (typeof out === 'number') return typed(out, kind);
  if (Array.isArray(out)) {
    const src = Array.isArray(source) ? source : [];
    return out.map((x, i) => retype(x, src[i], kind, byId));
  }
  if (out && typeof out === 'object' && (out as object).constructor === Object) {
    const o = out as Document;
    let src = source && typeof source === 'object' && !Array.isArray(source) ? (source as Document) : undefined;
    if (o._id !== undefined && (!src || keyOf(src._id) !== keyOf(o._id))) src = byId.get(keyOf(o._id)) ?? src;
    const res: Document = {};
    for (const [k, v] of Object.entries(o)) res[k] = retype(v, src?.[k], kind, byId);
    return res;
  }
  return out;
}

/** keyOf equates numbers across types; a stored number may stand in for a computed one, a document only for one with the same keys. */
function sameShape(out: unknown, source: unknown): boolean {
  if (out && typeof out === 'object' && source && typeof source === 'object' && !Array.isArray(out))
    return Object.keys(out).join('\0') === Object.keys(source).join('\0');
  return true;
}

/** For an output without _id (projected away): the input sharing the most equal fields with it, if any. */
function likeliestSource(out: Document, byId: Map<string, Document>): Document | undefined {
  if (byId.size > 2_000) return undefined; // a linear search per output: only for test-sized inputs
  const keys = Object.keys(out).map((k) => [k, keyOf(out[k])] as const);
  let best: Document | undefined;
  let score = 0;
  for (const d of byId.values()) {
    let n = 0;
    for (const [k, v] of keys) if (k in d && keyOf(d[k]) === v) n++;
    if (n > score) [best, score] = [d, n];
  }
  return best;
}

/** Every input document by its _id, for retype. */
export function indexById(...collections: Document[][]): Map<string, Document> {
  const m = new Map<string, Document>();
  for (const docs of collections) for (const d of docs) if (d._id !== undefined) m.set(keyOf(d._id), d);
  return m;
}
