import type { MongoClient } from 'mongodb';
import type { LoadedAdapter } from '../adapter/load.ts';
import type { StartedCluster } from '../cluster/cluster.ts';
import { refuseNonEmpty } from '../cluster/guard.ts';
import type { MintProvider } from '../mint/provider.ts';

/** What every check of one run shares. */
export interface RunEnv {
  cluster: StartedCluster;
  /** The harness's own client (appName meltcheck-checker): never targeted by fail points. */
  admin: MongoClient;
  adapter: LoadedAdapter;
  runId: string;
  seed: number;
  reuseDb: boolean;
  /** The command line that reproduces a check (the runner appends the check's name). */
  replayBase: string;
  /** Which mint serves the service level (--mint); default the test mint. */
  mint?: MintProvider;
}

export class EnvironmentError extends Error {}

export function walletAppName(env: RunEnv): string {
  return `meltcheck-wallet-${env.runId}`;
}

/** A database of the run's own, refused when it holds anything already (unless --reuse-db). */
export async function claimDatabase(env: RunEnv, suffix: string): Promise<string> {
  const name = `mc_${env.runId}_${suffix}`.replace(/[^A-Za-z0-9_]/g, '_').slice(0, 60);
  const existing = await env.admin.db(name).listCollections({}, { nameOnly: true }).toArray();
  const refusal = refuseNonEmpty(
    name,
    existing.map((c) => c.name),
    env.reuseDb,
  );
  if (refusal) throw new EnvironmentError(refusal);
  return name;
}
