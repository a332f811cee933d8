import { MongoClient } from 'mongodb';
import { redactText, redactUri, registerUriSecrets } from '../report/redact.ts';
import { type ClusterOptions, ClusterUnavailableError, type StartedCluster } from './cluster.ts';
import { refuseRemote } from './guard.ts';
import { type PreflightFacts, preflightProblem, probe } from './preflight.ts';
import { realTopology } from './real-topology.ts';

/** An existing replica set. Checked for being loopback (unless allowed) and a replica set before anything else. */
export async function startUri(opts: ClusterOptions = {}): Promise<StartedCluster> {
  const uri = opts.uri ?? process.env.MELTCHECK_MONGODB_URI;
  if (!uri) throw new ClusterUnavailableError('uri', 'no --uri given and MELTCHECK_MONGODB_URI is unset');
  registerUriSecrets(uri);
  const refusal = refuseRemote(uri, opts.allowRemote ?? false);
  if (refusal) throw new ClusterUnavailableError('uri', refusal);
  let facts: PreflightFacts;
  const client = new MongoClient(uri, { serverSelectionTimeoutMS: 5000, appName: 'meltcheck-probe' });
  try {
    await client.connect();
    facts = await probe(client);
  } catch (e) {
    throw new ClusterUnavailableError(
      'uri',
      `cannot reach ${redactUri(uri)}: ${redactText(String((e as Error).message).split('\n')[0])}`,
    );
  } finally {
    await client.close();
  }
  const problem = preflightProblem(facts, opts.allowRemote ?? false);
  if (problem) throw new ClusterUnavailableError('uri', problem);
  const { hello, version } = facts;
  return {
    kind: 'uri',
    real: !String(hello.setName).startsWith('meltcheck-sim'),
    uri,
    members: Array.isArray(hello.hosts) ? hello.hosts.length : 1,
    serverVersion: async () => version,
    // Topology faults (stepdown) hit everyone on the server: only when the user says so (stepdowns only: meltcheck
    // holds no member process to kill).
    disruptive: opts.allowDisruptive ?? false,
    ...(opts.allowDisruptive && Array.isArray(hello.hosts) && hello.hosts.length >= 3
      ? { topology: realTopology(uri) }
      : {}),
    stop: async () => {},
  };
}
