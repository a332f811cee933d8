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
  if (isEsm(path)) return ts ? tsImport(pathToFileURL(path).href, import.meta.url) : import(pathToFileURL(path).href);
  const exports = ts ? tsxRequire(path, import.meta.url) : (await import(pathToFileURL(path).href)).default;
  // CommonJS: `export default x` compiled (tsc, esbuild) is exports.default with __esModule; `module.exports = x`
  // is the object itself.
  if (exports && typeof exports === 'object' && exports.__esModule && 'default' in exports) return exports;
  return { ...(exports && typeof exports === 'object' ? exports : {}), default: exports };
}
