import { SERVER_VERSION } from '../sim/commands/admin.ts';
import { SimServer } from '../sim/server.ts';
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
