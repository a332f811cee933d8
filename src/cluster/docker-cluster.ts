import { type ClusterOptions, ClusterUnavailableError, REAL_SERVER_HINT, type StartedCluster } from './cluster.ts';
import { serverVersionOf } from './server-version.ts';

export const DEFAULT_MONGO_IMAGE = process.env.MELTCHECK_MONGO_IMAGE ?? 'mongo:8.0';

/** mongod arguments of every member: a replica set with test commands (failCommand) enabled. */
export function mongodCommand(setName: string): string[] {
  return ['--replSet', setName, '--bind_ip_all', '--setParameter', 'enableTestCommands=1'];
}

/** The replica-set configuration for members reachable by their network aliases. */
export function replSetConfig(setName: string, aliases: string[]) {
  return {
    _id: setName,
    members: aliases.map((host, i) => ({ _id: i, host: `${host}:27017`, priority: i === 0 ? 2 : 1 })),
  };
}

export function explainDockerFailure(e: unknown): string {
  const msg = String((e as Error)?.message ?? e).split('\n')[0];
  if (/container runtime strategy/i.test(msg)) return `no Docker engine reachable (${msg}); ${REAL_SERVER_HINT}`;
  return `testcontainers failed: ${msg.slice(0, 200)}; ${REAL_SERVER_HINT}`;
}

/**
 * One or three mongod containers on one network. The host reaches the primary through its mapped port with
 * directConnection (members advertise their network aliases, which the host cannot resolve).
 */
export async function startDocker(opts: ClusterOptions = {}): Promise<StartedCluster> {
  const members = opts.members ?? 1;
  const setName = 'rs0';
  const { GenericContainer, Network, Wait } = await import('testcontainers');
  const started: { stop(): Promise<unknown> }[] = [];
  try {
    const network = await new Network().start();
    const aliases = Array.from({ length: members }, (_, i) => `mongo${i}`);
    const containers = [];
    for (const alias of aliases) {
      const c = await new GenericContainer(DEFAULT_MONGO_IMAGE)
        .withNetwork(network)
        .withNetworkAliases(alias)
        .withExposedPorts(27017)
        .withCommand(mongodCommand(setName))
        .withWaitStrategy(Wait.forLogMessage(/Waiting for connections/))
        .start();
      started.push(c);
      containers.push(c);
    }
    const config = JSON.stringify(replSetConfig(setName, aliases));
    await containers[0].exec([
      'mongosh',
      '--quiet',
      '--eval',
      `rs.initiate(${config}); while (!db.hello().isWritablePrimary) sleep(100);`,
    ]);
    const primary = containers[0];
    const uri = `mongodb://${primary.getHost()}:${primary.getMappedPort(27017)}/?directConnection=true`;
    return {
      kind: 'docker',
      disruptive: true,
      real: true,
      uri,
      members,
      serverVersion: () => serverVersionOf(uri),
      stop: async () => {
        for (const c of started.reverse()) await c.stop();
        await network.stop();
      },
    };
  } catch (e) {
    for (const c of started) await c.stop().catch(() => {});
    throw new ClusterUnavailableError('docker', explainDockerFailure(e));
  }
}
