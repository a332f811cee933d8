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
  /** Gated commands past the gate and not yet answered, per appName. */
  private running = new Map<string, number>();
  /** How many of an appName's commands wait inside the server for another's transaction (set by the simulator). */
  blockedIn: (appName: string) => number = () => 0;
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

  /** The server began running a gated command of `appName` (after the gate let it through). */
  entered(appName: string | undefined): void {
    if (appName !== undefined) this.running.set(appName, (this.running.get(appName) ?? 0) + 1);
  }

  /** The server answered (or dropped) that command. */
  left(appName: string | undefined): void {
    if (appName === undefined) return;
    const n = (this.running.get(appName) ?? 1) - 1;
    if (n > 0) this.running.set(appName, n);
    else this.running.delete(appName);
  }

  /**
   * Whether a client can do nothing more until the harness steps the gate: a command of it waits at the gate, or
   * every command it has inside the server waits for another client's transaction. A client that is between
   * commands, or whose command is running, is not settled: what it does next is not yet known.
   */
  settled(appName: string): boolean {
    if (this.queue.some((e) => e.appName === appName)) return true;
    const running = this.running.get(appName) ?? 0;
    return running > 0 && this.blockedIn(appName) >= running;
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
