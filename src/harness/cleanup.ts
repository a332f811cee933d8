import type { ChildProcess } from 'node:child_process';

/**
 * What a run must undo if it is interrupted: wallet processes to kill, proxies to stop, sessions to kill and
 * databases to drop. Owners register while they hold a resource and unregister when they release it; an
 * interrupt runs what is registered. Children are also killed on any process exit, so none outlives meltcheck.
 */
type Cleanup = () => unknown;

const children = new Set<ChildProcess>();
const cleanups: Cleanup[] = [];

export function trackChild(child: ChildProcess): void {
  children.add(child);
  child.once('exit', () => children.delete(child));
}

/** The wallet processes alive now (for tests and the interrupt line). */
export function liveChildren(): ChildProcess[] {
  return [...children];
}

export function killChildren(): void {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
}

/** Registers a cleanup, run in reverse order of registration on interrupt; returns its unregister. */
export function trackCleanup(fn: Cleanup): () => void {
  cleanups.push(fn);
  return () => {
    const i = cleanups.lastIndexOf(fn);
    if (i >= 0) cleanups.splice(i, 1);
  };
}

/** How many cleanups are registered (a resource not released shows here; for tests). */
export function cleanupCount(): number {
  return cleanups.length;
}

/** Kills every child, then runs the cleanups newest first, each bounded, all within `ms`. */
export async function runCleanups(ms: number): Promise<void> {
  killChildren();
  const deadline = Date.now() + ms;
  for (const fn of cleanups.splice(0).reverse()) {
    const left = deadline - Date.now();
    if (left <= 0) break;
    await Promise.race([
      Promise.resolve()
        .then(fn)
        .catch(() => {}),
      new Promise((r) => setTimeout(r, left).unref()),
    ]);
  }
}

process.on('exit', killChildren);
