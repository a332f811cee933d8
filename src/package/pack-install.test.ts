// The package as a wallet project gets it: npm pack, install the tarball into scratch ESM and CommonJS projects,
// type-check adapters against the shipped types, certify programmatically and from the CLI (sim backend), and
// run meltcheck/vitest for a correct and a check-then-act adapter.
import { execFile } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { transformSync } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const exec = promisify(execFile);
const REPO = join(import.meta.dirname, '../..');
const EXAMPLES = join(REPO, 'fixtures/examples');
const TSC = join(REPO, 'node_modules/typescript/bin/tsc');
const version = (pkg: string) =>
  JSON.parse(readFileSync(join(REPO, 'node_modules', pkg, 'package.json'), 'utf8')).version as string;

interface Run {
  code: number;
  out: string;
  stdout: string;
}
async function run(cmd: string, args: string[], cwd: string, timeout = 240_000): Promise<Run> {
  try {
    const r = await exec(cmd, args, { cwd, timeout, maxBuffer: 32 << 20, env: { ...process.env, CI: '1' } });
    return { code: 0, out: `${r.stdout}${r.stderr}`, stdout: r.stdout };
  } catch (e) {
    const err = e as { code?: number; stdout?: string; stderr?: string; message: string };
    return {
      code: typeof err.code === 'number' ? err.code : 1,
      out: `${err.stdout ?? ''}${err.stderr ?? err.message}`,
      stdout: err.stdout ?? '',
    };
  }
}
const node = (args: string[], cwd: string) => run(process.execPath, args, cwd);

// Registry trouble is the one thing that may keep this test from running here; anything else fails it.
const OFFLINE = /ENOTCACHED|EAI_AGAIN|ENOTFOUND|ECONNREFUSED|ETIMEDOUT/;
let unavailable: string | undefined;

const TSCONFIG = {
  compilerOptions: {
    target: 'ES2022',
    module: 'NodeNext',
    moduleResolution: 'NodeNext',
    strict: true,
    noEmit: true,
    skipLibCheck: false,
    types: ['node'],
    lib: ['ES2023', 'ESNext.Disposable'],
  },
  include: ['test'],
};

/** An adapter that type-checks only if the shipped types are wrong: a level that does not exist. */
const BAD_ADAPTER = `import { defineAdapter } from 'meltcheck';
export default defineAdapter({ level: 'repo', name: 'bad' });
`;

/** One scratch project: package.json of the given module type, the tarball and vitest installed, the adapters. */
async function project(root: string, name: 'esm' | 'cjs', tarball: string, offline: boolean): Promise<string> {
  const dir = join(root, name);
  mkdirSync(join(dir, 'test'), { recursive: true });
  const pkg = {
    name: `scratch-${name}`,
    version: '1.0.0',
    private: true,
    ...(name === 'esm' ? { type: 'module' } : {}),
  };
  writeFileSync(join(dir, 'package.json'), JSON.stringify(pkg));
  const deps = [tarball, `vitest@${version('vitest')}`, `@types/node@${version('@types/node')}`];
  const flags = ['--no-audit', '--no-fund', '--ignore-scripts', '--loglevel=error'];
  let r = offline ? await run('npm', ['install', ...deps, '--offline', ...flags], dir) : undefined;
  if (r?.code !== 0) r = await run('npm', ['install', ...deps, '--prefer-offline', ...flags], dir);
  if (r.code !== 0) {
    if (OFFLINE.test(r.out)) unavailable = `npm cannot reach the registry or its cache: ${r.out.split('\n')[0]}`;
    else throw new Error(`npm install in the ${name} project failed: ${r.out}`);
  }
  const readme = readFileSync(join(EXAMPLES, 'minimal-adapter.ts'), 'utf8');
  const ts = (file: string, text = readme) => writeFileSync(join(dir, 'test', file), text);
  const js = (file: string, format: 'esm' | 'cjs') => ts(file, transformSync(readme, { loader: 'ts', format }).code);
  ts('melt-adapter.ts');
  ts('adapter.mts');
  ts('adapter.cts');
  ts('bad-adapter.ts', BAD_ADAPTER);
  // The README's vitest example type-checks too (ESM: vitest runs test files as ES modules).
  if (name === 'esm') ts('melt.test.ts', readFileSync(join(EXAMPLES, 'melt.vitest.ts'), 'utf8'));
  copyFileSync(join(EXAMPLES, 'check-then-act-adapter.ts'), join(dir, 'test', 'check-then-act-adapter.ts'));
  js('adapter.mjs', 'esm');
  js('adapter.cjs', 'cjs');
  js('adapter.js', name);
  writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify(TSCONFIG));
  return dir;
}

describe('npm pack, install into ESM and CommonJS projects (sim backend)', () => {
  let root: string;
  let esm: string;
  let cjs: string;
  let files: string[] = [];

  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'meltcheck-pack-'));
    const packed = await run('npm', ['pack', '--json', '--pack-destination', root, '--loglevel=error'], REPO);
    if (packed.code !== 0) throw new Error(`npm pack failed: ${packed.out}`);
    const info = JSON.parse(packed.stdout.slice(packed.stdout.indexOf('[')));
    files = info[0].files.map((f: { path: string }) => f.path);
    const tarball = join(root, info[0].filename);
    esm = await project(root, 'esm', tarball, false);
    if (!unavailable) cjs = await project(root, 'cjs', tarball, true);
  }, 400_000);

  afterAll(() => {
    if (root) rmSync(root, { recursive: true, force: true });
  });

  it('ships only what runs: the build, the CommonJS entry, the bin, the docs', () => {
    expect(files).toContain('dist/src/index.js');
    expect(files).toContain('dist/src/index.d.ts');
    expect(files).toContain('dist/src/vitest/index.d.ts');
    expect(files).toContain('cjs/index.cjs');
    expect(files).toContain('bin/meltcheck.js');
    const stray = files.filter((f) => /\.test\.|(^|\/)\.ci\/|biome\.json|^reports\/|^src\/.*\.ts$|bench/.test(f));
    expect(stray).toEqual([]);
  });

  it('type-checks adapters importing from meltcheck against the shipped types, and rejects a wrong one', async (ctx) => {
    if (unavailable) ctx.skip(unavailable);
    for (const dir of [esm, cjs]) {
      const r = await node([TSC, '-p', '.'], dir);
      const errors = r.out.split('\n').filter((l) => /error TS/.test(l));
      // The only errors: the bad adapter's unknown level. Every other adapter (.ts .mts .cts) checks clean.
      expect(errors.length, r.out).toBeGreaterThan(0);
      expect(
        errors.filter((l) => !l.startsWith('test/bad-adapter.ts')),
        r.out,
      ).toEqual([]);
      expect(r.out).toMatch(/"repo"/);
    }
  });

  it('certifies programmatically from ESM and CommonJS: verdict pass, adapters of every extension', async (ctx) => {
    if (unavailable) ctx.skip(unavailable);
    const opts = "cluster: 'sim', checks: ['successful-melt', 'concurrent-same-sources'], runs: 3, seed: 5";
    const adapters = ['melt-adapter.ts', 'adapter.mts', 'adapter.cts', 'adapter.js', 'adapter.mjs', 'adapter.cjs'];
    const loop = (certify: string) =>
      `const out = {}; for (const a of ${JSON.stringify(adapters)}) { const r = await ${certify}({ adapter: './test/' + a, ${opts} }); out[a] = [r.verdict, r.adapter.name, r.backend.kind, r.checks.map((c) => c.status).join()]; } console.log(JSON.stringify(out));`;
    writeFileSync(join(esm, 'certify.mjs'), `import { certify } from 'meltcheck';\n${loop('certify')}\n`);
    writeFileSync(
      join(cjs, 'certify.cjs'),
      `const { certify } = require('meltcheck');\n(async () => { ${loop('certify')} })();\n`,
    );
    for (const [dir, script] of [
      [esm, 'certify.mjs'],
      [cjs, 'certify.cjs'],
    ]) {
      const r = await node([script], dir);
      expect(r.code, r.out).toBe(0);
      // Silent unless asked: the only output is the script's own line.
      const lines = r.out.trim().split('\n');
      expect(lines, r.out).toHaveLength(1);
      const results = JSON.parse(lines[0]);
      for (const a of adapters)
        expect(results[a], `${dir} ${a}`).toEqual(['pass', 'minimal-example', 'sim', 'pass,pass']);
    }
  });

  it('runs the installed CLI on a TypeScript adapter in each project', async (ctx) => {
    if (unavailable) ctx.skip(unavailable);
    for (const [dir, adapter] of [
      [esm, './test/melt-adapter.ts'],
      [cjs, './test/adapter.cts'],
    ]) {
      const bin = join(dir, 'node_modules/meltcheck/bin/meltcheck.js');
      const args = ['certify', '--adapter', adapter, '--cluster', 'sim', '--check', 'successful-melt', '--out', 'out'];
      const r = await node([bin, ...args], dir);
      expect(r.code, r.out).toBe(0);
      expect(r.out).toContain('PASS');
      const report = JSON.parse(readFileSync(join(dir, 'out/report.json'), 'utf8'));
      expect(report.verdict).toBe('pass');
      expect(Object.values(report.environment)).not.toContain('unknown');
    }
  });

  it('meltcheck/vitest passes a correct adapter and fails a check-then-act one, one test per check', async (ctx) => {
    if (unavailable) ctx.skip(unavailable);
    // The README's vitest example, verbatim, and the same file pointed at the flawed adapter.
    const example = readFileSync(join(EXAMPLES, 'melt.vitest.ts'), 'utf8');
    const file = (adapter: string) => example.replace("'./melt-adapter.ts'", `'./${adapter}'`);
    writeFileSync(join(esm, 'test/good.test.ts'), file('melt-adapter.ts'));
    writeFileSync(join(esm, 'test/flawed.test.ts'), file('check-then-act-adapter.ts'));
    const vitest = join(esm, 'node_modules/vitest/vitest.mjs');
    // -t keeps the run short: one scenario, the concurrency checks, the property (the rest are skipped by vitest).
    const some = 'successful-melt|concurrent-same-sources|multi-process-melts|melt-property';
    const good = await node([vitest, 'run', 'test/good.test.ts', '-t', some], esm);
    expect(good.code, good.out).toBe(0);
    expect(good.out).toMatch(/4 passed/);
    const flawed = await node([vitest, 'run', 'test/flawed.test.ts', '-t', 'concurrent-same-sources'], esm);
    expect(flawed.code, flawed.out).not.toBe(0);
    expect(flawed.out).toMatch(/1 failed/);
    expect(flawed.out).toMatch(/\d+ skipped/); // -t: only the named check ran
    expect(flawed.out).toContain('[no-double-count]');
    expect(flawed.out).toContain('replay: npx meltcheck certify --adapter ./test/check-then-act-adapter.ts');
  });
});
