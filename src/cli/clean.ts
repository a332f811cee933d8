import { MongoClient } from 'mongodb';
import { ClusterUnavailableError } from '../cluster/cluster.ts';
import { refuseRemote } from '../cluster/guard.ts';
import { dropLeftovers } from '../cluster/marker.ts';
import { redactText, registerUriSecrets } from '../report/redact.ts';
import { parse, UsageError } from './args.ts';

/** `meltcheck clean --uri U`: drops the databases earlier runs left behind (marked `mc_*` ones only). */
export async function clean(argv: string[]): Promise<number> {
  const { values, positionals } = parse(argv, { uri: { type: 'string' }, 'allow-remote': { type: 'boolean' } });
  if (positionals.length) throw new UsageError(`unexpected argument '${positionals[0]}'`);
  const uri = (values.uri as string | undefined) ?? process.env.MELTCHECK_MONGODB_URI;
  if (!uri) throw new UsageError('clean needs --uri (or MELTCHECK_MONGODB_URI)');
  registerUriSecrets(uri);
  const refusal = refuseRemote(uri, Boolean(values['allow-remote']));
  if (refusal) throw new ClusterUnavailableError('uri', refusal);
  const client = new MongoClient(uri, { serverSelectionTimeoutMS: 5000, appName: 'meltcheck-clean' });
  try {
    await client.connect();
  } catch (e) {
    throw new ClusterUnavailableError(
      'uri',
      `cannot reach the server: ${redactText(String((e as Error).message).split('\n')[0])}`,
    );
  }
  try {
    const dropped = await dropLeftovers(client);
    console.log(dropped.length ? `meltcheck clean: dropped ${dropped.join(', ')}` : 'meltcheck clean: nothing to drop');
    return 0;
  } finally {
    await client.close();
  }
}
