import { type Document, ObjectId } from 'bson';
import { CommandError } from '../errors.ts';
import { collationOf } from '../query/collation.ts';
import { matcher } from '../query/filter.ts';
import { pipelineUpdate } from '../query/pipeline-update.ts';
import { project, sortDocs } from '../query/shape.ts';
import { applyUpdate, isOperatorUpdate, upsertSeed } from '../query/update.ts';
import { Blocked, type CollectionData } from '../storage/store.ts';
import { deepClone, keyOf } from '../values.ts';
import type { Ctx } from './context.ts';

/** Runs one statement; a non-transactional writer blocked by a transaction waits for it to end, then retries. */
export async function statement<T>(ctx: Ctx, run: () => T): Promise<T> {
  for (;;) {
    try {
      return run();
    } catch (e) {
      if (!(e instanceof Blocked)) throw e;
      await ctx.store.nextRelease(ctx.appName);
    }
  }
}

/** mongod stores _id first, generating an ObjectId only when the client sent none (`_id: null` is a valid _id). */
export function withId(doc: Document): Document {
  const { _id, ...rest } = doc;
  return { _id: _id === undefined ? new ObjectId() : _id, ...rest };
}

function writeError(index: number, e: unknown): Document {
  if (!(e instanceof CommandError) || e.code === 112) throw e; // WriteConflict and internal errors are top-level
  return { index, code: e.code, codeName: e.codeName, errmsg: e.message, ...e.extra };
}

function target(ctx: Ctx, name: string): CollectionData {
  return ctx.store.ensureCollectionIn(ctx.db, name, ctx.view);
}

export async function insert(ctx: Ctx): Promise<Document> {
  const c = target(ctx, ctx.body.insert);
  const docs = (ctx.body.documents ?? []) as Document[];
  const ordered = ctx.body.ordered !== false;
  const writeErrors: Document[] = [];
  let n = 0;
  for (const [i, raw] of docs.entries()) {
    const doc = withId(raw);
    try {
      await statement(ctx, () => ctx.store.write(c, doc._id, doc, ctx.view, true));
      n++;
    } catch (e) {
      writeErrors.push(writeError(i, e));
      if (ordered) break;
    }
  }
  return writeErrors.length ? { n, writeErrors, ok: 1 } : { n, ok: 1 };
}

interface UpdateResult {
  matched: number;
  modified: number;
  upserted?: unknown;
  before?: Document;
  after?: Document;
}

/** One update statement: filter, optional sort (findAndModify), multi, upsert. */
export async function updateOne(
  ctx: Ctx,
  c: CollectionData,
  q: Document,
  u: Document,
  opts: { multi?: boolean; upsert?: boolean; sort?: Document; arrayFilters?: Document[]; collation?: unknown },
): Promise<UpdateResult> {
  const pos = { filter: q, arrayFilters: opts.arrayFilters };
  const change = (doc: Document, isInsert: boolean): [Document, boolean] => {
    if (Array.isArray(u)) {
      const next = pipelineUpdate(doc, u as Document[]);
      return [next, keyOf(next) !== keyOf(doc)];
    }
    if (isOperatorUpdate(u)) {
      const next = deepClone(doc);
      return [next, applyUpdate(next, u, isInsert, pos)];
    }
    if (!isInsert && u._id !== undefined && keyOf(u._id) !== keyOf(doc._id))
      throw new CommandError(
        66,
        "After applying the update, the (immutable) field '_id' was found to have been altered",
      );
    const next = isInsert
      ? { ...(doc._id !== undefined ? { _id: doc._id } : {}), ...deepClone(u) }
      : { _id: doc._id, ...deepClone(u) };
    return [next, keyOf(next) !== keyOf(doc)];
  };
  const done = new Set<string>(); // survives a Blocked retry so that no document is updated twice
  const result: UpdateResult = { matched: 0, modified: 0 };
  await statement(ctx, () => {
    const coll = collationOf(opts.collation);
    let targets = sortDocs(ctx.store.scan(c, ctx.view).filter(matcher(q, coll)), opts.sort, coll);
    targets = targets.filter((d) => !done.has(keyOf(d._id)));
    if (!opts.multi) targets = targets.slice(0, done.size ? 0 : 1);
    for (const old of targets) {
      const [next, changed] = change(old, false);
      if (changed) ctx.store.write(c, old._id, next, ctx.view, false);
      done.add(keyOf(old._id));
      result.matched++;
      if (changed) result.modified++;
      result.before ??= old;
      result.after ??= changed ? next : old;
    }
    if (result.matched === 0 && opts.upsert) {
      const full = withId(change(upsertSeed(q), true)[0]);
      ctx.store.write(c, full._id, full, ctx.view, true);
      result.upserted = full._id;
      result.after = full;
    }
  });
  return result;
}

export async function update(ctx: Ctx): Promise<Document> {
  const c = target(ctx, ctx.body.update);
  const ordered = ctx.body.ordered !== false;
  let n = 0;
  let nModified = 0;
  const upserted: Document[] = [];
  const writeErrors: Document[] = [];
  for (const [index, s] of ((ctx.body.updates ?? []) as Document[]).entries()) {
    try {
      const r = await updateOne(ctx, c, s.q ?? {}, s.u ?? {}, {
        multi: s.multi === true,
        upsert: s.upsert === true,
        arrayFilters: s.arrayFilters,
        collation: s.collation,
      });
      n += r.matched;
      nModified += r.modified;
      if (r.upserted !== undefined) {
        n++;
        upserted.push({ index, _id: r.upserted });
      }
    } catch (e) {
      writeErrors.push(writeError(index, e));
      if (ordered) break;
    }
  }
  return {
    n,
    nModified,
    ...(upserted.length ? { upserted } : {}),
    ...(writeErrors.length ? { writeErrors } : {}),
    ok: 1,
  };
}

export async function del(ctx: Ctx): Promise<Document> {
  const c = target(ctx, ctx.body.delete);
  let n = 0;
  const writeErrors: Document[] = [];
  for (const [index, s] of ((ctx.body.deletes ?? []) as Document[]).entries()) {
    try {
      n += await statement(ctx, () => {
        let targets = ctx.store.scan(c, ctx.view).filter(matcher(s.q, collationOf(s.collation)));
        if (Number(s.limit) === 1) targets = targets.slice(0, 1);
        for (const d of targets) ctx.store.write(c, d._id, null, ctx.view, false);
        return targets.length;
      });
    } catch (e) {
      writeErrors.push(writeError(index, e));
      if (ctx.body.ordered !== false) break;
    }
  }
  return writeErrors.length ? { n, writeErrors, ok: 1 } : { n, ok: 1 };
}

export async function findAndModify(ctx: Ctx): Promise<Document> {
  const b = ctx.body;
  const c = target(ctx, b.findAndModify ?? b.findandmodify);
  const fields = b.fields ?? b.projection;
  if (b.remove) {
    const removed = await statement(ctx, () => {
      const coll = collationOf(b.collation);
      const [d] = sortDocs(ctx.store.scan(c, ctx.view).filter(matcher(b.query, coll)), b.sort, coll);
      if (d) ctx.store.write(c, d._id, null, ctx.view, false);
      return d;
    });
    return { lastErrorObject: { n: removed ? 1 : 0 }, value: removed ? project(removed, fields) : null, ok: 1 };
  }
  const r = await updateOne(ctx, c, b.query ?? {}, b.update ?? {}, {
    upsert: b.upsert === true,
    sort: b.sort,
    arrayFilters: b.arrayFilters,
    collation: b.collation,
  });
  const value = b.new ? r.after : r.upserted !== undefined ? undefined : r.before;
  return {
    lastErrorObject: {
      n: r.matched + (r.upserted !== undefined ? 1 : 0),
      updatedExisting: r.matched > 0,
      ...(r.upserted !== undefined ? { upserted: r.upserted } : {}),
    },
    value: value ? project(value, fields) : null,
    ok: 1,
  };
}
