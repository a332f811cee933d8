import type { Document, MongoClient } from 'mongodb';
import { trackCleanup } from '../harness/cleanup.ts';

const escapeRegex = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * Ends the transactions the run's wallets left open (a killed wallet's hold its documents until their lifetime
 * ends) and nobody else's: the sessions are found by the appName of their last client (`$currentOp` with
 * idleSessions reports it) and killed by lsid. Never `killAllSessions`, which would kill every user's sessions
 * on a shared server. Returns how many sessions were killed.
 */
export async function killRunSessions(admin: MongoClient, appNamePrefix: string): Promise<number> {
  const prefix = { $regex: `^${escapeRegex(appNamePrefix)}` };
  const ops = await admin
    .db('admin')
    .aggregate<{ lsid?: Document }>([
      { $currentOp: { allUsers: true, idleSessions: true, idleConnections: false } },
      {
        $match: { lsid: { $exists: true }, $or: [{ appName: prefix }, { 'clientMetadata.application.name': prefix }] },
      },
      { $project: { lsid: 1 } },
    ])
    .toArray();
  const seen = new Set<string>();
  const lsids: Document[] = [];
  for (const op of ops) {
    const id = op.lsid?.id;
    if (!id || seen.has(String(id.toString('hex') ?? id))) continue;
    seen.add(String(id.toString('hex') ?? id));
    lsids.push({ id });
  }
  if (lsids.length) await admin.db('admin').command({ killSessions: lsids });
  return lsids.length;
}

/** The run's own databases (`mc_<run>_…`), dropped; used when a run is interrupted. */
export async function dropRunDatabases(admin: MongoClient, runId: string): Promise<string[]> {
  const { databases } = await admin.db('admin').admin().listDatabases({ nameOnly: true });
  const mine = databases.map((d) => d.name).filter((n) => n.startsWith(`mc_${runId}_`));
  for (const name of mine) await admin.db(name).dropDatabase();
  return mine;
}

/** While a run is open, an interrupt ends its wallets' sessions and drops its databases (see harness/cleanup.ts). */
export function trackRun(admin: MongoClient, runId: string): () => void {
  return trackCleanup(async () => {
    await killRunSessions(admin, `meltcheck-wallet-${runId}`).catch(() => 0);
    await dropRunDatabases(admin, runId);
  });
}
