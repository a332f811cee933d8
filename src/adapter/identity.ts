import type { Adapter } from './contract.ts';

/** What a report says about the wallet's setting: declared variables (secret ones only as set/unset). */
export interface AdapterEnvironment {
  fingerprint?: string;
  env?: Record<string, string | null>;
  /** Names of declared secret variables: replay asks for them, never stores them. */
  secretEnv?: string[];
}

export const SECRET_SET = '<secret: set>';

export async function adapterIdentity(a: Adapter): Promise<AdapterEnvironment> {
  const out: AdapterEnvironment = {};
  if (a.fingerprint) out.fingerprint = String(await a.fingerprint()).slice(0, 200);
  if (a.env?.length) {
    out.env = {};
    for (const v of a.env) {
      const { name, secret } = typeof v === 'string' ? { name: v, secret: false } : v;
      const value = process.env[name];
      if (secret) (out.secretEnv ??= []).push(name);
      out.env[name] = value === undefined ? null : secret ? SECRET_SET : value;
    }
  }
  return out;
}

/**
 * Restores a report's declared non-secret variables (unless the caller set them already) and names the secret
 * ones that are missing: a replay must run the wallet in the setting it failed in.
 */
export function restoreEnvironment(e: AdapterEnvironment): { restored: string[]; missingSecrets: string[] } {
  const restored: string[] = [];
  for (const [name, value] of Object.entries(e.env ?? {})) {
    if (value === null || value === SECRET_SET || process.env[name] !== undefined) continue;
    process.env[name] = value;
    restored.push(name);
  }
  const missingSecrets = (e.secretEnv ?? []).filter((n) => e.env?.[n] !== null && process.env[n] === undefined);
  return { restored, missingSecrets };
}
