import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const BIN = join(import.meta.dirname, '../../bin/meltcheck.js');

async function meltcheck(args: string[], cwd = process.cwd()) {
  try {
    const r = await run(process.execPath, [BIN, ...args], { cwd, timeout: 120_000 });
    return { code: 0, stdout: r.stdout, stderr: r.stderr };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, stdout: err.stdout, stderr: err.stderr };
  }
}

describe('meltcheck --shard, merge-reports, --summary (sim backend)', () => {
  it('refuses a malformed --shard in one line', async () => {
    const r = await meltcheck(['certify', '--shard', '3/2', '--cluster', 'sim']);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/--shard must be i\/n/);
  });

  it('merges the shards of a failing run into one failing verdict and a step summary', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'meltcheck-shards-'));
    const common = [
      'certify',
      '--adapter',
      'mutant:melted-documents',
      '--cluster',
      'sim',
      '--seed',
      '4',
      '--runs',
      '4',
    ];
    const checks = ['--check', 'successful-melt', '--check', 'single-token-exact', '--check', 'melt-property'];
    for (const i of [1, 2]) {
      const r = await meltcheck([...common, ...checks, '--shard', `${i}/2`, '--out', join(dir, `s${i}`)]);
      expect(r.code, r.stderr).toBe(1);
    }
    const summary = join(dir, 'summary.md');
    writeFileSync(summary, '');
    const r = await meltcheck([
      'merge-reports',
      join(dir, 's1'),
      join(dir, 's2'),
      '--out',
      join(dir, 'm'),
      '--summary',
      summary,
    ]);
    expect(r.code, r.stderr).toBe(1);
    const merged = JSON.parse(readFileSync(join(dir, 'm/report.json'), 'utf8'));
    expect(merged.checks.map((c: { name: string }) => c.name)).toEqual([
      'successful-melt',
      'single-token-exact',
      'melt-property',
    ]);
    expect(merged.verdict).toBe('fail');
    for (const f of ['junit.xml', 'report.md', 'report.html']) expect(existsSync(join(dir, 'm', f))).toBe(true);
    const md = readFileSync(summary, 'utf8');
    expect(md).toMatch(/meltcheck: FAIL/);
    expect(md).toMatch(/\[no-double-count\]/);
    expect(md).toContain('SIMULATED');
  });

  it('refuses to merge an incomplete set of shards', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'meltcheck-shards-'));
    const r1 = await meltcheck([
      'certify',
      '--cluster',
      'sim',
      '--check',
      'successful-melt',
      '--shard',
      '1/2',
      '--out',
      join(dir, 's1'),
    ]);
    expect(r1.code, r1.stderr).toBe(0);
    const r = await meltcheck(['merge-reports', join(dir, 's1')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/shard 2 of 2 is missing/);
  });
});

describe('meltcheck init', () => {
  for (const [type, lang, file, marker] of [
    ['module', 'js', 'test/melt-adapter.js', "import { defineAdapter } from 'meltcheck';"],
    [undefined, 'js', 'test/melt-adapter.cjs', "const { defineAdapter } = require('meltcheck');"],
    [undefined, 'ts', 'test/melt-adapter.ts', "import { defineAdapter } from 'meltcheck';"],
  ] as const)
    it(`writes a ${lang} skeleton for a ${type ?? 'commonjs'} project and prints the next command`, async () => {
      const cwd = mkdtempSync(join(tmpdir(), 'meltcheck-init-'));
      writeFileSync(join(cwd, 'package.json'), JSON.stringify({ name: 'w', ...(type ? { type } : {}) }));
      if (lang === 'ts') writeFileSync(join(cwd, 'tsconfig.json'), '{}');
      const r = await meltcheck(['init'], cwd);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toContain(`npx meltcheck certify --adapter ./${file}`);
      const text = readFileSync(join(cwd, file), 'utf8');
      expect(text).toContain(marker);
      expect(text).toContain("level: 'repository'");
      // Run again: an existing adapter is never overwritten without --force.
      const again = await meltcheck(['init'], cwd);
      expect(again.code).toBe(2);
      expect(again.stderr).toMatch(/already exists/);
    });

  it('writes a service-level skeleton whose unfinished TODOs fail loudly', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'meltcheck-init-'));
    writeFileSync(join(cwd, 'package.json'), JSON.stringify({ name: 'w', type: 'module' }));
    const r = await meltcheck(['init', '--level', 'service', '--out', 'melt.js'], cwd);
    expect(r.code, r.stderr).toBe(0);
    // (vitest resolves 'meltcheck' to this repository's sources.) An unfinished adapter can never pass.
    const { default: adapter } = await import(join(cwd, 'melt.js'));
    expect(adapter.level).toBe('service');
    await expect(adapter.fund(100)).rejects.toThrow(/TODO: fund/);
    const text = readFileSync(join(cwd, 'melt.js'), 'utf8');
    for (const fn of ['fund', 'melt', 'recover', 'holdings']) expect(text).toContain(`throw new Error('TODO: ${fn}')`);
  });
});
