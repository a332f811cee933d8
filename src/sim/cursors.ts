import { type Document, Long } from 'bson';
import { Codes, CommandError } from './errors.ts';

interface Cursor {
  ns: string;
  rest: Document[];
  batchSize?: number;
}

/** Results are materialised at the first batch (they come from one snapshot), and handed out by getMore. */
export class Cursors {
  private next = 1n;
  private open = new Map<bigint, Cursor>();

  firstBatch(ns: string, docs: Document[], batchSize: number | undefined, single: boolean): Document {
    const n = batchSize === undefined || batchSize === 0 ? 101 : batchSize;
    const first = docs.slice(0, n);
    let id = 0n;
    if (!single && docs.length > n) {
      id = this.next++;
      this.open.set(id, { ns, rest: docs.slice(n), batchSize });
    }
    return { cursor: { firstBatch: first, id: Long.fromBigInt(id), ns }, ok: 1 };
  }

  getMore(id: bigint, collection: string, db: string, batchSize: number | undefined): Document {
    const c = this.open.get(id);
    if (!c || c.ns !== `${db}.${collection}`) throw new CommandError(Codes.CursorNotFound, `cursor id ${id} not found`);
    const n = batchSize && batchSize > 0 ? batchSize : c.rest.length;
    const batch = c.rest.splice(0, n);
    if (c.rest.length === 0) this.open.delete(id);
    return { cursor: { nextBatch: batch, id: Long.fromBigInt(c.rest.length ? id : 0n), ns: c.ns }, ok: 1 };
  }

  kill(ids: bigint[]): Document {
    const killed: Long[] = [];
    const notFound: Long[] = [];
    for (const id of ids) (this.open.delete(id) ? killed : notFound).push(Long.fromBigInt(id));
    return { cursorsKilled: killed, cursorsNotFound: notFound, cursorsAlive: [], cursorsUnknown: [], ok: 1 };
  }
}
