import { type ClusterChoice, type ClusterOptions, ClusterUnavailableError, type StartedCluster } from './cluster.ts';
import { startDocker } from './docker-cluster.ts';
import { memoryBinaryAvailable, startMemory } from './memory-cluster.ts';
import { startSim } from './sim-cluster.ts';
import { startUri } from './uri-cluster.ts';

/** Starts the chosen backend. `auto`: memory when a mongod is at hand within seconds, otherwise the simulator. */
export async function startCluster(choice: ClusterChoice, opts: ClusterOptions = {}): Promise<StartedCluster> {
  switch (choice) {
    case 'sim':
      return startSim(0, opts.members ?? 1);
    case 'memory':
      return startMemory(opts);
    case 'docker':
      return startDocker(opts);
    case 'uri':
      return startUri(opts);
    case 'auto': {
      if (!(await memoryBinaryAvailable())) {
        const sim = await startSim(0, opts.members ?? 1);
        return {
          ...sim,
          note: 'auto: no mongod binary at hand (MONGOMS_SYSTEM_BINARY unset, none cached): SIMULATED backend',
        };
      }
      try {
        return await startMemory({ ...opts, timeoutMs: opts.timeoutMs ?? 10_000 });
      } catch (e) {
        const sim = await startSim(0, opts.members ?? 1);
        const why = e instanceof ClusterUnavailableError ? e.message : String(e);
        return { ...sim, note: `auto: ${why}; SIMULATED backend instead` };
      }
    }
  }
}
