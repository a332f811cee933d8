import type { Socket } from 'node:net';
import type { Document } from 'bson';
import {
  decode,
  encodeMsg,
  encodeReply,
  FrameError,
  MAX_MESSAGE,
  MSG_EXHAUST_ALLOWED,
  MSG_MORE_TO_COME,
  type Request,
} from './frame.ts';

export interface ConnectionHandler {
  /** Returns the reply, or undefined to send nothing (the connection was closed on purpose). */
  handle(req: Request, conn: Connection): Promise<Document | undefined>;
  /** For awaitable hello: resolves after the wait, or early when the connection closes. */
  awaitHello(req: Request, conn: Connection): Promise<Document | undefined>;
  log(line: string): void;
}

let nextRequestId = 1;

/**
 * One client connection: frames in, replies out, one request at a time (drivers do not pipeline). A malformed
 * frame closes this connection only.
 */
export class Connection {
  private buffered: Buffer = Buffer.alloc(0);
  private busy: Promise<void> = Promise.resolve();
  closed = false;
  appName?: string;

  constructor(
    readonly id: number,
    readonly socket: Socket,
    private readonly handler: ConnectionHandler,
  ) {
    socket.setNoDelay(true);
    socket.on('data', (chunk) => this.onData(chunk));
    socket.on('error', () => this.close());
    socket.on('close', () => {
      this.closed = true;
    });
  }

  close(): void {
    this.closed = true;
    this.socket.destroy();
  }

  private onData(chunk: Buffer): void {
    this.buffered = this.buffered.length ? Buffer.concat([this.buffered, chunk]) : chunk;
    while (this.buffered.length >= 4) {
      const length = this.buffered.readInt32LE(0);
      if (length < 16 || length > MAX_MESSAGE) {
        this.reject(`message length ${length} out of range`);
        return;
      }
      if (this.buffered.length < length) return;
      const frame = this.buffered.subarray(0, length);
      this.buffered = this.buffered.subarray(length);
      let req: Request;
      try {
        req = decode(frame);
      } catch (e) {
        this.reject(e instanceof FrameError || e instanceof Error ? e.message : String(e));
        return;
      }
      this.busy = this.busy.then(() => this.process(req)).catch((e) => this.reject(`handler failed: ${e}`));
    }
  }

  private reject(why: string): void {
    this.handler.log(`connection ${this.id}: malformed frame (${why}); closing it`);
    this.close();
  }

  private async process(req: Request): Promise<void> {
    if (this.closed) return;
    const reply = await this.handler.handle(req, this);
    if (reply === undefined || this.closed) return;
    if (req.kind === 'query') return void this.socket.write(encodeReply(nextRequestId++, req.header.requestId, reply));
    if (req.flags & MSG_MORE_TO_COME) return; // unacknowledged (w:0): no reply at all
    if (!(req.flags & MSG_EXHAUST_ALLOWED) || !isAwaitable(req.body)) {
      this.socket.write(encodeMsg(nextRequestId++, req.header.requestId, reply));
      return;
    }
    // Exhaust hello: keep streaming replies, each answering the previous one, until the client goes away.
    let responseTo = req.header.requestId;
    let next: Document | undefined = reply;
    while (next && !this.closed) {
      const id = nextRequestId++;
      this.socket.write(encodeMsg(id, responseTo, next, MSG_MORE_TO_COME));
      responseTo = id;
      next = await this.handler.awaitHello(req, this);
    }
  }
}

export function isAwaitable(body: Document): boolean {
  return body.topologyVersion !== undefined && body.maxAwaitTimeMS !== undefined;
}
