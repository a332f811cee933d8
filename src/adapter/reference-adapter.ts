import mongoose, { type Connection } from 'mongoose';
import { WalletRepository } from '../wallet/reference/repository.ts';
import { defineAdapter } from './contract.ts';

let conn: Connection | undefined;
let repo: WalletRepository | undefined;

/** The reference wallet, repository level: follows the seed and must pass everything. */
export default defineAdapter({
  level: 'repository',
  name: 'reference',
  async setup(ctx) {
    conn = await mongoose.createConnection(ctx.uri, { dbName: ctx.dbName, appName: ctx.appName }).asPromise();
    repo = new WalletRepository(conn);
    await repo.init();
  },
  createWallet: (npub, mintUrl) => repo!.createWallet(npub, mintUrl),
  createSourceToken: (t) => repo!.storeToken({ ...t, transaction_type: 'received' }),
  executeAtomicMelt: (ids, keep, change, txId, meta) => repo!.executeAtomicMelt(ids, keep, change, txId, meta),
  balance: (owner) => repo!.balance(owner),
  async teardown() {
    await conn?.close();
    conn = undefined;
  },
});
