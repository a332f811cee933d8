import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { adapterSkeleton, type SkeletonStyle } from '../adapter/skeleton.ts';
import { parse, UsageError } from './args.ts';

/** What the project looks like: TypeScript or not, ESM or CommonJS (package.json "type"). */
export function detectStyle(cwd: string): Omit<SkeletonStyle, 'level'> {
  let pkg: Record<string, unknown> = {};
  try {
    pkg = JSON.parse(readFileSync(join(cwd, 'package.json'), 'utf8'));
  } catch {}
  const deps = { ...(pkg.dependencies as object), ...(pkg.devDependencies as object) };
  const ts = existsSync(join(cwd, 'tsconfig.json')) || 'typescript' in deps;
  return { lang: ts ? 'ts' : 'js', module: pkg.type === 'module' ? 'esm' : 'cjs' };
}

/** `meltcheck init [--level repository|service] [--lang ts|js] [--out FILE] [--force]`: an adapter skeleton. */
export async function init(argv: string[], cwd = process.cwd()): Promise<number> {
  const { values, positionals } = parse(argv, {
    level: { type: 'string' },
    lang: { type: 'string' },
    out: { type: 'string' },
    force: { type: 'boolean' },
  });
  if (positionals.length) throw new UsageError(`unexpected argument '${positionals[0]}'`);
  const level = (values.level as string | undefined) ?? 'repository';
  if (level !== 'repository' && level !== 'service')
    throw new UsageError(`--level must be repository or service, got '${level}'`);
  const detected = detectStyle(cwd);
  const lang = (values.lang as string | undefined) ?? detected.lang;
  if (lang !== 'ts' && lang !== 'js') throw new UsageError(`--lang must be ts or js, got '${lang}'`);
  const style: SkeletonStyle = { level, lang, module: detected.module };
  // Plain JavaScript in a CommonJS project gets .cjs and require(); everything else uses import syntax.
  const ext = lang === 'ts' ? '.ts' : style.module === 'esm' ? '.js' : '.cjs';
  const file = join(cwd, (values.out as string | undefined) ?? `test/melt-adapter${ext}`);
  if (existsSync(file) && !values.force)
    throw new UsageError(`${relative(cwd, file)} already exists (use --force to overwrite it)`);
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, adapterSkeleton(style));
  const rel = `./${relative(cwd, file)}`;
  console.log(
    `meltcheck: wrote ${rel} (${level} level, ${lang === 'ts' ? 'TypeScript' : 'JavaScript'}, ${style.module === 'esm' ? 'ESM' : 'CommonJS'})`,
  );
  console.log(`next: fill in the TODOs, then  npx meltcheck certify --adapter ${rel}`);
  return 0;
}
