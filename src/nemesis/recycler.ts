import type { AdapterContext } from '../adapter/contract.ts';
import { withTimeout } from '../harness/containment.ts';
import { WalletProcess } from './child.ts';

/**
 * Wallet processes kept warm for a crash enumeration: one spare always loading the adapter module (the slow
 * part of a start), and processes whose wallet was torn down, ready for the next setup. A crash point then
 * costs a setup, not a process start; a process survives a point whose crash never fired and serves again.
 */
export class WarmPool {
  private spare?: Promise<WalletProcess>;
  private idle: WalletProcess[] = [];

  constructor(
    private readonly adapter: string,
    private readonly opts: { registry?: Set<WalletProcess>; log?: NodeJS.WritableStream },
  ) {}

  private spawn(): Promise<WalletProcess> {
    const p = WalletProcess.warm(this.adapter, this.opts);
    p.catch(() => {});
    return p;
  }

  /** Starts loading the spare now, so that the first point does not wait for it either. */
  warmUp(): this {
    this.spare ??= this.spawn();
    return this;
  }

  /**
   * A process with the adapter set up for `ctx`. `victim`: a process about to be killed — a fresh one unless two
   * warm ones are idle, so that a warm process (its JIT and the wallet library's tables ready) is left to recover.
   */
  async take(ctx: AdapterContext, role: 'victim' | 'recoverer' = 'recoverer'): Promise<WalletProcess> {
    let w = role === 'recoverer' || this.idle.length > 1 ? this.idle.pop() : undefined;
    if (!w) {
      const spare = this.spare ?? this.spawn();
      this.spare = this.spawn();
      w = await spare;
    }
    await w.setup(ctx);
    return w;
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
    await this.spare?.then((w) => w.stop()).catch(() => {});
  }
}
