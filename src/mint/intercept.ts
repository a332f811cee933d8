import nock from 'nock';
import type { TestMint } from './server.ts';

/**
 * Serves the test mint at `baseUrl` without a socket: nock intercepts cashu-ts's fetch and hands each request to
 * `mint.respond`. Nothing is thrown inside the reply callback (that would crash the process): failures become
 * HTTP errors, lost requests and responses become network errors passed to the callback.
 */
export function interceptMint(mint: TestMint, baseUrl = 'http://mint.meltcheck.test'): () => void {
  const scope = nock(baseUrl).persist();
  const reply =
    (method: string) =>
    (uri: string, body: unknown, cb: (err: NodeJS.ErrnoException | null, result: nock.ReplyFnResult) => void) => {
      const path = new URL(uri, baseUrl).pathname;
      const raw = typeof body === 'string' ? body : body === undefined ? '' : JSON.stringify(body);
      mint.respond(method, path, raw).then(
        (r) =>
          r.status === 0
            ? cb(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }), [0, ''])
            : cb(null, [r.status, r.body as nock.Body]),
        (e) => cb(null, [500, { detail: String(e), code: 0 }]),
      );
    };
  scope.get(/.*/).reply(reply('GET'));
  scope.post(/.*/).reply(reply('POST'));
  return () => scope.persist(false) && nock.removeInterceptor({ hostname: new URL(baseUrl).hostname });
}
