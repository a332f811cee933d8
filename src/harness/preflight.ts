import type { MongoClient } from 'mongodb';
import type { LoadedAdapter } from '../adapter/load.ts';
import { TestMint } from '../mint/server.ts';
import { AdapterBroke, Containment, firstLine, withTimeout } from './containment.ts';

/** The adapter cannot even set up (a missing variable, a bad URL): one line, exit 2, no check runs. */
export class AdapterSetupError extends Error {}

/**
 * Runs the adapter's setup and teardown once, in a throwaway database of the run's own, before any check: an
 * adapter that cannot start is a usage error (exit 2), not a wallet violation and not a check `error`.
 */
export async function preflightAdapter(
  admin: MongoClient,
  uri: string,
  loaded: LoadedAdapter,
  o: { runId: string; seed: number; appName: string; timeoutMs: number },
): Promise<void> {
  const dbName = `mc_${o.runId}_preflight`.slice(0, 60);
  const containment = new Containment().install();
  const mint = loaded.adapter.level === 'service' ? await TestMint.start({ seed: 'preflight' }) : undefined;
  try {
    const a = loaded.adapter;
    await withTimeout(
      'setup',
      a.setup({ uri, dbName, appName: o.appName, seed: o.seed, mintUrl: mint?.url }),
      o.timeoutMs,
    );
    await withTimeout('teardown', a.teardown(), o.timeoutMs);
    if (containment.incidents.length) throw new AdapterBroke(containment.incidents[0]);
  } catch (e) {
    throw new AdapterSetupError(`adapter ${loaded.spec}: setup failed before any check ran: ${firstLine(e)}`);
  } finally {
    containment.uninstall();
    await mint?.stop();
    await admin
      .db(dbName)
      .dropDatabase()
      .catch(() => {});
  }
}
