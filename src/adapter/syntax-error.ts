import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { extname } from 'node:path';

/**
 * When an adapter fails to load, finds a syntax error in it and says where: `file:line:col: message`. Uses the
 * esbuild that tsx (a dependency) runs on, the same parser that loads the adapter; undefined when the file parses.
 */
export function syntaxErrorAt(path: string): string | undefined {
  let esbuild: typeof import('esbuild');
  try {
    esbuild = createRequire(import.meta.url)('esbuild');
  } catch {
    return undefined;
  }
  const ext = extname(path).slice(1);
  const loader = (['ts', 'mts', 'cts'].includes(ext) ? 'ts' : ext === 'tsx' ? 'tsx' : ext === 'jsx' ? 'jsx' : 'js') as
    | 'ts'
    | 'tsx'
    | 'jsx'
    | 'js';
  try {
    esbuild.transformSync(readFileSync(path, 'utf8'), { loader, sourcefile: path, format: 'esm', logLevel: 'silent' });
    return undefined;
  } catch (e) {
    const first = (e as { errors?: { text: string; location?: { line: number; column: number } }[] }).errors?.[0];
    if (!first) return undefined;
    const at = first.location ? `${path}:${first.location.line}:${first.location.column + 1}` : path;
    return `${at}: ${first.text}`;
  }
}
