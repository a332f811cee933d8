import { Binary, BSONRegExp, Decimal128, type Document, Double, EJSON, Int32, Long, ObjectId, Timestamp } from 'bson';

/**
 * Stored documents keep their wrapped BSON values (exact round trip); query engines see a "plain" view where
 * every numeric type is a JS number. mingo understands ObjectId, Date and primitives, but not Int32 and friends.
 */
export function plain(value: unknown): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (value instanceof Int32 || value instanceof Double) return value.valueOf();
  if (value instanceof Long) return value.toNumber();
  if (value instanceof Decimal128) return Number.parseFloat(value.toString());
  if (value instanceof BSONRegExp) return new RegExp(value.pattern, value.options.replace(/[^gimsuy]/g, ''));
  if (value instanceof ObjectId || value instanceof Date || value instanceof Binary || value instanceof Timestamp)
    return value;
  if (Array.isArray(value)) return value.map(plain);
  const out: Document = {};
  for (const [k, v] of Object.entries(value)) out[k] = plain(v);
  return out;
}

const cache = new WeakMap<object, Document>();
/** Plain view of an immutable stored version, computed once. */
export function plainDoc(doc: Document): Document {
  let p = cache.get(doc);
  if (!p) {
    p = plain(doc) as Document;
    cache.set(doc, p);
  }
  return p;
}

/** A canonical string for equality of _id and index keys: numbers of any BSON type compare by value. */
export function keyOf(value: unknown): string {
  return EJSON.stringify(canonNumbers(value) as Document, { relaxed: false });
}

function canonNumbers(value: unknown): unknown {
  if (value === undefined) return null;
  const p = plain(value);
  if (typeof p === 'number') return { $n: p };
  if (Array.isArray(p)) return p.map(canonNumbers);
  if (p && typeof p === 'object' && p.constructor === Object) {
    const out: Document = {};
    for (const [k, v] of Object.entries(p)) out[k] = canonNumbers(v);
    return out;
  }
  return p;
}

/** MongoDB's BSON comparison order across types, then within a type. */
function typeRank(v: unknown): number {
  if (v === undefined || v === null) return 1;
  if (typeof v === 'number' || typeof v === 'bigint') return 2;
  if (typeof v === 'string') return 3;
  if (Array.isArray(v)) return 5;
  if (v instanceof Binary) return 6;
  if (v instanceof ObjectId) return 7;
  if (typeof v === 'boolean') return 8;
  if (v instanceof Date) return 9;
  if (v instanceof Timestamp) return 10;
  if (v instanceof RegExp) return 11;
  return 4;
}

/** Compares two plain values in BSON order. */
export function compare(a: unknown, b: unknown, strings?: (a: string, b: string) => number): number {
  const ra = typeRank(a);
  const rb = typeRank(b);
  if (ra !== rb) return ra - rb;
  switch (ra) {
    case 1:
      return 0;
    case 2:
      return Number(a) < Number(b) ? -1 : Number(a) > Number(b) ? 1 : 0;
    case 3:
      if (strings) return strings(a as string, b as string);
      return a === b ? 0 : (a as string) < (b as string) ? -1 : 1;
    case 6:
      return Buffer.compare((a as Binary).buffer, (b as Binary).buffer);
    case 7:
      return (a as ObjectId).toHexString().localeCompare((b as ObjectId).toHexString());
    case 8:
      return Number(a) - Number(b);
    case 9:
      return (a as Date).getTime() - (b as Date).getTime();
    case 10:
      return (a as Timestamp).compare(b as Timestamp);
    case 5: {
      const x = a as unknown[];
      const y = b as unknown[];
      for (let i = 0; i < Math.min(x.length, y.length); i++) {
        const c = compare(x[i], y[i], strings);
        if (c) return c;
      }
      return x.length - y.length;
    }
    default: {
      const ex = Object.entries(a as Document);
      const ey = Object.entries(b as Document);
      for (let i = 0; i < Math.min(ex.length, ey.length); i++) {
        const c = compare(ex[i][1], ey[i][1], strings) || (ex[i][0] < ey[i][0] ? -1 : ex[i][0] > ey[i][0] ? 1 : 0);
        if (c) return c;
      }
      return ex.length - ey.length;
    }
  }
}

/** Reads a dotted path from a document (no array traversal: enough for sort keys and index keys). */
export function getPath(doc: Document, path: string): unknown {
  let cur: unknown = doc;
  for (const part of path.split('.')) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Document)[part];
  }
  return cur;
}

export function deepClone<T>(value: T): T {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map(deepClone) as T;
  if ((value as object).constructor !== Object) return value; // BSON values are immutable
  const out: Document = {};
  for (const [k, v] of Object.entries(value as Document)) out[k] = deepClone(v);
  return out as T;
}
