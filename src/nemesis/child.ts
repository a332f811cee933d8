import { type ChildProcess, fork } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { AdapterContext } from '../adapter/contract.ts';
import { trackChild } from '../harness/cleanup.ts';
import { AdapterBroke, withTimeout } from '../harness/containment.ts';
import { MODULE_EXT } from '../package-root.ts';

const ENTRY = fileURLToPath(new URL(`./wallet-process${MODULE_EXT}`, import.meta.url));
// From the sources the entry itself is TypeScript; the built entry loads adapters through tsx's scoped API.
const EXEC_ARGV =
  MODULE_EXT === '.ts' ? ['--import', pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href] : [];

/** Where loaded processes come from ahead of need (WarmPool). */
export interface ProcessSource {
  take(adapter: string, log?: NodeJS.WritableStream): LoadedProcess;
}

/** Thrown when the wallet process died before answering: the operation's outcome is unknown. */
export class ProcessDied extends Error {
  readonly indeterminate = true;
}

/** A wallet adapter running in a child process, callable over IPC and killable (SIGKILL) at any time. */
export class WalletProcess {
  private calls = new Map<number, { resolve: (v: unknown) => void; reject: (e: unknown) => void }>();
  private next = 1;
  private exited = false;
  private killed = false;
  /** Set when the process ended without the harness killing or stopping it: the adapter broke. */
  diedOnItsOwn?: string;
  /**
   * Consulted at each declared crash point the wallet reaches (`ctx.crashPoint(label)`): 'kill' SIGKILLs the
   * process there, before the wallet goes on; anything else lets it go on. Unset: every point goes on at once.
   */
  onCrashPoint?: (label: string) => 'kill' | 'continue';

  private constructor(
    private readonly child: ChildProcess,
    /** The driver appName the wallet was given: the proxy and fail points tell processes apart by it. */
    public appName: string,
  ) {
    child.on('message', (m: { id?: number; ok?: boolean; result?: unknown; error?: Record<string, unknown> }) => {
      const point = m as { crashPoint?: string; seq?: number };
      if (point.crashPoint !== undefined) {
        if (this.onCrashPoint?.(point.crashPoint) === 'kill') this.kill();
        else if (!this.exited) this.child.send({ crashPointAck: point.seq }, () => {});
        return;
      }
      const call = m.id !== undefined ? this.calls.get(m.id) : undefined;
      if (!call) return;
      this.calls.delete(m.id!);
      if (m.ok) call.resolve(m.result);
      else call.reject(Object.assign(new Error(String(m.error?.message)), m.error));
    });
    // IPC errors of a dying child surface through the calls they fail; never as an uncaught 'error' event.
    child.on('error', () => {});
    child.on('exit', (code, signal) => {
      this.exited = true;
      if (!this.killed) this.diedOnItsOwn = `wallet process ${appName} exited on its own (code ${code ?? signal})`;
      for (const c of this.calls.values()) c.reject(new ProcessDied('wallet process died before answering'));
      this.calls.clear();
    });
  }

  /**
   * Starts the adapter in a process (a warm one from `opts.warm` when it holds one for this adapter, else a new
   * one) and runs its setup there. `registry` collects every process of a check (the runner kills them all
   * afterwards and asks which died on their own); the wallet's stdout and stderr go to `log` (the report's
   * wallet.log), never onto meltcheck's own output.
   */
  static async start(
    adapter: string,
    ctx: AdapterContext,
    opts: {
      registry?: Set<WalletProcess>;
      log?: NodeJS.WritableStream;
      warm?: ProcessSource;
      signal?: AbortSignal;
    } = {},
  ): Promise<WalletProcess> {
    const loaded = opts.warm?.take(adapter, opts.log) ?? LoadedProcess.fork(adapter, opts.log);
    return loaded.setup(ctx, opts.registry, opts.signal);
  }

  /** Wraps a loaded child once its setup is under way (LoadedProcess.setup). */
  static adopt(child: ChildProcess, appName: string): WalletProcess {
    return new WalletProcess(child, appName);
  }

  /** A new setup of a process whose wallet was torn down (`teardown`), for another context. */
  async setup(ctx: AdapterContext): Promise<void> {
    this.appName = ctx.appName;
    const { crashPoint: _, ...plain } = ctx;
    await this.call('setup', plain).catch((e) => {
      throw e instanceof ProcessDied ? e : new AdapterBroke(`adapter setup threw: ${(e as Error).message}`);
    });
  }

  call<T = unknown>(op: string, ...args: unknown[]): Promise<T> {
    if (this.exited) return Promise.reject(new ProcessDied('wallet process is not running'));
    const id = this.next++;
    return new Promise<T>((resolve, reject) => {
      this.calls.set(id, { resolve: resolve as (v: unknown) => void, reject });
      // A process dying between the check and the send must fail this call, not raise EPIPE in the harness.
      this.child.send({ id, op, args }, (err) => {
        if (!err || !this.calls.has(id)) return;
        this.calls.delete(id);
        reject(new ProcessDied(`wallet process is not running (${err.message})`));
      });
    });
  }

  kill(): void {
    this.killed = true;
    if (!this.exited) this.child.kill('SIGKILL');
  }

  /** Teardown (bounded: a wallet that does not answer is killed anyway), then SIGKILL. */
  async stop(): Promise<void> {
    if (this.exited) return;
    this.killed = true;
    await withTimeout('teardown', this.call('teardown'), 5000).catch(() => {});
    this.kill();
  }

  get dead(): boolean {
    return this.exited;
  }
}

/**
 * A wallet process that has loaded the adapter module and waits for its context. Loading (tsx, the driver, the
 * wallet's own imports) is most of a process start; a warm pool does it ahead of the check that needs it.
 */
export class LoadedProcess {
  private constructor(
    private readonly child: ChildProcess,
    /** Settles when the module loaded; rejects when the process ended first. */
    readonly loaded: Promise<void>,
  ) {}

  static fork(adapter: string, log?: NodeJS.WritableStream): LoadedProcess {
    const child = fork(ENTRY, [], {
      execArgv: EXEC_ARGV,
      env: { ...process.env, MELTCHECK_CHILD: JSON.stringify({ adapter }) },
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    });
    trackChild(child);
    child.on('error', () => {});
    for (const stream of [child.stdout, child.stderr]) {
      if (log) stream?.pipe(log, { end: false });
      else stream?.resume();
    }
    const loaded = new Promise<void>((resolve, reject) => {
      const onExit = (code: number | null, signal: string | null) =>
        reject(new AdapterBroke(`wallet process exited during setup (code ${code ?? signal})`));
      child.once('exit', onExit);
      child.once('message', () => {
        child.off('exit', onExit);
        resolve();
      });
    });
    loaded.catch(() => {});
    return new LoadedProcess(child, loaded);
  }

  /**
   * Hands the process its context and runs the adapter's setup; resolves once the wallet is ready. Aborted while
   * it still loads (a spare nobody will use), the process is killed at once instead of being waited for.
   */
  async setup(ctx: AdapterContext, registry?: Set<WalletProcess>, signal?: AbortSignal): Promise<WalletProcess> {
    const { child } = this;
    await new Promise<void>((resolve, reject) => {
      const cancel = () => {
        this.discard();
        reject(new ProcessDied('wallet process no longer needed'));
      };
      if (signal?.aborted) return cancel();
      signal?.addEventListener('abort', cancel, { once: true });
      this.loaded.then(resolve, reject).finally(() => signal?.removeEventListener('abort', cancel));
    });
    // A warm process may have died while it waited: its setup would never answer.
    if (child.exitCode !== null || child.signalCode !== null)
      throw new AdapterBroke(`wallet process exited before setup (code ${child.exitCode ?? child.signalCode})`);
    const ready = new Promise<void>((resolve, reject) => {
      const first = (m: { ready?: boolean; setupError?: string }) => {
        if (!m.ready && !m.setupError) return; // a declared crash point during setup: the instance answers it
        child.off('message', first);
        if (m.setupError) reject(new AdapterBroke(`adapter setup threw: ${m.setupError}`));
        else resolve();
      };
      child.on('message', first);
      child.once('exit', (code, signal) =>
        reject(new AdapterBroke(`wallet process exited during setup (code ${code ?? signal})`)),
      );
    });
    const w = WalletProcess.adopt(child, ctx.appName);
    registry?.add(w);
    const { crashPoint: _, ...plain } = ctx;
    child.send({ setup: plain });
    await ready;
    return w;
  }

  /** Ends a process nobody took (the pool closing). */
  discard(): void {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGKILL');
  }
}
