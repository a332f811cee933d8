import { SERVER_VERSION, SimServer } from '../sim/index.ts';
import type { StartedCluster } from './cluster.ts';

export async function startSim(port = 0): Promise<StartedCluster & { server: SimServer }> {
  const server = await SimServer.start({ port });
  return {
    kind: 'sim',
    real: false,
    uri: server.uri,
    members: 1,
    server,
    serverVersion: async () => `${SERVER_VERSION} (meltcheck simulator)`,
    stop: () => server.stop(),
  };
}
