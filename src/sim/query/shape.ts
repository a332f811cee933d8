import type { Document } from 'bson';
import { compare, getPath, plainDoc } from '../values.ts';

/** Sorts stored documents by a sort spec, comparing their plain views in BSON order; stable. */
export function sortDocs(docs: Document[], sort: Document | undefined): Document[] {
  if (!sort || Object.keys(sort).length === 0) return docs;
  const keys = Object.entries(sort).map(([k, v]) => [k, Number(v) < 0 ? -1 : 1] as const);
  return [...docs].sort((a, b) => {
    for (const [k, dir] of keys) {
      const c = compare(getPath(plainDoc(a), k), getPath(plainDoc(b), k));
      if (c) return c * dir;
    }
    return 0;
  });
}

/** Inclusion or exclusion projection on top-level and dotted fields; _id included unless excluded. */
export function project(doc: Document, projection: Document | undefined): Document {
  if (!projection || Object.keys(projection).length === 0) return doc;
  const entries = Object.entries(projection).map(([k, v]) => [k, Boolean(Number(v) || v === true)] as const);
  const inclusive = entries.some(([k, on]) => on && k !== '_id');
  if (!inclusive) {
    const out = structuredCloneShallow(doc);
    for (const [k, on] of entries) if (!on) deletePath(out, k);
    return out;
  }
  const out: Document = {};
  if (projection._id === undefined || entries.find(([k]) => k === '_id')?.[1]) out._id = doc._id;
  for (const [k, on] of entries) {
    if (!on || k === '_id') continue;
    const v = getPath(doc, k);
    if (v === undefined) continue;
    const parts = k.split('.');
    let cur = out;
    for (const p of parts.slice(0, -1)) cur = cur[p] ??= {};
    cur[parts[parts.length - 1]] = v;
  }
  return out;
}

function structuredCloneShallow(doc: Document): Document {
  const out: Document = {};
  for (const [k, v] of Object.entries(doc))
    out[k] = v && typeof v === 'object' && v.constructor === Object ? structuredCloneShallow(v) : v;
  return out;
}

function deletePath(doc: Document, path: string): void {
  const parts = path.split('.');
  let cur: Document | undefined = doc;
  for (const p of parts.slice(0, -1)) cur = cur?.[p];
  if (cur && typeof cur === 'object') delete cur[parts[parts.length - 1]];
}
