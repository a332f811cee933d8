import { type Db, type Document, MongoClient, type MongoClientOptions } from 'mongodb';
import { afterAll, beforeAll, describe } from 'vitest';
import { type Target, targets } from './targets.ts';

/** What a conformance case gets: a checker client, its database, and a way to open more clients (wallets). */
export interface Conformance {
  target: Target;
  uri: string;
  client: MongoClient;
  db(): Db;
  /** A client with its own appName, closed after the suite; fail points can aim at it alone. */
  wallet(prefix: string, options?: MongoClientOptions): Promise<{ client: MongoClient; db: Db; appName: string }>;
  /** configureFailPoint on the admin database. */
  failPoint(command: Document): Promise<void>;
}

let serial = 0;

/**
 * Runs the same cases against every target: always the simulator, and a real replica set when
 * MELTCHECK_MONGODB_URI is set (started with enableTestCommands=1). Each suite gets its own database.
 */
export function onEveryTarget(title: string, cases: (c: Conformance) => void): void {
  for (const target of targets) {
    describe.skipIf(Boolean(target.skipReason))(`${title} on ${target.name} ${target.skipReason ?? ''}`, () => {
      const opened: MongoClient[] = [];
      let stop: () => Promise<void> = async () => {};
      const dbName = `conf_${process.pid}_${++serial}`;
      const c: Conformance = {
        target,
        uri: '',
        client: undefined as unknown as MongoClient,
        db: () => c.client.db(dbName),
        async wallet(prefix, options = {}) {
          const appName = `${prefix}-${++serial}-${Date.now()}`;
          const client = await new MongoClient(c.uri, { appName, ...options }).connect();
          opened.push(client);
          return { client, db: client.db(dbName), appName };
        },
        async failPoint(command) {
          await c.client.db('admin').command(command);
        },
      };
      beforeAll(async () => {
        const started = await target.start();
        stop = started.stop;
        c.uri = started.uri;
        c.client = await new MongoClient(c.uri, { appName: 'conformance-checker' }).connect();
        await c.db().dropDatabase();
      });
      afterAll(async () => {
        for (const name of ['failCommand', 'onPrimaryTransactionalWrite'])
          await c.client
            .db('admin')
            .command({ configureFailPoint: name, mode: 'off' })
            .catch(() => {}); // best effort: the suite's result does not depend on it
        await c.db().dropDatabase();
        for (const o of opened) await o.close();
        await c.client.close();
        await stop();
      });
      cases(c);
    });
  }
}
