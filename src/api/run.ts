import { randomInt } from 'node:crypto';
import type { StartedCluster } from '../cluster/cluster.ts';

/** `20261126-205000-1234`: sortable, unique enough for one machine. */
export function runIdNow(): string {
  const d = new Date();
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getUTCFullYear()}${p(d.getUTCMonth() + 1)}${p(d.getUTCDate())}-${p(d.getUTCHours())}${p(d.getUTCMinutes())}${p(d.getUTCSeconds())}-${randomInt(1e4).toString().padStart(4, '0')}`;
}

export function banner(cluster: Pick<StartedCluster, 'real'>): string {
  return cluster.real ? 'real MongoDB' : 'SIMULATED (meltcheck simulator — not a real-MongoDB certification)';
}
