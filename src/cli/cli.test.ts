import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { SCENARIOS } from '../../scenarios/index.ts';

const run = promisify(execFile);
const BIN = join(import.meta.dirname, '../../bin/meltcheck.js');

async function meltcheck(args: string[], env: Record<string, string> = {}) {
  try {
    const r = await run(process.execPath, [BIN, ...args], { env: { ...process.env, ...env }, timeout: 120_000 });
    return { code: 0, stdout: r.stdout, stderr: r.stderr };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, stdout: err.stdout, stderr: err.stderr };
  }
}

describe('meltcheck CLI', () => {
  it('describes every command and flag in --help', async () => {
    const r = await meltcheck(['--help']);
    expect(r.code).toBe(0);
    for (const word of [
      'certify',
      'sim',
      '--adapter',
      '--cluster',
      '--uri',
      '--seed',
      '--runs',
      '--out',
      '--allow-remote',
      '--reuse-db',
      '--check',
    ])
      expect(r.stdout).toContain(word);
  });

  it('rejects an unknown flag with one line and exit 2', async () => {
    const r = await meltcheck(['certify', '--no-such-flag']);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain('--no-such-flag');
  });

  // The CLI's plumbing only (exit code, backend, seed, reports on disk) on the cheap checks: every check's verdict on
  // the reference is asserted through the API by fixtures/mutants/kill-matrix.test.ts ("passes the reference on every
  // check"), and which checks a run without --check selects by src/api/select.test.ts.
  const REFERENCE_CHECKS = [...SCENARIOS.map((s) => s.name), 'wire-faults'];

  it('certifies the reference on the simulator: exit 0 and a report naming the simulated backend', async () => {
    const out = mkdtempSync(join(tmpdir(), 'mc-'));
    const checks = REFERENCE_CHECKS.flatMap((c) => ['--check', c]);
    const r = await meltcheck(['certify', '--cluster', 'sim', '--seed', '7', '--out', out, ...checks]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('SIMULATED');
    const report = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8'));
    expect(report.verdict).toBe('pass');
    expect(report.backend).toMatchObject({ kind: 'sim', real: false });
    expect(report.seed).toBe(7);
    expect(report.checks.length).toBeGreaterThanOrEqual(9);
    expect(report.checks.map((c: { name: string; status: string }) => [c.name, c.status])).toEqual(
      REFERENCE_CHECKS.map((c) => [c, 'pass']),
    );
    expect(readFileSync(join(out, 'junit.xml'), 'utf8')).toContain('<testsuites');
  });

  it('exits 1 for a mutant, and replay of each kind of failure reproduces it (exit 1)', async () => {
    const out = mkdtempSync(join(tmpdir(), 'mc-'));
    const r = await meltcheck([
      'certify',
      '--cluster',
      'sim',
      '--adapter',
      'mutant:melted-documents',
      '--seed',
      '5',
      '--out',
      out,
      // One failure of each kind this test replays (a property's and a scenario's); every check's verdict on this
      // mutant is asserted through the API by the kill matrix (fixtures/mutants/kill-matrix*.test.ts).
      '--check',
      'successful-melt',
      '--check',
      'melt-property',
    ]);
    expect(r.code).toBe(1);
    const report = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8'));
    expect(report.failures.map((f: { invariant: string }) => f.invariant)).toContain('no-double-count');
    const property = report.failures.find((f: { check: string }) => f.check === 'melt-property');
    const scenario = report.failures.find((f: { check: string }) => f.check !== 'melt-property');
    for (const f of [property, scenario]) {
      expect(f.replay).toContain('meltcheck replay');
      const again = await meltcheck(['replay', join(out, 'report.json'), '--failure', f.id]);
      expect(again.code).toBe(1);
      expect(again.stdout).toContain('REPRODUCED');
    }
  });

  it('replay: exit 0 when a failure does not reproduce, 2 for a missing or malformed report', async () => {
    const out = mkdtempSync(join(tmpdir(), 'mc-'));
    await meltcheck([
      'certify',
      '--cluster',
      'sim',
      '--adapter',
      'mutant:keep-dropped-without-change',
      '--check',
      'empty-keep-and-change',
      '--out',
      out,
    ]);
    const path = join(out, 'report.json');
    const report = JSON.parse(readFileSync(path, 'utf8'));
    expect(report.verdict).toBe('fail');
    // Point the report at the reference: the same story no longer fails.
    report.adapter.spec = 'reference';
    writeFileSync(path, JSON.stringify(report));
    const fixed = await meltcheck(['replay', path]);
    expect(fixed.code).toBe(0);
    expect(fixed.stdout).toContain('did NOT reproduce');
    expect((await meltcheck(['replay', join(out, 'missing.json')])).code).toBe(2);
    writeFileSync(join(out, 'bad.json'), '{"schema": "other"}');
    const bad = await meltcheck(['replay', join(out, 'bad.json')]);
    expect(bad.code).toBe(2);
    expect(bad.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('refuses a remote --uri without connecting', async () => {
    const started = Date.now();
    const r = await meltcheck(['certify', '--cluster', 'uri', '--uri', 'mongodb://db.example.invalid:27017/x']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/refusing remote host\(s\) db\.example\.invalid/);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(Date.now() - started).toBeLessThan(15_000);
  });

  it('explains in one line why the memory cluster cannot start, and exits 2', async () => {
    // An unreachable mirror and an empty download dir make the outcome the same on every machine.
    const r = await meltcheck(['certify', '--cluster', 'memory'], {
      MONGOMS_DOWNLOAD_MIRROR: 'http://127.0.0.1:9',
      MONGOMS_DOWNLOAD_DIR: mkdtempSync(join(tmpdir(), 'mms-')),
      MONGOMS_SYSTEM_BINARY: '',
    });
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/cluster 'memory' unavailable: .*MONGOMS_SYSTEM_BINARY.*Docker.*--cluster uri/);
  });

  it('names a missing adapter file, and an adapter missing executeAtomicMelt, in one line each', async () => {
    const a = await meltcheck(['certify', '--cluster', 'sim', '--adapter', './no-such-file.ts']);
    expect(a.code).toBe(2);
    expect(a.stderr.trim()).toBe('meltcheck: adapter file not found: ./no-such-file.ts');
    const b = await meltcheck([
      'certify',
      '--cluster',
      'sim',
      '--adapter',
      join(import.meta.dirname, '../adapter/testdata/missing-melt.ts'),
    ]);
    expect(b.code).toBe(2);
    expect(b.stderr.trim().split('\n')).toHaveLength(1);
    expect(b.stderr).toContain('missing function(s): executeAtomicMelt');
  });

  it('rejects an unknown mutant name', async () => {
    const r = await meltcheck(['certify', '--cluster', 'sim', '--adapter', 'mutant:nope']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("unknown mutant 'nope'");
  });
});
