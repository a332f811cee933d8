import type { Document } from 'bson';
import { Query } from 'mingo';
import { plain, plainDoc } from '../values.ts';
import { type Collation, foldValue } from './collation.ts';

export type Matcher = (doc: Document) => boolean;

/** Compiles a MongoDB filter into a predicate over stored (wrapped) documents; mingo does the semantics. */
export function matcher(filter: Document | undefined, collation?: Collation): Matcher {
  if (!filter || Object.keys(filter).length === 0) return () => true;
  if (collation) {
    // Strings compare by their folded keys on both sides (strength 1-2: case, and accents at 1, ignored).
    const folded = new Query(foldValue(plain(filter), collation) as Document);
    return (doc) => folded.test(foldValue(plainDoc(doc), collation) as Document);
  }
  const q = new Query(plain(filter) as Document);
  return (doc) => q.test(plainDoc(doc));
}
