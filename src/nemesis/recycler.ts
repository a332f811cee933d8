import type { AdapterContext } from '../adapter/contract.ts';
import { withTimeout } from '../harness/containment.ts';
import { type ProcessSource, WalletProcess } from './child.ts';

/**
 * Wallet processes of one crash enumeration, used again: a process whose wallet was torn down (a dry run's, a
 * recoverer's, a victim whose crash never fired) is set up afresh for the next run instead of a new one being
 * started. New processes come loaded from the run's warm pool. A victim is a fresh process unless two used ones
 * are idle, so that a used one — its JIT and the wallet library's tables warm — is left to recover.
 */
export class ProcessRecycler {
  private idle: WalletProcess[] = [];

  constructor(
    private readonly adapter: string,
    private readonly opts: { registry?: Set<WalletProcess>; log?: NodeJS.WritableStream; warm?: ProcessSource },
  ) {}

  /** A process with the adapter set up for `ctx`. */
  async take(ctx: AdapterContext, role: 'victim' | 'recoverer' = 'recoverer'): Promise<WalletProcess> {
    const used = role === 'recoverer' || this.idle.length > 1 ? this.idle.pop() : undefined;
    if (!used) return WalletProcess.start(this.adapter, ctx, this.opts);
    await used.setup(ctx);
    return used;
  }

  /** Tears the wallet down and keeps the process for another setup (or ends it if it will not). */
  async give(w: WalletProcess): Promise<void> {
    w.onCrashPoint = undefined;
    if (w.dead) return;
    try {
      await withTimeout('teardown', w.call('teardown'), 5000);
      this.idle.push(w);
    } catch {
      w.kill();
    }
  }

  async close(): Promise<void> {
    for (const w of this.idle.splice(0)) await w.stop();
  }
}
