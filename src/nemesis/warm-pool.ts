import { LoadedProcess, type ProcessSource } from './child.ts';

/**
 * Wallet processes kept loaded ahead of need (the adapter module imported, waiting for its context), so that a
 * check which starts a process per crash point pays a setup, not a module load. Two are kept: an enumeration
 * takes one for its dry run and one as the spare of its first point at once. Idle processes belong to no check:
 * a check owns a process from the moment it takes it (its registry then kills it afterwards).
 */
export class WarmPool implements ProcessSource {
  private adapter?: string;
  private spares: LoadedProcess[] = [];
  private closed = false;

  constructor(private readonly depth = 2) {}

  /** Starts loading processes for `adapter` up to the pool's depth (no-op when they are there already). */
  prime(adapter: string, log?: NodeJS.WritableStream): void {
    if (this.closed) return;
    if (this.adapter !== adapter) this.discardAll();
    this.adapter = adapter;
    while (this.spares.length < this.depth) this.spares.push(LoadedProcess.fork(adapter, log));
  }

  /** A loaded (or loading) process for `adapter`, oldest first; the pool starts loading a replacement at once. */
  take(adapter: string, log?: NodeJS.WritableStream): LoadedProcess {
    const taken = (this.adapter === adapter && this.spares.shift()) || LoadedProcess.fork(adapter, log);
    this.prime(adapter, log);
    return taken;
  }

  close(): void {
    this.closed = true;
    this.discardAll();
  }

  private discardAll(): void {
    for (const p of this.spares) p.discard();
    this.spares = [];
  }
}
