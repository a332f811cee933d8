import { UsageError } from './args.ts';

/** A server that cannot listen (port taken, not allowed) is a usage error: one line, exit 2. */
export async function listenOrExplain<T>(what: string, port: number, start: () => Promise<T>): Promise<T> {
  try {
    return await start();
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE') throw new UsageError(`${what}: port ${port} is already in use; pick another --port`);
    if (code === 'EACCES') throw new UsageError(`${what}: not allowed to listen on port ${port}; pick a port >= 1024`);
    throw e;
  }
}
