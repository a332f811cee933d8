import { readdirSync, readFileSync } from 'node:fs';

/**
 * Kills this process's children whose command line contains `marker` (Linux, through /proc). For servers a
 * library was still starting when its deadline passed: mongodb-memory-server keeps no handle on a mongod until
 * it is ready, so its own stop() cannot reach one that never became ready. Returns the pids killed.
 */
export function killChildrenMatching(marker: string): number[] {
  if (process.platform !== 'linux') return [];
  const killed: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid !== process.pid) continue;
      if (!readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0').includes(marker)) continue;
      process.kill(Number(entry), 'SIGKILL');
      killed.push(Number(entry));
    } catch {
      // gone already, or not ours to read
    }
  }
  return killed;
}
