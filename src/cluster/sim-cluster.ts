import { SERVER_VERSION, SimServer } from '../sim/index.ts';
import type { StartedCluster } from './cluster.ts';
import { simTopology } from './topology.ts';

export async function startSim(port = 0, members: 1 | 3 = 1): Promise<StartedCluster & { server: SimServer }> {
  const server = await SimServer.start({ port, members });
  return {
    kind: 'sim',
    real: false,
    uri: server.uri,
    members,
    server,
    // Three simulated members are meltcheck's own: topology faults may run on them.
    ...(server.replSet ? { disruptive: true, topology: simTopology(server.replSet) } : {}),
    serverVersion: async () => `${SERVER_VERSION} (meltcheck simulator${members === 3 ? ', 3 members' : ''})`,
    stop: () => server.stop(),
  };
}
