import { MongoClient } from 'mongodb';
import { ConnectionString } from 'mongodb-connection-string-url';

/** Where the fault proxy forwards to: a TCP host and port, or a Unix socket path. */
export type Upstream = { host: string; port: number } | { path: string };

/** One `host[:port]` of a connection string: IPv6 in brackets, default port 27017, or a URL-encoded socket path. */
export function parseHost(h: string): Upstream {
  if (/^%2F|^\//i.test(h) || /\.sock$/i.test(h)) return { path: decodeURIComponent(h) };
  const v6 = /^\[([^\]]+)\](?::(\d+))?$/.exec(h);
  if (v6) return { host: v6[1], port: Number(v6[2] ?? 27017) };
  const colon = h.lastIndexOf(':');
  return colon < 0 ? { host: h, port: 27017 } : { host: h.slice(0, colon), port: Number(h.slice(colon + 1)) };
}

function flag(cs: ConnectionString, name: string): boolean {
  return cs.searchParams.get(name)?.toLowerCase() === 'true';
}

/**
 * What the wallet connects to instead of the cluster: the proxy's own address, direct, with the credentials and
 * auth options of the original string kept (they pass through the proxy untouched). TLS is refused: a proxy that
 * reads commands cannot read an encrypted stream.
 */
export function proxyConnectionString(uri: string, port: number): string {
  const cs = new ConnectionString(uri);
  const target = new ConnectionString(`mongodb://127.0.0.1:${port}${cs.pathname || '/'}`);
  target.username = cs.username;
  target.password = cs.password;
  for (const [k, v] of cs.searchParams)
    if (!/^(replicaSet|directConnection|loadBalanced|srvServiceName|srvMaxHosts)$/i.test(k))
      target.searchParams.set(k, v);
  target.searchParams.set('directConnection', 'true');
  return target.toString();
}

export function refuseTls(uri: string): void {
  const cs = new ConnectionString(uri);
  if (flag(cs, 'tls') || flag(cs, 'ssl') || (cs.isSRV && cs.searchParams.get('tls')?.toLowerCase() !== 'false'))
    throw new Error('the wire proxy cannot inject faults into a TLS connection (use a non-TLS loopback cluster)');
}

/**
 * The member to front. One seed with directConnection (or the simulator's single member) is itself; otherwise the
 * primary named by hello, never merely the first seed (which may be a secondary).
 */
export async function resolveUpstream(uri: string): Promise<Upstream> {
  refuseTls(uri);
  const cs = new ConnectionString(uri);
  if (cs.hosts.length === 1 && (flag(cs, 'directConnection') || !cs.searchParams.has('replicaSet')) && !cs.isSRV)
    return parseHost(cs.hosts[0]);
  const client = new MongoClient(uri, { serverSelectionTimeoutMS: 5000, appName: 'meltcheck-probe' });
  try {
    await client.connect();
    const hello = await client.db('admin').command({ hello: 1 });
    if (typeof hello.primary !== 'string')
      throw new Error('the replica set has no primary to put the proxy in front of');
    return parseHost(hello.primary);
  } finally {
    await client.close();
  }
}
