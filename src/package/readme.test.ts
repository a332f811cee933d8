import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '../..');
const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');

describe('README usage sections', () => {
  it('shows the vitest example the package test runs, verbatim', () => {
    const example = readFileSync(join(ROOT, 'fixtures/examples/melt.vitest.ts'), 'utf8').trim();
    expect(readme).toContain(example);
  });

  it('imports the adapter helper from the package, and covers install, programmatic use and sharded CI', () => {
    expect(readme).toContain("import { defineAdapter } from 'meltcheck';");
    expect(readme).not.toMatch(/from '\.\.\/\.\.\/src\//);
    expect(readme).toContain('npm i -D meltcheck');
    expect(readme).toContain("import { certify, replay } from 'meltcheck';");
    for (const s of [
      '--shard $' + '{{ matrix.shard }}/3',
      'merge-reports',
      "'mongo:7.0'",
      "'mongo:8.0'",
      '--require-real',
    ])
      expect(readme).toContain(s);
  });
});
