import { type ClusterOptions, ClusterUnavailableError, REAL_SERVER_HINT, type StartedCluster } from './cluster.ts';
import { serverVersionOf } from './server-version.ts';

/** Options for MongoMemoryReplSet: wiredTiger (ephemeralForTest cannot run transactions) and test commands on. */
export function memoryReplSetOptions(members: number) {
  return {
    replSet: {
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

export async function startMemory(opts: ClusterOptions = {}): Promise<StartedCluster> {
  const members = opts.members ?? 1;
  const { MongoMemoryReplSet } = await import('mongodb-memory-server-core');
  let rs: Awaited<ReturnType<typeof MongoMemoryReplSet.create>>;
  try {
    rs = await quietly(() =>
      withTimeout(MongoMemoryReplSet.create(memoryReplSetOptions(members)), opts.timeoutMs ?? 25_000),
    );
  } catch (e) {
    throw new ClusterUnavailableError('memory', explainMemoryFailure(e));
  }
  await rs.waitUntilRunning();
  const uri = rs.getUri();
  return {
    kind: 'memory',
    disruptive: true,
    real: true,
    uri,
    members,
    serverVersion: () => serverVersionOf(uri),
    stop: async () => {
      await rs.stop({ doCleanup: true, force: true });
    },
  };
}

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  return Promise.race([
    p,
    new Promise<T>((_, reject) => setTimeout(() => reject(new Error(`no mongod within ${ms} ms`)), ms).unref()),
  ]);
}
