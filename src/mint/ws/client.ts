import { injectWebSocketImpl } from '@cashu/cashu-ts';
import WebSocket, { type ClientOptions } from 'ws';

/**
 * `ws`'s client without permessage-deflate: under nock's socket interception (the tests' no-network guard), ws's
 * deflate cleanup throws when a mint drops the connection (nutshell restarting). Nothing here needs compression.
 */
export class PlainWebSocket extends WebSocket {
  constructor(url: string | URL, protocols?: string | string[], options?: ClientOptions) {
    super(url, protocols, { ...options, perMessageDeflate: false });
  }
}

/** Node 20 has no global WebSocket: gives cashu-ts (its NUT-17 subscriptions) this one through its inject hook. */
export function injectWebSocketIntoCashuTs(): void {
  injectWebSocketImpl(PlainWebSocket as never);
}
