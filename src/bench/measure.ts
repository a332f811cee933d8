import { spawn } from 'node:child_process';

export async function rate(seconds: number, op: () => Promise<unknown>): Promise<number> {
  const end = Date.now() + seconds * 1000;
  let n = 0;
  const t0 = Date.now();
  while (Date.now() < end) {
    await op();
    n++;
  }
  return n / ((Date.now() - t0) / 1000);
}

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

export interface CliRun {
  ms: number;
  code: number;
  rssMb: number;
  stdout: string;
  /** CPU seconds of meltcheck's own process and of the processes it started (Linux only). */
  cpu?: { self: number; children: number };
}

/** Runs the CLI as a user would; returns wall time, exit code, the child's peak RSS (MB) and its CPU split. */
export function runCli(args: string[]): Promise<CliRun> {
  const t0 = Date.now();
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['bin/meltcheck.js', ...args], {
      env: { ...process.env, MELTCHECK_PRINT_RSS: '1' },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('exit', (code) => {
      const rss = Number(/maxRSS=(\d+)/.exec(stderr)?.[1] ?? 0);
      const cpu = /cpuSelf=([\d.]+) cpuChildren=([\d.]+)/.exec(stderr);
      resolve({
        ms: Date.now() - t0,
        code: code ?? -1,
        rssMb: Math.round(rss / 1024),
        stdout,
        cpu: cpu ? { self: Number(cpu[1]), children: Number(cpu[2]) } : undefined,
      });
    });
  });
}
