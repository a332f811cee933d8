import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MongoClient } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SimServer } from '../sim/server.ts';

const BIN = join(import.meta.dirname, '../../bin/meltcheck.js');

/** Direct children of a process that are wallet processes (not tsx's esbuild service), from /proc (Linux). */
function walletChildrenOf(pid: number): number[] {
  const out: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(fields[1]) === pid && readFileSync(`/proc/${entry}/cmdline`, 'utf8').includes('wallet-process'))
        out.push(Number(entry));
    } catch {
      // the process ended while we looked
    }
  }
  return out;
}

/** Alive and not a zombie waiting to be reaped. */
function alive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return false;
  }
}

const exited = (p: ChildProcess) => new Promise<number | null>((r) => p.once('exit', (code) => r(code)));

// Linux only: it checks that no wallet process survives by reading /proc (skipped elsewhere, never on CI here).
// Ctrl-C in the middle of a check that runs wallets in child processes, on a server the test owns (sim), so that
// what the run leaves behind can be inspected afterwards.
describe.skipIf(process.platform !== 'linux')('SIGINT during certify (sim via --cluster uri)', () => {
  let sim: SimServer;
  beforeAll(async () => {
    sim = await SimServer.start();
  });
  afterAll(() => sim.stop());

  it('kills every wallet process, drops the run databases, writes a partial report marked interrupted, exits 130', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'mc-int-')), 'report');
    const proc = spawn(
      process.execPath,
      [BIN, 'certify', '--cluster', 'uri', '--uri', sim.uri, '--check', 'crash-points', '--seed', '3', '--out', out],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stderr = '';
    proc.stderr?.on('data', (d) => {
      stderr += d;
    });
    const done = exited(proc);
    // Wait until the run has wallet processes and a database of its own (bounded: the check starts them within
    // seconds; processes are loaded ahead of the check, so they may come first).
    const admin = await new MongoClient(sim.uri).connect();
    const runDatabases = async () =>
      (await admin.db('admin').admin().listDatabases({ nameOnly: true })).databases
        .map((d) => d.name)
        .filter((n) => n.startsWith('mc_'));
    let kids: number[] = [];
    try {
      for (let i = 0; i < 600 && (kids.length === 0 || (await runDatabases()).length === 0); i++) {
        await new Promise((r) => setTimeout(r, 100));
        kids = walletChildrenOf(proc.pid!);
      }
      expect(kids.length, `no wallet process appeared; stderr: ${stderr}`).toBeGreaterThan(0);
      expect((await runDatabases()).length, `no run database appeared; stderr: ${stderr}`).toBeGreaterThan(0);
      kids = walletChildrenOf(proc.pid!);
      proc.kill('SIGINT');
      expect(await done, stderr).toBe(130);
      for (const pid of kids) expect(alive(pid), `wallet process ${pid} outlived meltcheck`).toBe(false);
      const after = (await admin.db('admin').admin().listDatabases({ nameOnly: true })).databases.map((d) => d.name);
      expect(after.filter((n) => n.startsWith('mc_'))).toEqual([]);
    } finally {
      await admin.close();
    }
    const report = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8'));
    expect(report.interrupted).toBe(true);
    expect(report.verdict).not.toBe('pass');
    expect(report.checks.find((c: { name: string }) => c.name === 'crash-points')).toMatchObject({
      status: 'error',
      reason: expect.stringMatching(/interrupted/),
    });
    expect(existsSync(join(out, '.meltcheck-run'))).toBe(false);
    expect(stderr).toMatch(/SIGINT: stopping/);
    expect(stderr).not.toMatch(/\n\s+at /); // no stack trace on the terminal
  });
});
