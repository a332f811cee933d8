import { MongoClient } from 'mongodb';
import { redactText, redactUri, registerUriSecrets } from '../report/redact.ts';
import { type ClusterOptions, ClusterUnavailableError, type StartedCluster } from './cluster.ts';
import { refuseRemote } from './guard.ts';

/** An existing replica set. Checked for being loopback (unless allowed) and a replica set before anything else. */
export async function startUri(opts: ClusterOptions = {}): Promise<StartedCluster> {
  const uri = opts.uri ?? process.env.MELTCHECK_MONGODB_URI;
  if (!uri) throw new ClusterUnavailableError('uri', 'no --uri given and MELTCHECK_MONGODB_URI is unset');
  registerUriSecrets(uri);
  const refusal = refuseRemote(uri, opts.allowRemote ?? false);
  if (refusal) throw new ClusterUnavailableError('uri', refusal);
  let hello: Record<string, unknown>;
  let version: string;
  const client = new MongoClient(uri, { serverSelectionTimeoutMS: 5000, appName: 'meltcheck-probe' });
  try {
    await client.connect();
    hello = await client.db('admin').command({ hello: 1 });
    version = String((await client.db('admin').command({ buildInfo: 1 })).version);
  } catch (e) {
    throw new ClusterUnavailableError(
      'uri',
      `cannot reach ${redactUri(uri)}: ${redactText(String((e as Error).message).split('\n')[0])}`,
    );
  } finally {
    await client.close();
  }
  if (!hello.setName)
    throw new ClusterUnavailableError(
      'uri',
      `${redactUri(uri)} is not a replica set member (no setName): transactions need one`,
    );
  return {
    kind: 'uri',
    real: !String(hello.setName).startsWith('meltcheck-sim'),
    uri,
    members: Array.isArray(hello.hosts) ? hello.hosts.length : 1,
    serverVersion: async () => version,
    stop: async () => {},
  };
}
