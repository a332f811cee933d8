import type { Document } from 'bson';
import { Codes, CommandError } from '../errors.ts';
import { collationOf } from '../query/collation.ts';
import { matcher } from '../query/filter.ts';
import { duplicateKey, type IndexSpec } from '../storage/store.ts';
import { getPath, keyOf, plain, plainDoc } from '../values.ts';
import type { Ctx } from './context.ts';

export function create(ctx: Ctx): Document {
  const name = ctx.body.create;
  if (ctx.store.collectionIn(ctx.db, name, ctx.view))
    throw new CommandError(Codes.NamespaceExists, `Collection ${ctx.db}.${name} already exists.`);
  const { create: _c, $db, lsid, $clusterTime, writeConcern, ...options } = ctx.body;
  if (collationOf(options.collation))
    throw new CommandError(Codes.BadValue, 'the simulator does not implement collections with a default collation');
  ctx.store.ensureCollectionIn(ctx.db, name, ctx.view, options);
  return { ok: 1 };
}

export function drop(ctx: Ctx): Document {
  const existed = ctx.store.dropCollection(ctx.db, ctx.body.drop);
  return existed ? { nIndexesWas: 1, ns: `${ctx.db}.${ctx.body.drop}`, ok: 1 } : { ok: 1 };
}

export function dropDatabase(ctx: Ctx): Document {
  for (const name of [...(ctx.store.dbs.get(ctx.db)?.keys() ?? [])]) ctx.store.dropCollection(ctx.db, name);
  ctx.store.dbs.delete(ctx.db);
  return { dropped: ctx.db, ok: 1 };
}

export function listDatabases(ctx: Ctx): Document {
  const databases = [...ctx.store.dbs.entries()]
    .filter(([, colls]) => colls.size > 0)
    .map(([name]) => ({ name, sizeOnDisk: 8192, empty: false }));
  return ctx.body.nameOnly
    ? { databases: databases.map(({ name }) => ({ name })), ok: 1 }
    : { databases, totalSize: databases.length * 8192, totalSizeMb: 0, ok: 1 };
}

export function listCollections(ctx: Ctx): Document {
  const colls = [...(ctx.store.dbs.get(ctx.db)?.values() ?? [])].map((c) =>
    ctx.body.nameOnly
      ? { name: c.name, type: 'collection' }
      : {
          name: c.name,
          type: 'collection',
          options: c.options,
          info: { readOnly: false, uuid: c.uuid },
          idIndex: { v: 2, key: { _id: 1 }, name: '_id_' },
        },
  );
  const m = matcher(ctx.body.filter);
  return ctx.cursors.firstBatch(
    `${ctx.db}.$cmd.listCollections`,
    colls.filter((c) => m(c)),
    undefined,
    false,
  );
}

export function listIndexes(ctx: Ctx): Document {
  const c = ctx.store.collection(ctx.db, ctx.body.listIndexes);
  if (!c) throw new CommandError(Codes.NamespaceNotFound, `ns does not exist: ${ctx.db}.${ctx.body.listIndexes}`);
  return ctx.cursors.firstBatch(
    `${ctx.db}.${c.name}`,
    c.indexes.map((i) => ({ v: 2, ...i })),
    undefined,
    false,
  );
}

const INDEX_OPTIONS = ['unique', 'sparse', 'partialFilterExpression', 'expireAfterSeconds', 'collation'];

export function createIndexes(ctx: Ctx): Document {
  const created = !ctx.store.collectionIn(ctx.db, ctx.body.createIndexes, ctx.view);
  if (ctx.txn && ctx.store.collection(ctx.db, ctx.body.createIndexes))
    throw new CommandError(
      Codes.OperationNotSupportedInTransaction,
      `Cannot create new indexes on existing collection ${ctx.db}.${ctx.body.createIndexes} in a multi-document transaction.`,
    );
  const c = ctx.store.ensureCollectionIn(ctx.db, ctx.body.createIndexes, ctx.view);
  const before = c.indexes.length;
  for (const spec of (ctx.body.indexes ?? []) as IndexSpec[]) {
    if (!spec.key || !spec.name) throw new CommandError(Codes.FailedToParse, 'index spec needs key and name');
    if (collationOf(spec.collation))
      throw new CommandError(Codes.BadValue, 'the simulator does not implement indexes with a collation');
    const same = c.indexes.find((i) => i.name === spec.name);
    const sameKey = c.indexes.find((i) => keyOf(i.key) === keyOf(spec.key));
    const opts = (i: IndexSpec) => keyOf(Object.fromEntries(INDEX_OPTIONS.map((o) => [o, plain(i[o]) ?? null])));
    if (same && keyOf(same.key) !== keyOf(spec.key))
      throw new CommandError(
        Codes.IndexKeySpecsConflict,
        `An existing index has the same name as the requested index: ${spec.name}`,
      );
    if (sameKey && (sameKey.name !== spec.name || opts(sameKey) !== opts(spec)))
      throw new CommandError(
        Codes.IndexOptionsConflict,
        `An equivalent index already exists with a different name or options: ${sameKey.name}`,
      );
    if (same) continue;
    if (spec.unique) {
      const seen = new Set<string>();
      for (const d of ctx.store.scan(c, ctx.view)) {
        const k = keyOf(Object.keys(spec.key).map((f) => getPath(plainDoc(d), f) ?? null));
        if (seen.has(k))
          throw duplicateKey(c, spec, Object.fromEntries(Object.keys(spec.key).map((f) => [f, getPath(d, f)])));
        seen.add(k);
      }
    }
    const { v: _v, ns: _ns, ...clean } = spec as Document;
    c.indexes.push(clean as IndexSpec);
  }
  return {
    numIndexesBefore: before,
    numIndexesAfter: c.indexes.length,
    createdCollectionAutomatically: created,
    ...(before === c.indexes.length ? { note: 'all indexes already exist' } : {}),
    ok: 1,
  };
}

export function dropIndexes(ctx: Ctx): Document {
  const c = ctx.store.collection(ctx.db, ctx.body.dropIndexes);
  if (!c) throw new CommandError(Codes.NamespaceNotFound, `ns not found ${ctx.db}.${ctx.body.dropIndexes}`);
  const before = c.indexes.length;
  const which = ctx.body.index;
  const names =
    which === '*'
      ? c.indexes.filter((i) => i.name !== '_id_').map((i) => i.name)
      : Array.isArray(which)
        ? which
        : [which];
  for (const w of names) {
    const at = c.indexes.findIndex((i) => (typeof w === 'string' ? i.name === w : keyOf(i.key) === keyOf(w)));
    if (at < 0) throw new CommandError(Codes.IndexNotFound, `index not found with name [${JSON.stringify(w)}]`);
    if (c.indexes[at].name === '_id_') throw new CommandError(Codes.InvalidOptions, 'cannot drop _id index');
    c.indexes.splice(at, 1);
  }
  return { nIndexesWas: before, ok: 1 };
}
