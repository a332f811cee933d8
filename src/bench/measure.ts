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

/** Runs the CLI as a user would; returns wall time, exit code and the child's peak RSS (MB). */
export function runCli(args: string[]): Promise<{ ms: number; code: number; rssMb: number; stdout: string }> {
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
      resolve({ ms: Date.now() - t0, code: code ?? -1, rssMb: Math.round(rss / 1024), stdout });
    });
  });
}
