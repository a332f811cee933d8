import type { Document } from 'bson';
import { Aggregator, ProcessingMode } from 'mingo';
import { Codes, CommandError } from '../errors.ts';
import { collationOf, foldValue } from '../query/collation.ts';
import { matcher } from '../query/filter.ts';
import { fieldKinds, indexById, retypeDoc, widestKind } from '../query/retype.ts';
import { project, sortDocs } from '../query/shape.ts';
import { getPath, keyOf, plain, plainDoc } from '../values.ts';
import type { Ctx } from './context.ts';

function visible(ctx: Ctx, name: string): Document[] {
  return ctx.store.scan(ctx.store.collectionIn(ctx.db, name, ctx.view), ctx.view);
}

function num(v: unknown): number | undefined {
  return v === undefined || v === null ? undefined : Number(plain(v));
}

export function find(ctx: Ctx): Document {
  const b = ctx.body;
  const coll = collationOf(b.collation);
  let docs = sortDocs(visible(ctx, b.find).filter(matcher(b.filter, coll)), b.sort, coll);
  const skip = num(b.skip) ?? 0;
  const limit = num(b.limit) ?? 0;
  docs = docs.slice(skip, limit ? skip + Math.abs(limit) : undefined);
  docs = docs.map((d) => project(d, b.projection));
  const single = b.singleBatch === true || limit < 0;
  return ctx.cursors.firstBatch(`${ctx.db}.${b.find}`, docs, num(b.batchSize), single);
}

export function getMore(ctx: Ctx): Document {
  const id = ctx.body.getMore;
  return ctx.cursors.getMore(BigInt(id.toString()), ctx.body.collection, ctx.db, num(ctx.body.batchSize));
}

export function killCursors(ctx: Ctx): Document {
  return ctx.cursors.kill(((ctx.body.cursors ?? []) as unknown[]).map((c) => BigInt(String(c))));
}

export function count(ctx: Ctx): Document {
  const b = ctx.body;
  const skip = num(b.skip) ?? 0;
  const limit = num(b.limit) ?? 0;
  let n = Math.max(0, visible(ctx, b.count).filter(matcher(b.query, collationOf(b.collation))).length - skip);
  if (limit) n = Math.min(n, Math.abs(limit));
  return { n, ok: 1 };
}

export function distinct(ctx: Ctx): Document {
  const b = ctx.body;
  const coll = collationOf(b.collation);
  const seen = new Map<string, unknown>();
  for (const d of visible(ctx, b.distinct).filter(matcher(b.query, coll))) {
    const v = getPath(d, b.key);
    for (const x of Array.isArray(v) ? v : [v]) {
      const k = keyOf(coll ? foldValue(plain(x), coll) : x);
      if (x !== undefined && !seen.has(k)) seen.set(k, x);
    }
  }
  return { values: [...seen.values()], ok: 1 };
}

/** Stages whose result no string comparison decides (a $group on a constant key: what countDocuments sends). */
function collationNeutral(stage: Document): boolean {
  const op = Object.keys(stage)[0];
  if (['$skip', '$limit', '$count', '$project', '$unset'].includes(op)) return true;
  if (op !== '$group') return false;
  const id = plain(stage.$group._id);
  return id === null || typeof id === 'number';
}

const REFUSED_STAGES = new Set([
  '$out',
  '$merge',
  '$graphLookup',
  '$changeStream',
  '$currentOp',
  '$collStats',
  '$indexStats',
]);

/**
 * Aggregation runs in mingo over plain views; `$lookup` and `$unionWith` read the other collections through the
 * same view (a transaction sees its snapshot). Results get their stored BSON number types back (retype.ts).
 */
export function aggregate(ctx: Ctx): Document {
  const b = ctx.body;
  const pipeline = [...((b.pipeline ?? []) as Document[])];
  for (const stage of pipeline) {
    const op = Object.keys(stage)[0];
    if (REFUSED_STAGES.has(op)) throw new CommandError(Codes.InvalidOptions, `${op} is not supported by the simulator`);
  }
  if (typeof b.aggregate !== 'string')
    throw new CommandError(Codes.InvalidOptions, 'collection-less aggregate is not supported by the simulator');
  const coll = collationOf(b.collation);
  let stored = visible(ctx, b.aggregate);
  if (coll) {
    // Leading $match stages honour the collation here (countDocuments is one); later stages must not compare strings.
    while (pipeline.length && Object.keys(pipeline[0])[0] === '$match')
      stored = stored.filter(matcher((pipeline.shift() as Document).$match, coll));
    const refused = pipeline.find((st) => !collationNeutral(st));
    if (refused)
      throw new CommandError(
        Codes.BadValue,
        `the simulator applies a collation to leading $match stages only, not to ${Object.keys(refused)[0]}`,
      );
  }
  const read: Document[][] = [stored];
  const collectionResolver = (name: string) => {
    const docs = visible(ctx, name);
    read.push(docs);
    return docs.map(plainDoc);
  };
  const plainPipeline = plain(pipeline) as Document[];
  const out = new Aggregator(plainPipeline, {
    collectionResolver,
    processingMode: ProcessingMode.CLONE_INPUT,
  }).run(stored.map(plainDoc)) as Document[];
  const kind = widestKind(read.flat(), pipeline);
  const byId = indexById(...read);
  const kinds = fieldKinds(read.flat(), pipeline);
  const typed = out.map((d) => retypeDoc(d, kinds, kind, byId));
  return ctx.cursors.firstBatch(`${ctx.db}.${b.aggregate}`, typed, num(b.cursor?.batchSize), false);
}
