import { existsSync, readFileSync } from 'node:fs';
import { dirname, extname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { require as tsxRequire } from 'tsx/cjs/api';
import { tsImport } from 'tsx/esm/api';

/** Whether Node treats a file as ESM: by extension, else by the nearest package.json's "type" (as Node does). */
export function isEsm(path: string): boolean {
  const ext = extname(path);
  if (ext === '.mts' || ext === '.mjs') return true;
  if (ext === '.cts' || ext === '.cjs') return false;
  for (let dir = dirname(path); ; dir = dirname(dir)) {
    const pkg = join(dir, 'package.json');
    if (existsSync(pkg)) {
      try {
        return JSON.parse(readFileSync(pkg, 'utf8')).type === 'module';
      } catch {
        return false;
      }
    }
    if (dirname(dir) === dir) return false;
  }
}

/**
 * Loads an adapter module of any flavour: .js/.mjs/.cjs natively, TypeScript (.ts/.mts/.cts) through tsx's
 * scoped loaders, ESM or CommonJS as the wallet project's package.json says. Scoped, so nothing else in the
 * process (a test runner, say) sees a changed module loader.
 */
export async function importModule(path: string): Promise<Record<string, unknown>> {
  const ts = /\.[mc]?tsx?$/.test(path);
  if (!ts) return import(pathToFileURL(path).href);
  if (isEsm(path)) return tsImport(pathToFileURL(path).href, import.meta.url);
  const mod = tsxRequire(path, import.meta.url);
  // A CommonJS module's exports: `export default x` compiles to exports.default; `module.exports = x` is the object.
  return mod && typeof mod === 'object' && 'default' in mod ? mod : { default: mod, ...mod };
}
