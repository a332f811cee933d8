import { closeSync, existsSync, mkdirSync, openSync, rmSync, statSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { UsageError } from './args.ts';

/** Held while a run writes into its directory; a second run with the same --out is refused. */
export const RUN_MARKER = '.meltcheck-run';

/**
 * Claims the report directory before any check runs: it must be a directory this process can write, holding
 * neither another run's report nor a run in progress. One line, exit 2, otherwise.
 */
export function claimOutDir(dir: string, runId: string): string {
  if (existsSync(dir) && !statSync(dir).isDirectory())
    throw new UsageError(`--out ${dir} is a file, not a directory: pick a directory for the report`);
  if (existsSync(join(dir, 'report.json')))
    throw new UsageError(`--out ${dir} already holds a report: pick another directory (no run replaces another's)`);
  try {
    mkdirSync(dir, { recursive: true });
  } catch (e) {
    throw new UsageError(`cannot create --out ${dir} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  let fd: number;
  try {
    fd = openSync(join(dir, RUN_MARKER), 'wx');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'EEXIST')
      throw new UsageError(
        `--out ${dir} is in use by another meltcheck run (or one that died: remove ${join(dir, RUN_MARKER)})`,
      );
    throw new UsageError(`cannot write to --out ${dir} (${code ?? (e as Error).message})`);
  }
  writeSync(fd, `${runId} ${process.pid}\n`);
  closeSync(fd);
  // A run that ends without a report (exit 2 on a cluster error, a crash) leaves the directory reusable.
  const release = () => rmSync(join(dir, RUN_MARKER), { force: true });
  held.set(dir, release);
  process.once('exit', release);
  return dir;
}

const held = new Map<string, () => void>();

/** Ends the claim once the report is written (or the run gave up). */
export function releaseOutDir(dir: string): void {
  const release = held.get(dir);
  if (!release) return;
  held.delete(dir);
  process.off('exit', release);
  release();
}
