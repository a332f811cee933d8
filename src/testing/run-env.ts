import { MongoClient } from 'mongodb';
import { loadAdapter } from '../adapter/load.ts';
import { startSim } from '../cluster/sim-cluster.ts';
import { type RunEnv, runEnvDefaults } from '../harness/env.ts';

/** A run environment on a fresh simulator, for tests that drive the harness in-process. */
export async function simRunEnv(
  adapterSpec: string,
  seed = 1,
  members: 1 | 3 = 1,
): Promise<RunEnv & { close(): Promise<void> }> {
  const cluster = await startSim(0, members);
  const admin = await new MongoClient(cluster.uri, { appName: 'meltcheck-checker' }).connect();
  const adapter = await loadAdapter(adapterSpec);
  const runId = `t${process.pid}${Math.floor(Math.random() * 1e6)}`;
  const defaults = runEnvDefaults(adapter, seed);
  return {
    cluster,
    admin,
    adapter,
    runId,
    seed,
    reuseDb: false,
    replayBase: `npx meltcheck certify --adapter ${adapterSpec} --cluster sim${members === 3 ? ' --members 3' : ''} --seed ${seed}`,
    ...defaults,
    async close() {
      defaults.containment.uninstall();
      defaults.warm.close();
      await admin.close();
      await cluster.stop();
    },
  };
}
