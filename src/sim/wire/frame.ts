import { BSON, type Document } from 'bson';

/** Opcodes of the MongoDB wire protocol that a modern driver sends or expects. */
export const OP_REPLY = 1;
export const OP_QUERY = 2004;
export const OP_MSG = 2013;

export const MSG_CHECKSUM_PRESENT = 1 << 0;
export const MSG_MORE_TO_COME = 1 << 1;
export const MSG_EXHAUST_ALLOWED = 1 << 16;

/** Values stay wrapped (Int32, Double, Long, Decimal128) so that they round-trip exactly. */
export const RAW: BSON.DeserializeOptions = {
  promoteValues: false,
  promoteLongs: false,
  promoteBuffers: false,
  bsonRegExp: true,
};

export class FrameError extends Error {}

export interface Header {
  length: number;
  requestId: number;
  responseTo: number;
  opCode: number;
}

export type Request =
  | { kind: 'msg'; header: Header; flags: number; body: Document }
  | { kind: 'query'; header: Header; collection: string; body: Document };

export const MAX_MESSAGE = 48_000_000;

export function readHeader(buf: Buffer): Header {
  return {
    length: buf.readInt32LE(0),
    requestId: buf.readInt32LE(4),
    responseTo: buf.readInt32LE(8),
    opCode: buf.readInt32LE(12),
  };
}

function readCString(buf: Buffer, at: number): [string, number] {
  const end = buf.indexOf(0, at);
  if (end < 0) throw new FrameError('unterminated cstring');
  return [buf.toString('utf8', at, end), end + 1];
}

function bsonAt(buf: Buffer, at: number, limit: number): [Document, number] {
  if (at + 5 > limit) throw new FrameError('truncated BSON document');
  const size = buf.readInt32LE(at);
  if (size < 5 || at + size > limit) throw new FrameError(`BSON size ${size} out of bounds`);
  return [BSON.deserialize(buf.subarray(at, at + size), RAW), at + size];
}

/** Decodes one complete message. Document sequences (kind 1) are folded into the body, as mongod does. */
export function decode(buf: Buffer): Request {
  const header = readHeader(buf);
  if (header.opCode === OP_MSG) {
    const flags = buf.readUInt32LE(16);
    const known = MSG_CHECKSUM_PRESENT | MSG_MORE_TO_COME | MSG_EXHAUST_ALLOWED;
    if ((flags & 0xffff & ~known) !== 0) throw new FrameError(`unknown required OP_MSG flag bits ${flags}`);
    const end = flags & MSG_CHECKSUM_PRESENT ? buf.length - 4 : buf.length;
    let at = 20;
    let body: Document | undefined;
    const sequences: [string, Document[]][] = [];
    while (at < end) {
      const kind = buf.readUInt8(at++);
      if (kind === 0) {
        if (body) throw new FrameError('OP_MSG with two kind-0 sections');
        [body, at] = bsonAt(buf, at, end);
      } else if (kind === 1) {
        if (at + 4 > end) throw new FrameError('truncated document sequence');
        const size = buf.readInt32LE(at);
        const stop = at + size;
        if (size < 5 || stop > end) throw new FrameError('document sequence out of bounds');
        let [id, p] = readCString(buf, at + 4);
        const docs: Document[] = [];
        while (p < stop) {
          let doc: Document;
          [doc, p] = bsonAt(buf, p, stop);
          docs.push(doc);
        }
        sequences.push([id, docs]);
        at = stop;
      } else {
        throw new FrameError(`unknown OP_MSG section kind ${kind}`);
      }
    }
    if (!body) throw new FrameError('OP_MSG without a body');
    for (const [id, docs] of sequences) body[id] = docs;
    return { kind: 'msg', header, flags, body };
  }
  if (header.opCode === OP_QUERY) {
    const [collection, at] = readCString(buf, 20);
    const [query] = bsonAt(buf, at + 8, buf.length);
    // Legacy handshakes may wrap the command as {$query: {...}}.
    const body = query.$query && typeof query.$query === 'object' ? (query.$query as Document) : query;
    return { kind: 'query', header, collection, body };
  }
  throw new FrameError(`unsupported opCode ${header.opCode}`);
}

export function encodeMsg(requestId: number, responseTo: number, doc: Document, flags = 0): Buffer {
  const payload = BSON.serialize(doc);
  const out = Buffer.alloc(21 + payload.length);
  out.writeInt32LE(out.length, 0);
  out.writeInt32LE(requestId, 4);
  out.writeInt32LE(responseTo, 8);
  out.writeInt32LE(OP_MSG, 12);
  out.writeUInt32LE(flags, 16);
  out.writeUInt8(0, 20);
  out.set(payload, 21);
  return out;
}

export function encodeReply(requestId: number, responseTo: number, doc: Document): Buffer {
  const payload = BSON.serialize(doc);
  const out = Buffer.alloc(36 + payload.length);
  out.writeInt32LE(out.length, 0);
  out.writeInt32LE(requestId, 4);
  out.writeInt32LE(responseTo, 8);
  out.writeInt32LE(OP_REPLY, 12);
  out.writeInt32LE(8, 16); // AwaitCapable, as mongod sets it
  out.writeBigInt64LE(0n, 20);
  out.writeInt32LE(0, 28);
  out.writeInt32LE(1, 32);
  out.set(payload, 36);
  return out;
}
