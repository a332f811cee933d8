import type { Document, MongoClient } from 'mongodb';
import { remoteHosts } from './guard.ts';

/** The oldest server meltcheck drives: failCommand's appName filter and blockConnection need 4.4. */
export const MIN_SERVER = [4, 4] as const;

/** What the probe learned from the server; each field that could not be learned carries the error text. */
export interface PreflightFacts {
  hello: Document;
  version: string;
  /** undefined when failCommand could be configured and turned off again, else why not. */
  failCommand?: string;
  /** undefined when a database could be created and dropped, else why not. */
  createDrop?: string;
}

function versionOk(v: string): boolean {
  const [major, minor] = v.split('.').map((x) => Number.parseInt(x, 10));
  return major > MIN_SERVER[0] || (major === MIN_SERVER[0] && minor >= MIN_SERVER[1]);
}

/** Every host the server advertises (hello hosts, passives, arbiters, primary, me): the driver may go to any. */
export function advertisedHosts(hello: Document): string[] {
  const list = [hello.hosts, hello.passives, hello.arbiters].flatMap((h) => (Array.isArray(h) ? h.map(String) : []));
  for (const one of [hello.primary, hello.me]) if (typeof one === 'string') list.push(one);
  return [...new Set(list)];
}

/** Pure: the one-line refusal for a `uri` target, or undefined when meltcheck may run there. */
export function preflightProblem(f: PreflightFacts, allowRemote: boolean): string | undefined {
  const h = f.hello;
  if (!h.setName) return 'the server is not a replica set member (no setName): transactions need a replica set';
  if (!(h.isWritablePrimary ?? h.ismaster))
    return `the node reached is not the writable primary${h.secondary ? ' (it is a secondary)' : ''}${typeof h.primary === 'string' ? `; the primary is ${h.primary}` : ''}: connect with replicaSet=${h.setName} (without directConnection) or to the primary`;
  if (!versionOk(f.version)) return `server ${f.version} is older than ${MIN_SERVER.join('.')}, which meltcheck needs`;
  if (!allowRemote) {
    const remote = advertisedHosts(h).flatMap((host) => remoteHosts(`mongodb://${host}/`));
    if (remote.length)
      return `the replica set advertises non-loopback member(s) ${[...new Set(remote)].join(', ')}: the driver would connect there; pass --allow-remote if they are yours to test on`;
  }
  if (f.failCommand)
    return `test commands are not enabled (${f.failCommand}): start mongod with --setParameter enableTestCommands=1`;
  if (f.createDrop) return `cannot create and drop a database (${f.createDrop}): meltcheck needs a user that may`;
  return undefined;
}

const first = (e: unknown) => String((e as Error)?.message ?? e).split('\n')[0];

/**
 * Asks the server what preflight needs. The failCommand probe matches no real command and only its own appName,
 * then is switched off; the create/drop probe uses a database of its own (`mc_preflight_*`).
 */
export async function probe(client: MongoClient): Promise<PreflightFacts> {
  const admin = client.db('admin');
  const hello = await admin.command({ hello: 1 });
  const version = String((await admin.command({ buildInfo: 1 })).version);
  const facts: PreflightFacts = { hello, version };
  if (!(hello.isWritablePrimary ?? hello.ismaster)) return facts;
  try {
    await admin.command({
      configureFailPoint: 'failCommand',
      mode: { times: 1 },
      data: { failCommands: ['meltcheckPreflightNoSuchCommand'], appName: 'meltcheck-preflight', errorCode: 2 },
    });
    await admin.command({ configureFailPoint: 'failCommand', mode: 'off' });
  } catch (e) {
    facts.failCommand = first(e);
  }
  const db = client.db(`mc_preflight_${process.pid}_${Date.now() % 1e6}`);
  try {
    await db.createCollection('probe');
    await db.dropDatabase();
  } catch (e) {
    facts.createDrop = first(e);
    await db.dropDatabase().catch(() => {});
  }
  return facts;
}
