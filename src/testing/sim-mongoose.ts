import { MongoClient } from 'mongodb';
import mongoose, { type Connection } from 'mongoose';
import { SimServer } from '../sim/server.ts';

/** A simulator, a mongoose connection for the wallet (appName 'wallet'), and a checker client beside it. */
export interface SimWorld {
  sim: SimServer;
  conn: Connection;
  checker: MongoClient;
  dbName: string;
  failNext(data: Record<string, unknown>, mode?: Record<string, unknown> | string): Promise<void>;
  close(): Promise<void>;
}

export async function simWorld(dbName = 'meltcheck_test'): Promise<SimWorld> {
  const sim = await SimServer.start();
  const conn = await mongoose.createConnection(sim.uri, { dbName, appName: 'wallet', autoIndex: true }).asPromise();
  const checker = await new MongoClient(sim.uri, { appName: 'meltcheck-checker' }).connect();
  return {
    sim,
    conn,
    checker,
    dbName,
    async failNext(data, mode = { times: 1 }) {
      await checker
        .db('admin')
        .command({ configureFailPoint: 'failCommand', mode, data: { appName: 'wallet', ...data } });
    },
    async close() {
      await conn.close();
      await checker.close();
      await sim.stop();
    },
  };
}
