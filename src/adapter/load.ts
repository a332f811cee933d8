import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { CODE_ROOT, MODULE_EXT } from '../package-root.ts';
import { type Adapter, adapterShapeError } from './contract.ts';
import { importModule } from './module-format.ts';
import { syntaxErrorAt } from './syntax-error.ts';

export const BUILTIN: Record<string, string> = {
  reference: resolve(CODE_ROOT, `src/adapter/reference-adapter${MODULE_EXT}`),
  'reference-service': resolve(CODE_ROOT, `src/adapter/reference-service-adapter${MODULE_EXT}`),
};
export const MUTANTS_DIR = resolve(CODE_ROOT, 'fixtures/mutants');

/** A user error in naming or writing an adapter: one line, exit 2. */
export class AdapterLoadError extends Error {}

export interface LoadedAdapter {
  /** The module's adapter (for a factory module: its first instance). */
  adapter: Adapter;
  /**
   * A wallet of this adapter: a new instance when the module exports a factory (so one process can hold several
   * wallets), else the module's one adapter object.
   */
  create(): Adapter;
  spec: string;
  path: string;
  sha256: string;
}

export function resolveAdapterPath(spec: string): string {
  if (BUILTIN[spec]) return BUILTIN[spec];
  if (spec.startsWith('mutant:')) {
    const name = spec.slice('mutant:'.length);
    const path = resolve(MUTANTS_DIR, `${name}${MODULE_EXT}`);
    if (!/^[a-z0-9-]+$/.test(name) || !existsSync(path))
      throw new AdapterLoadError(`unknown mutant '${name}' (see fixtures/mutants/)`);
    return path;
  }
  const path = resolve(spec);
  if (!existsSync(path)) throw new AdapterLoadError(`adapter file not found: ${spec}`);
  return path;
}

/** Loads an adapter by name (reference, mutant:<name>) or path, and checks its shape. */
export async function loadAdapter(spec: string): Promise<LoadedAdapter> {
  const path = resolveAdapterPath(spec);
  let mod: Record<string, unknown>;
  try {
    mod = await importModule(path);
  } catch (e) {
    const syntax = syntaxErrorAt(path);
    if (syntax) throw new AdapterLoadError(`adapter ${spec} has a syntax error at ${syntax}`);
    throw new AdapterLoadError(`adapter ${spec} failed to load: ${String((e as Error).message).split('\n')[0]}`);
  }
  const exported = (mod.default ?? mod.adapter) as unknown;
  // A factory (`export default () => defineAdapter({...})`) makes one wallet per call; an object is the wallet.
  const factory = typeof exported === 'function' ? (exported as () => unknown) : undefined;
  const make = (): unknown => {
    if (!factory) return exported;
    try {
      return factory();
    } catch (e) {
      throw new AdapterLoadError(`adapter ${spec}: its factory threw: ${String((e as Error).message).split('\n')[0]}`);
    }
  };
  const candidate = make();
  const problem = adapterShapeError(candidate);
  if (problem) throw new AdapterLoadError(`adapter ${spec} is malformed: ${problem}`);
  const sha256 = createHash('sha256').update(readFileSync(path)).digest('hex');
  const create = factory ? () => make() as Adapter : () => candidate as Adapter;
  return { adapter: candidate as Adapter, create, spec, path, sha256 };
}
