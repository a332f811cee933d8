import type { MongoClient } from 'mongodb';
import type { LoadedAdapter } from '../adapter/load.ts';
import type { StartedCluster } from '../cluster/cluster.ts';
import { refuseNonEmpty } from '../cluster/guard.ts';
import { markDatabase } from '../cluster/marker.ts';
import type { MintProvider } from '../mint/provider.ts';
import { EnvironmentError } from './errors.ts';

export { EnvironmentError } from './errors.ts';

import type { WalletProcess } from '../nemesis/child.ts';
import { WarmPool } from '../nemesis/warm-pool.ts';
import { Containment } from './containment.ts';
import { type Generators, generators } from './generators.ts';
import { Tally, Timing } from './tally.ts';

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
  /** What the current check exercised (reset by the runner before each check). */
  tally: Tally;
  /** Guards against adapter code ending or wedging the harness. */
  containment: Containment;
  /** Deadline of one call into the wallet; a late call is recorded `info` and the check ends `error`. */
  opTimeoutMs: number;
  /** Every wallet process started for the current check: killed after it, and asked whether it died on its own. */
  processes: Set<WalletProcess>;
  /** A wallet process kept loaded ahead of need, shared by the run's checks (closed with the run). */
  warm: WarmPool;
  /** Where wallet processes' stdout/stderr go (the report's wallet.log); default: discarded. */
  walletLog?: NodeJS.WritableStream;
  /** Inputs shaped like a real wallet's (adapters may override some). */
  generators: Generators;
  /** Time spent judging (checker, state reads) and in the wallet, over the whole run. */
  timing: Timing;
}

/** The parts of a RunEnv every run starts with. */
export function runEnvDefaults(
  adapter: LoadedAdapter,
  seed: number,
): Pick<RunEnv, 'tally' | 'containment' | 'opTimeoutMs' | 'processes' | 'warm' | 'generators' | 'timing'> {
  return {
    tally: new Tally(),
    containment: new Containment(),
    opTimeoutMs: 30_000,
    processes: new Set(),
    warm: new WarmPool(),
    generators: generators(seed, adapter.adapter.generators),
    timing: new Timing(),
  };
}

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
  if (existing.length === 0) await markDatabase(env.admin, name, env.runId); // for `meltcheck clean`
  return name;
}
