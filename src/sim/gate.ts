/** A command waiting at the gate, with what a scheduler needs to choose between commands. */
export interface PendingCommand {
  seq: number;
  command: string;
  db: string;
  appName?: string;
  connectionId: number;
  /** The session's id as hex, when the command carries one. */
  session?: string;
  inTransaction: boolean;
}

type Entry = PendingCommand & { go: () => void };

/**
 * The command gate: the harness decides the order in which concurrently pending commands execute. While held,
 * gated commands queue; `step` releases exactly one, so an interleaving found once replays exactly.
 */
export class CommandGate {
  private held = false;
  private queue: Entry[] = [];
  private seq = 0;
  private watchers: (() => void)[] = [];
  /** Commands in the order they were let through (while held), for the history. */
  readonly released: PendingCommand[] = [];
  /** Which commands the gate applies to; the default gates every command of a client with an appName. */
  filter: (c: PendingCommand) => boolean = (c) => c.appName !== undefined;

  hold(): void {
    this.held = true;
  }

  /** Opens the gate: everything queued runs in arrival order, and later commands pass freely. */
  open(): void {
    this.held = false;
    const q = this.queue;
    this.queue = [];
    for (const e of q) e.go();
  }

  pending(): PendingCommand[] {
    return this.queue.map(({ go: _go, ...c }) => c);
  }

  admit(c: Omit<PendingCommand, 'seq'>): Promise<void> | undefined {
    const cmd = { ...c, seq: this.seq++ };
    if (!this.held || !this.filter(cmd)) return undefined;
    return new Promise((resolve) => {
      this.queue.push({ ...cmd, go: resolve });
      const w = this.watchers;
      this.watchers = [];
      for (const f of w) f();
    });
  }

  /** Releases the pending command at `index` (of `pending()`); returns it, or undefined when none waits. */
  step(index = 0): PendingCommand | undefined {
    const [e] = this.queue.splice(index, 1);
    if (!e) return undefined;
    const { go, ...c } = e;
    this.released.push(c);
    go();
    return c;
  }

  /** Waits until at least `n` commands are pending, or `ms` elapse; returns how many are pending. */
  async waitFor(n: number, ms: number): Promise<number> {
    const deadline = Date.now() + ms;
    while (this.queue.length < n) {
      const left = deadline - Date.now();
      if (left <= 0) break;
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, left);
        this.watchers.push(() => {
          clearTimeout(t);
          resolve();
        });
      });
    }
    return this.queue.length;
  }
}
