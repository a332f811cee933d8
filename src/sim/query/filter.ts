import type { Document } from 'bson';
import { Query } from 'mingo';
import { plain, plainDoc } from '../values.ts';

export type Matcher = (doc: Document) => boolean;

/** Compiles a MongoDB filter into a predicate over stored (wrapped) documents; mingo does the semantics. */
export function matcher(filter: Document | undefined): Matcher {
  if (!filter || Object.keys(filter).length === 0) return () => true;
  const q = new Query(plain(filter) as Document);
  return (doc) => q.test(plainDoc(doc));
}
