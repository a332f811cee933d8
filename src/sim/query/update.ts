import { type Document, Double, Int32, Long } from 'bson';
import { Codes, CommandError } from '../errors.ts';
import { compare, deepClone, keyOf, plain } from '../values.ts';
import { matcher } from './filter.ts';

export function isOperatorUpdate(update: Document): boolean {
  const keys = Object.keys(update);
  return keys.length > 0 && keys[0].startsWith('$');
}

/** Splits a concrete dotted path (positional operators are resolved before, by expandPath). */
function parts(path: string): string[] {
  return path.split('.');
}

/** What positional operators resolve against: the statement's filter and its arrayFilters. */
export interface Positional {
  filter?: Document;
  arrayFilters?: Document[];
}

const badValue = (msg: string) => new CommandError(Codes.BadValue, msg);

/** The index of the first element of the array at `prefix` that satisfies the query, for `$`. */
function firstMatch(doc: Document, prefix: string[], arr: unknown[], filter: Document | undefined): number {
  if (!mentions(filter, prefix.join('.')))
    throw badValue('The positional operator did not find the match needed from the query.');
  const m = matcher(filter);
  for (let i = 0; i < arr.length; i++) {
    const probe = deepClone(doc);
    const [parent, key] = parentOf(probe, prefix, false) ?? [];
    if (!parent || key === undefined) break;
    (parent as Document)[key] = [arr[i]];
    if (m(probe)) return i;
  }
  throw badValue('The positional operator did not find the match needed from the query.');
}

/** Whether the query has a condition on the array (or inside it), which `$` needs to pick an element. */
function mentions(filter: unknown, path: string): boolean {
  if (Array.isArray(filter)) return filter.some((f) => mentions(f, path));
  if (!filter || typeof filter !== 'object') return false;
  return Object.entries(filter as Document).some(
    ([k, v]) => k === path || k.startsWith(`${path}.`) || (['$and', '$or', '$nor'].includes(k) && mentions(v, path)),
  );
}

/** The elements of `arr` that the array filter for `id` accepts, for `$[id]`. */
function filtered(id: string, arr: unknown[], path: string, arrayFilters: Document[] | undefined): number[] {
  const f = arrayFilters?.find((af) => Object.keys(af).some((k) => k === id || k.startsWith(`${id}.`)));
  if (!f) throw badValue(`No array filter found for identifier '${id}' in path '${path}'`);
  const m = matcher(f);
  return arr.flatMap((el, i) => (m({ [id]: el }) ? [i] : []));
}

/** Resolves `$`, `$[]` and `$[id]` in an update path into the concrete paths they name in this document. */
function expandPath(doc: Document, path: string, pos: Positional | undefined, isInsert: boolean): string[] {
  const segs = path.split('.');
  if (!segs.some((x) => x.startsWith('$'))) return [path];
  let paths: string[][] = [[]];
  for (const seg of segs) {
    if (!seg.startsWith('$')) {
      paths = paths.map((p) => [...p, seg]);
      continue;
    }
    const next: string[][] = [];
    for (const p of paths) {
      const arr = p.length ? getPathValue(doc, p.join('.')) : undefined;
      if (seg === '$' && isInsert)
        throw badValue('The positional operator did not find the match needed from the query.');
      if (!Array.isArray(arr))
        throw badValue(`The path '${p.join('.')}' must exist in the document in order to apply array updates.`);
      const ids =
        seg === '$'
          ? [firstMatch(doc, p, arr, pos?.filter)]
          : seg === '$[]'
            ? arr.map((_, i) => i)
            : /^\$\[([a-z][a-zA-Z0-9]*)\]$/.test(seg)
              ? filtered(seg.slice(2, -1), arr, path, pos?.arrayFilters)
              : undefined;
      if (!ids) throw badValue(`Unrecognized positional path element '${seg}' in '${path}'`);
      for (const i of ids) next.push([...p, String(i)]);
    }
    paths = next;
  }
  return paths.map((p) => p.join('.'));
}

function parentOf(doc: Document, path: string[], create: boolean): [Document | unknown[], string] | undefined {
  let cur: Document = doc;
  for (const key of path.slice(0, -1)) {
    let next = cur[key];
    if (next === undefined || next === null) {
      if (!create) return undefined;
      next = {};
      cur[key] = next;
    }
    if (typeof next !== 'object')
      throw new CommandError(Codes.TypeMismatch, `Cannot create field '${path.at(-1)}' in element {${key}: ...}`);
    cur = next as Document;
  }
  return [cur, path[path.length - 1]];
}

function setPath(doc: Document, path: string, value: unknown): void {
  const [parent, key] = parentOf(doc, parts(path), true)!;
  (parent as Document)[key] = value;
}

function getPathValue(doc: Document, path: string): unknown {
  const found = parentOf(doc, parts(path), false);
  return found ? (found[0] as Document)[found[1]] : undefined;
}

function unsetPath(doc: Document, path: string): void {
  const found = parentOf(doc, parts(path), false);
  if (!found) return;
  const [parent, key] = found;
  if (Array.isArray(parent)) parent[Number(key)] = null;
  else delete (parent as Document)[key];
}

/** Arithmetic that keeps BSON numeric types as mongod does: Int32 widens to Long on overflow, Double wins. */
function arith(a: unknown, b: unknown, op: (x: number, y: number) => number, path: string): unknown {
  const isNum = (v: unknown) => typeof v === 'number' || v instanceof Int32 || v instanceof Double || v instanceof Long;
  if (a === undefined) a = new Int32(0);
  if (!isNum(a) || !isNum(b))
    throw new CommandError(Codes.TypeMismatch, `Cannot apply $inc/$mul to a value of non-numeric type at '${path}'`);
  const r = op(Number(plain(a)), Number(plain(b)));
  if (a instanceof Double || b instanceof Double || typeof a === 'number' || typeof b === 'number')
    return new Double(r);
  if (a instanceof Long || b instanceof Long || !Number.isInteger(r) || r > 2147483647 || r < -2147483648)
    return Long.fromNumber(r);
  return new Int32(r);
}

function eachOf(v: unknown): unknown[] {
  return v && typeof v === 'object' && !Array.isArray(v) && '$each' in (v as Document)
    ? ((v as Document).$each as unknown[])
    : [v];
}

/** Applies an operator update in place. Returns false when nothing changed (for nModified). */
export function applyUpdate(doc: Document, update: Document, isInsert: boolean, pos?: Positional): boolean {
  const before = keyOf(doc);
  for (const [op, spec] of Object.entries(update)) {
    const concrete = Object.entries(spec as Document).flatMap(([p, v]) =>
      expandPath(doc, p, pos, isInsert).map((c) => [c, v] as const),
    );
    for (const [path, value] of concrete) {
      if (path === '_id' || path.startsWith('_id.')) {
        if (op === '$setOnInsert' || (op === '$set' && isInsert)) {
          setPath(doc, path, deepClone(value));
          continue;
        }
        if (op === '$set' && keyOf(value) === keyOf(doc._id)) continue;
        throw new CommandError(
          Codes.ImmutableField,
          "Performing an update on the path '_id' would modify the immutable field '_id'",
        );
      }
      switch (op) {
        case '$set':
          setPath(doc, path, deepClone(value));
          break;
        case '$setOnInsert':
          if (isInsert) setPath(doc, path, deepClone(value));
          break;
        case '$unset':
          unsetPath(doc, path);
          break;
        case '$inc':
          setPath(
            doc,
            path,
            arith(getPathValue(doc, path), value, (x, y) => x + y, path),
          );
          break;
        case '$mul':
          setPath(
            doc,
            path,
            arith(getPathValue(doc, path) ?? new Int32(0), value, (x, y) => x * y, path),
          );
          break;
        case '$min':
        case '$max': {
          const cur = getPathValue(doc, path);
          const c = compare(plain(value), plain(cur));
          if (cur === undefined || (op === '$min' ? c < 0 : c > 0)) setPath(doc, path, deepClone(value));
          break;
        }
        case '$currentDate':
          setPath(doc, path, new Date());
          break;
        case '$rename': {
          const cur = getPathValue(doc, path);
          if (cur !== undefined) {
            unsetPath(doc, path);
            setPath(doc, value as string, cur);
          }
          break;
        }
        case '$push':
        case '$addToSet': {
          const cur = getPathValue(doc, path) ?? [];
          if (!Array.isArray(cur))
            throw new CommandError(Codes.BadValue, `The field '${path}' must be an array but is of another type`);
          const next = [...cur];
          for (const item of eachOf(value)) {
            if (op === '$addToSet' && next.some((x) => keyOf(x) === keyOf(item))) continue;
            next.push(deepClone(item));
          }
          setPath(doc, path, next);
          break;
        }
        case '$pull':
        case '$pullAll': {
          const cur = getPathValue(doc, path);
          if (!Array.isArray(cur)) break;
          let keep: (x: unknown) => boolean;
          if (op === '$pullAll') {
            const keys = new Set((value as unknown[]).map(keyOf));
            keep = (x) => !keys.has(keyOf(x));
          } else if (value && typeof value === 'object' && value.constructor === Object) {
            const ops = Object.keys(value as Document).some((k) => k.startsWith('$'));
            const m = matcher(ops ? { v: value } : (value as Document));
            keep = (x) => !(ops ? m({ v: x }) : x && typeof x === 'object' && m(x as Document));
          } else keep = (x) => keyOf(x) !== keyOf(value);
          setPath(doc, path, cur.filter(keep));
          break;
        }
        case '$pop': {
          const cur = getPathValue(doc, path);
          if (Array.isArray(cur)) setPath(doc, path, Number(plain(value)) < 0 ? cur.slice(1) : cur.slice(0, -1));
          break;
        }
        default:
          throw new CommandError(
            Codes.FailedToParse,
            `Unknown modifier: ${op}. Expected a valid update modifier or pipeline-style update specified as an array`,
          );
      }
    }
  }
  return keyOf(doc) !== before;
}

/** The document an upsert starts from: the filter's equality fields. */
export function upsertSeed(filter: Document): Document {
  const seed: Document = {};
  for (const [k, v] of Object.entries(filter ?? {})) {
    if (k.startsWith('$')) continue;
    if (v && typeof v === 'object' && v.constructor === Object) {
      const ops = Object.keys(v);
      if (ops.length && ops.every((o) => o.startsWith('$'))) {
        if ('$eq' in v) setPath(seed, k, deepClone(v.$eq));
        continue;
      }
    }
    setPath(seed, k, deepClone(v));
  }
  return seed;
}
