import { createServer } from 'node:net';
import { type ClusterOptions, ClusterUnavailableError, REAL_SERVER_HINT, type StartedCluster } from './cluster.ts';
import { realTopology } from './real-topology.ts';
import { serverVersionOf } from './server-version.ts';

export const DEFAULT_MONGO_IMAGE = process.env.MELTCHECK_MONGO_IMAGE ?? 'mongo:8.0';
/** Pulling an image the first time can take minutes; a start after that, seconds. */
const STARTUP_MS = Number(process.env.MELTCHECK_DOCKER_STARTUP_MS ?? 180_000);

/**
 * mongod arguments of a member: a replica set with test commands (failCommand) enabled, on its own port (members
 * share one network namespace, so each listens on the port it is known by).
 */
export function mongodCommand(setName: string, port = 27017): string[] {
  return ['--replSet', setName, '--port', String(port), '--bind_ip_all', '--setParameter', 'enableTestCommands=1'];
}

/** The replica-set configuration, members named exactly as the host reaches them. */
export function replSetConfig(setName: string, hosts: string[]) {
  return {
    _id: setName,
    members: hosts.map((host, i) => ({
      _id: i,
      host: host.includes(':') ? host : `${host}:27017`,
      priority: i === 0 ? 2 : 1,
    })),
  };
}

/** Docker port bindings on the host's loopback only: mongod there has no auth and test commands on. */
export function loopbackBindings(ports: number[]): Record<string, { HostIp: string; HostPort: string }[]> {
  return Object.fromEntries(ports.map((p) => [`${p}/tcp`, [{ HostIp: '127.0.0.1', HostPort: String(p) }]]));
}

/** The connection string of the set, by the names its members advertise (so a stepdown is followed). */
export function dockerUri(hosts: string[], setName: string): string {
  return `mongodb://${hosts.join(',')}/?replicaSet=${setName}`;
}

/** mongosh script: initiate, wait (bounded) for a writable primary, exit non-zero if none came. */
export function initiateScript(config: ReturnType<typeof replSetConfig>, waitMs = 60_000): string {
  return `rs.initiate(${JSON.stringify(config)}); for (let i = 0; i < ${Math.ceil(waitMs / 100)} && !db.hello().isWritablePrimary; i++) sleep(100); if (!db.hello().isWritablePrimary) quit(3);`;
}

export function explainDockerFailure(e: unknown): string {
  const msg = String((e as Error)?.message ?? e).split('\n')[0];
  if (/container runtime strategy/i.test(msg)) return `no Docker engine reachable (${msg}); ${REAL_SERVER_HINT}`;
  return `testcontainers failed: ${msg.slice(0, 200)}; ${REAL_SERVER_HINT}`;
}

/** Free TCP ports on the loopback (taken and released: a small race, acceptable for a test cluster). */
export async function freePorts(n: number): Promise<number[]> {
  const servers = await Promise.all(
    Array.from(
      { length: n },
      () =>
        new Promise<import('node:net').Server>((resolve, reject) => {
          const s = createServer();
          s.once('error', reject);
          s.listen(0, '127.0.0.1', () => resolve(s));
        }),
    ),
  );
  const ports = servers.map((s) => (s.address() as { port: number }).port);
  await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
  return ports;
}

/**
 * One or three mongod containers sharing the first one's network namespace: member i listens on port P_i,
 * published as 127.0.0.1:P_i, and the set is initiated with the names 127.0.0.1:P_i — the same addresses inside
 * (one namespace) and from the host. So the host connects with the replica-set name, follows elections, and
 * nothing is published beyond the loopback.
 */
export async function startDocker(opts: ClusterOptions = {}): Promise<StartedCluster> {
  const members = opts.members ?? 1;
  const setName = 'rs0';
  const { GenericContainer, Wait } = await import('testcontainers');
  const started: { stop(): Promise<unknown> }[] = [];
  const stopAll = async () => {
    for (const c of [...started].reverse()) await c.stop().catch(() => {});
  };
  try {
    const ports = await freePorts(members);
    const hosts = ports.map((p) => `127.0.0.1:${p}`);
    const member = (port: number) =>
      new GenericContainer(DEFAULT_MONGO_IMAGE)
        .withCommand(mongodCommand(setName, port))
        .withWaitStrategy(Wait.forLogMessage(/Waiting for connections/))
        .withStartupTimeout(STARTUP_MS);
    const first = member(ports[0]).withExposedPorts(...ports.map((p) => ({ container: p, host: p })));
    // testcontainers binds published ports on every interface; narrow them to the loopback.
    (first as unknown as { hostConfig: { PortBindings?: unknown } }).hostConfig.PortBindings = loopbackBindings(ports);
    const primary = await first.start();
    started.push(primary);
    for (const port of ports.slice(1))
      started.push(await member(port).withNetworkMode(`container:${primary.getId()}`).start());
    const init = await primary.exec([
      'mongosh',
      '--quiet',
      '--port',
      String(ports[0]),
      '--eval',
      initiateScript(replSetConfig(setName, hosts)),
    ]);
    if (init.exitCode !== 0)
      throw new Error(`replica set initiation failed (exit ${init.exitCode}): ${init.output.trim().split('\n')[0]}`);
    const uri = dockerUri(hosts, setName);
    return {
      kind: 'docker',
      real: true,
      disruptive: true,
      uri,
      members,
      // Stepdowns through mongod's commands; members share one network namespace, so none is killed alone.
      ...(members === 3 ? { topology: realTopology(uri) } : {}),
      serverVersion: () => serverVersionOf(uri),
      stop: stopAll,
    };
  } catch (e) {
    await stopAll();
    throw new ClusterUnavailableError('docker', explainDockerFailure(e));
  }
}
