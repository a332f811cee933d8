import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The meltcheck package's root, found by walking up from this module: the same from the sources (src/) and
 * from the build (dist/src/), in the repository and in a project's node_modules.
 */
function findRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const pkg = join(dir, 'package.json');
    if (existsSync(pkg) && JSON.parse(readFileSync(pkg, 'utf8')).name === 'meltcheck') return dir;
    const up = dirname(dir);
    if (up === dir) throw new Error('meltcheck: cannot find its own package.json');
    dir = up;
  }
}

export const PACKAGE_ROOT = findRoot();

/** Where the runnable modules are: the sources in a checkout (run through tsx), dist/ in an installed package. */
export const CODE_ROOT = import.meta.url.endsWith('.ts') ? PACKAGE_ROOT : join(PACKAGE_ROOT, 'dist');

/** The extension of this build's modules (.ts from the sources, .js from dist). */
export const MODULE_EXT = import.meta.url.endsWith('.ts') ? '.ts' : '.js';

export function packageVersion(): string {
  return JSON.parse(readFileSync(join(PACKAGE_ROOT, 'package.json'), 'utf8')).version;
}
