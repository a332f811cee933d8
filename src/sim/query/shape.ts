import type { Document } from 'bson';
import { compare, getPath, plainDoc } from '../values.ts';
import { type Collation, stringComparator } from './collation.ts';

/** Sorts stored documents by a sort spec, comparing their plain views in BSON order; stable. */
export function sortDocs(docs: Document[], sort: Document | undefined, collation?: Collation): Document[] {
  if (!sort || Object.keys(sort).length === 0) return docs;
  const keys = Object.entries(sort).map(([k, v]) => [k, Number(v) < 0 ? -1 : 1] as const);
  const strings = collation ? stringComparator(collation) : undefined;
  return [...docs].sort((a, b) => {
    for (const [k, dir] of keys) {
      const c = compare(getPath(plainDoc(a), k), getPath(plainDoc(b), k), strings);
      if (c) return c * dir;
    }
    return 0;
  });
}

/** A projection as a tree: {a: {b: true}} for 'a.b'. */
type Tree = { [k: string]: Tree | true };

function tree(paths: string[]): Tree {
  const root: Tree = {};
  for (const path of paths) {
    let cur = root;
    const parts = path.split('.');
    for (const [i, part] of parts.entries()) {
      if (i === parts.length - 1) cur[part] = true;
      else cur = (cur[part] = cur[part] === true ? {} : ((cur[part] as Tree) ?? {})) as Tree;
    }
  }
  return root;
}

const isDoc = (v: unknown): v is Document =>
  Boolean(v) && typeof v === 'object' && (v as object).constructor === Object;

/** Keeps only the tree's paths; arrays of documents are projected element by element, as mongod does. */
function include(value: unknown, t: Tree): unknown {
  if (Array.isArray(value)) return value.filter(isDoc).map((v) => include(v, t));
  if (!isDoc(value)) return undefined;
  const out: Document = {};
  for (const [k, sub] of Object.entries(t)) {
    if (!(k in value)) continue;
    if (sub === true) out[k] = value[k];
    else {
      const v = include(value[k], sub);
      if (v !== undefined) out[k] = v;
    }
  }
  return out;
}

function exclude(value: unknown, t: Tree): unknown {
  if (Array.isArray(value)) return value.map((v) => (isDoc(v) ? exclude(v, t) : v));
  if (!isDoc(value)) return value;
  const out: Document = {};
  for (const [k, v] of Object.entries(value)) {
    const sub = t[k];
    if (sub === true) continue;
    out[k] = sub ? exclude(v, sub) : v;
  }
  return out;
}

/** Inclusion or exclusion projection on top-level and dotted fields; _id included unless excluded. */
export function project(doc: Document, projection: Document | undefined): Document {
  if (!projection || Object.keys(projection).length === 0) return doc;
  const entries = Object.entries(projection).map(([k, v]) => [k, Boolean(Number(v) || v === true)] as const);
  const inclusive = entries.some(([k, on]) => on && k !== '_id');
  if (!inclusive) return exclude(doc, tree(entries.filter(([, on]) => !on).map(([k]) => k))) as Document;
  const paths = entries.filter(([k, on]) => on && k !== '_id').map(([k]) => k);
  const out = include(doc, tree(paths)) as Document;
  const idOff = entries.some(([k, on]) => k === '_id' && !on);
  return idOff || doc._id === undefined ? out : { _id: doc._id, ...out };
}
