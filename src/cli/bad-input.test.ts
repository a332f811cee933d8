import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { main } from './main.ts';
import { RUN_MARKER } from './out-dir.ts';

/** Runs the CLI in this process; returns the exit code and what it printed on stderr. */
async function cli(argv: string[]): Promise<{ code: number; stderr: string[]; stdout: string[] }> {
  const stderr: string[] = [];
  const stdout: string[] = [];
  const e = vi.spyOn(console, 'error').mockImplementation((...a) => void stderr.push(a.join(' ')));
  const o = vi.spyOn(console, 'log').mockImplementation((...a) => void stdout.push(a.join(' ')));
  try {
    return { code: await main(argv), stderr, stdout };
  } finally {
    e.mockRestore();
    o.mockRestore();
  }
}

/** Exit 2, one line on stderr matching `why`, and no check ran (nothing printed on stdout). */
async function refused(argv: string[], why: RegExp) {
  const r = await cli(argv);
  expect(r.code, r.stderr.join('\n')).toBe(2);
  expect(r.stderr).toHaveLength(1);
  expect(r.stderr[0]).toMatch(why);
  expect(r.stdout).toEqual([]);
}

// Bad input: one line on stderr and exit 2, before any check runs.
describe('bad input is refused before any check', () => {
  const tmp = mkdtempSync(join(tmpdir(), 'mc-bad-'));
  let busy: Server;
  let busyPort: number;
  beforeAll(async () => {
    busy = createServer();
    await new Promise<void>((r) => busy.listen(0, '127.0.0.1', r));
    busyPort = (busy.address() as { port: number }).port;
  });
  afterAll(() => new Promise((r) => busy.close(r)));

  it('--out that is a file', async () => {
    const file = join(tmp, 'a-file');
    writeFileSync(file, 'x');
    await refused(['certify', '--cluster', 'sim', '--out', file], /is a file, not a directory/);
  });
  it('--out that cannot be created', async () => {
    const file = join(tmp, 'another-file');
    writeFileSync(file, 'x');
    await refused(['certify', '--cluster', 'sim', '--out', join(file, 'sub')], /cannot create --out .*ENOTDIR/);
  });
  it('--out that already holds a report, or a run in progress', async () => {
    const done = join(tmp, 'done');
    mkdirSync(done);
    writeFileSync(join(done, 'report.json'), '{}');
    await refused(['certify', '--cluster', 'sim', '--out', done], /already holds a report/);
    const busyDir = join(tmp, 'busy');
    mkdirSync(busyDir);
    writeFileSync(join(busyDir, RUN_MARKER), '1 1');
    await refused(['certify', '--cluster', 'sim', '--out', busyDir], /in use by another meltcheck run/);
  });
  it('numbers out of range, and --members 3 on a uri cluster', async () => {
    await refused(['certify', '--runs', '-5'], /--runs got '-5'/);
    await refused(['certify', '--seed=-1'], /--seed must be an integer from 0/);
    await refused(['certify', '--runs', '1e23'], /--runs must be an integer from 1 to 1000000, got '1e23'/);
    await refused(
      ['certify', '--cluster', 'uri', '--members', '3'],
      /--members 3 needs --cluster sim, memory or docker/,
    );
  });
  it('sim and mint on a port in use', async () => {
    await refused(['sim', '--port', String(busyPort)], new RegExp(`port ${busyPort} is already in use`));
    await refused(['mint', '--port', String(busyPort)], new RegExp(`port ${busyPort} is already in use`));
  });
  it('sim --user without a password', async () => {
    await refused(['sim', '--user', 'alice'], /--user must be name:password/);
  });
  it('an adapter with a syntax error is named with file, line and column', async () => {
    const bad = join(tmp, 'bad-adapter.ts');
    writeFileSync(bad, "export default {\n  level: 'repository',,\n};\n");
    await refused(['certify', '--cluster', 'sim', '--adapter', bad], new RegExp(`${bad}:2:23: Expected identifier`));
  });
  it('replay of a malformed or tampered report is exit 2 (1 means reproduced)', async () => {
    const write = (name: string, r: unknown) => {
      const p = join(tmp, name);
      writeFileSync(p, JSON.stringify(r));
      return p;
    };
    const base = {
      schema: 'meltcheck/report@1',
      verdict: 'fail',
      backend: { kind: 'sim', real: false, serverVersion: 'x', members: 1 },
      adapter: { name: 'reference', spec: 'reference', sha256: 'x' },
      seed: 1,
      runs: 1,
      checks: [],
      failures: [{ id: 'f', check: 'successful-melt', invariant: 'atomicity' }],
    };
    await refused(
      ['replay', write('kind.json', { ...base, backend: { kind: 'mainframe' } })],
      /unknown backend 'mainframe'/,
    );
    await refused(
      ['replay', write('adapter.json', { ...base, adapter: { name: 'x', spec: './gone.ts', sha256: 'x' } })],
      /adapter file not found: .\/gone\.ts/,
    );
    await refused(['replay', write('nospec.json', { ...base, adapter: {} })], /does not name its adapter/);
    await refused(
      ['replay', write('notjson.json', 'x').replace('.json', '.json')],
      /not a meltcheck\/report@1 report|not JSON/,
    );
  });
});
