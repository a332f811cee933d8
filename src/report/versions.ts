import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { PACKAGE_ROOT, packageVersion } from '../package-root.ts';

/**
 * A dependency's version, read from its package.json by path, the way Node finds the package from meltcheck
 * (node_modules of meltcheck's directory and of every directory above). `require('pkg/package.json')` fails
 * for packages whose exports map does not list it (cashu-ts), which printed "unknown".
 */
export function versionOf(pkg: string, from = PACKAGE_ROOT): string {
  for (let dir = from; ; dir = dirname(dir)) {
    const file = join(dir, 'node_modules', pkg, 'package.json');
    if (existsSync(file)) return String(JSON.parse(readFileSync(file, 'utf8')).version);
    if (dirname(dir) === dir) return 'not installed';
  }
}

/** The versions that decide a run's behaviour, for the report's environment section. */
export function environment(): Record<string, string> {
  return {
    node: process.version,
    platform: `${process.platform}-${process.arch}`,
    meltcheck: packageVersion(),
    mongodb: versionOf('mongodb'),
    mongoose: versionOf('mongoose'),
    'cashu-ts': versionOf('@cashu/cashu-ts'),
    'fast-check': versionOf('fast-check'),
  };
}
