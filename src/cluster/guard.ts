import { ConnectionString } from 'mongodb-connection-string-url';

const LOOPBACK = /^(localhost|127(?:\.\d{1,3}){3}|\[?::1\]?)$/i;

/** A Unix domain socket (URL-encoded path ending in .sock): on this machine by definition. */
const UNIX_SOCKET = /^(%2F|\/).*\.sock$/i;

/** Hosts of a connection string that are not loopback, the SOCKS5 proxy included. Pure: no DNS, no connection. */
export function remoteHosts(uri: string): string[] {
  const cs = new ConnectionString(uri);
  const proxy = cs.searchParams.get('proxyHost');
  const remoteProxy = proxy && !LOOPBACK.test(proxy) ? [proxy] : [];
  if (cs.isSRV) return [...cs.hosts, ...remoteProxy];
  const hosts = cs.hosts
    .filter((h) => !UNIX_SOCKET.test(h))
    .map((h) => h.replace(/:\d+$/, ''))
    .filter((h) => !LOOPBACK.test(h));
  return [...hosts, ...remoteProxy];
}

/** Refuses a target the harness was not made for, before connecting: one line, exit 2. */
export function refuseRemote(uri: string, allowRemote: boolean): string | undefined {
  let remote: string[];
  try {
    remote = remoteHosts(uri);
  } catch (e) {
    return `not a MongoDB connection string (${(e as Error).message})`;
  }
  if (remote.length && !allowRemote)
    return `refusing remote host(s) ${remote.join(', ')}: meltcheck writes test data; pass --allow-remote if this server is yours to test on`;
  return undefined;
}

/** The database a run may use must be empty unless the user said --reuse-db. */
export function refuseNonEmpty(dbName: string, collections: string[], reuseDb: boolean): string | undefined {
  if (collections.length === 0 || reuseDb) return undefined;
  return `database '${dbName}' is not empty (${collections.slice(0, 3).join(', ')}${collections.length > 3 ? ', ...' : ''}); meltcheck only writes to its own databases: pick another or pass --reuse-db`;
}
