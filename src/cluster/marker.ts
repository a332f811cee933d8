import type { MongoClient } from 'mongodb';

/** The collection that says "meltcheck created this database"; `meltcheck clean` drops only databases holding it. */
export const MARKER = 'meltcheck_run';

/** Marks a database the run has just claimed (and found empty: a reused database is never marked). */
export async function markDatabase(admin: MongoClient, dbName: string, runId: string): Promise<void> {
  await admin.db(dbName).collection(MARKER).insertOne({ runId, createdAt: new Date(), pid: process.pid });
}

/** Drops every `mc_*` database that carries the marker; returns their names. Anything else is left alone. */
export async function dropLeftovers(admin: MongoClient): Promise<string[]> {
  const { databases } = await admin.db('admin').admin().listDatabases({ nameOnly: true });
  const dropped: string[] = [];
  for (const { name } of databases) {
    if (!name.startsWith('mc_')) continue;
    const marked = await admin.db(name).listCollections({ name: MARKER }, { nameOnly: true }).toArray();
    if (!marked.length) continue;
    await admin.db(name).dropDatabase();
    dropped.push(name);
  }
  return dropped;
}
