import { type ClusterOptions, ClusterUnavailableError, REAL_SERVER_HINT, type StartedCluster } from './cluster.ts';
import { killChildrenMatching } from './kill-starting.ts';
import { realTopology } from './real-topology.ts';
import { serverVersionOf } from './server-version.ts';

/** Options for MongoMemoryReplSet: wiredTiger (ephemeralForTest cannot run transactions) and test commands on. */
export function memoryReplSetOptions(members: number, name = 'meltcheck-rs') {
  return {
    replSet: {
      name,
      count: members,
      storageEngine: 'wiredTiger' as const,
      args: ['--setParameter', 'enableTestCommands=1'],
    },
    // MONGOMS_SYSTEM_BINARY, MONGOMS_DOWNLOAD_DIR and MONGOMS_VERSION are read by the library itself.
  };
}

/** Is a mongod binary at hand without downloading? Lets `auto` decide in milliseconds. */
export async function memoryBinaryAvailable(): Promise<boolean> {
  if (process.env.MONGOMS_SYSTEM_BINARY) return true;
  try {
    const { DryMongoBinary } = await import('mongodb-memory-server-core');
    return Boolean(await DryMongoBinary.locateBinary(await DryMongoBinary.generateOptions()));
  } catch {
    return false;
  }
}

/** Turns the library's multi-line download failure (it prints stack traces itself) into one line. */
export function explainMemoryFailure(e: unknown): string {
  const err = e as { name?: string; constructor?: { name?: string }; message?: string };
  const kind = err?.constructor?.name ?? err?.name ?? 'Error';
  const first = String(err?.message ?? e).split('\n');
  const detail = first.find((l) => /ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ETIMEDOUT|status/i.test(l)) ?? first[0];
  if (kind === 'DownloadError' || /Download failed/.test(String(err?.message)))
    return `mongodb-memory-server could not download mongod (${detail.trim().slice(0, 160)}); ${REAL_SERVER_HINT}`;
  return `mongodb-memory-server failed: ${detail.trim().slice(0, 200)}; ${REAL_SERVER_HINT}`;
}

async function quietly<T>(f: () => Promise<T>): Promise<T> {
  const { warn, error } = console;
  console.warn = () => {};
  console.error = () => {};
  try {
    return await f();
  } finally {
    console.warn = warn;
    console.error = error;
  }
}

/** A first-time mongod download gets its own, longer budget (and says so); a cached binary starts in seconds. */
export function startupBudgetMs(opts: ClusterOptions, cached: boolean): number {
  const download = Number(process.env.MELTCHECK_DOWNLOAD_TIMEOUT_MS ?? 300_000);
  return cached ? (opts.timeoutMs ?? 25_000) : Math.max(download, opts.timeoutMs ?? 0);
}

export async function startMemory(opts: ClusterOptions = {}): Promise<StartedCluster> {
  const members = opts.members ?? 1;
  const { MongoMemoryReplSet } = await import('mongodb-memory-server-core');
  const cached = await memoryBinaryAvailable();
  const budget = startupBudgetMs(opts, cached);
  if (!cached)
    console.log(
      `meltcheck: no mongod cached: mongodb-memory-server downloads one first (up to ${Math.round(budget / 1000)} s; MELTCHECK_DOWNLOAD_TIMEOUT_MS to change)`,
    );
  // Constructed here and started under a deadline: on timeout what was starting is stopped, not left running.
  const setName = `meltcheck-rs-${process.pid}-${Date.now() % 1e6}`;
  const rs = new MongoMemoryReplSet(memoryReplSetOptions(members, setName));
  try {
    await quietly(() =>
      withTimeout(
        rs.start().then(() => rs.waitUntilRunning()),
        budget,
        cached ? 'no mongod within' : 'mongod download and start did not finish within',
      ),
    );
  } catch (e) {
    await rs.stop({ doCleanup: true, force: true }).catch(() => {});
    killChildrenMatching(setName); // members that never became ready: the library has no handle on them
    throw new ClusterUnavailableError('memory', explainMemoryFailure(e));
  }
  const uri = rs.getUri();
  // Three members: meltcheck holds each mongod process, so topology checks may kill and restart them.
  const byAddress = (address: string) => {
    const s = rs.servers.find((m) => address.endsWith(`:${m.instanceInfo?.port}`));
    if (!s) throw new Error(`no member at ${address}`);
    return s;
  };
  const topology =
    members === 3
      ? realTopology(uri, {
          kill: async (address) => void (await byAddress(address).stop({ doCleanup: false, force: false })),
          restart: (address) => byAddress(address).start(true),
        })
      : undefined;
  return {
    kind: 'memory',
    real: true,
    disruptive: true,
    uri,
    members,
    ...(topology ? { topology } : {}),
    serverVersion: () => serverVersionOf(uri),
    stop: async () => {
      await rs.stop({ doCleanup: true, force: true });
    },
  };
}

function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    p,
    new Promise<T>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${what} ${ms} ms`)), ms);
      timer.unref();
    }),
  ]).finally(() => clearTimeout(timer));
}
