import { createHash } from 'node:crypto';
import mongoose, { type Connection } from 'mongoose';
import { MeltService } from '../wallet/reference/service/melt-service.ts';
import { recover } from '../wallet/reference/service/recover.ts';
import { defineAdapter } from './contract.ts';

let conn: Connection | undefined;
let service: MeltService | undefined;

/** The reference wallet at service level: the melt service over the reference repository, with recover(). */
export default defineAdapter({
  level: 'service',
  name: 'reference-service',
  async setup(ctx) {
    if (!ctx.mintUrl) throw new Error('the service level needs ctx.mintUrl');
    conn = await mongoose.createConnection(ctx.uri, { dbName: ctx.dbName, appName: ctx.appName }).asPromise();
    const bip39seed = new Uint8Array(createHash('sha512').update(`meltcheck-wallet/${ctx.seed}`).digest());
    service = new MeltService(conn, { mintUrl: ctx.mintUrl, npub: `npub1service${ctx.seed}`, bip39seed });
    await service.init();
  },
  fund: (amount) => service!.fund(amount),
  melt: (invoice) => service!.melt(invoice),
  recover: () => recover(service!),
  holdings: () => service!.holdings(),
  pending: () => service!.pending(),
  async teardown() {
    await conn?.close();
    conn = undefined;
  },
});
