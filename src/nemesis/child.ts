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

  private constructor(
    private readonly child: ChildProcess,
    /** The driver appName the wallet was given: the proxy and fail points tell processes apart by it. */
    readonly appName: string,
  ) {
    child.on('message', (m: { id?: number; ok?: boolean; result?: unknown; error?: Record<string, unknown> }) => {
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
   * Starts the adapter in a new process and runs its setup there. `registry` collects every process of a check
   * (the runner kills them all afterwards and asks which died on their own); the wallet's stdout and stderr go to
   * `log` (the report's wallet.log), never onto meltcheck's own output.
   */
  static async start(
    adapter: string,
    ctx: AdapterContext,
    opts: { registry?: Set<WalletProcess>; log?: NodeJS.WritableStream } = {},
  ): Promise<WalletProcess> {
    const child = fork(ENTRY, [], {
      execArgv: EXEC_ARGV,
      env: { ...process.env, MELTCHECK_CHILD: JSON.stringify({ adapter, ctx }) },
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    });
    trackChild(child);
    for (const stream of [child.stdout, child.stderr]) {
      if (opts.log) stream?.pipe(opts.log, { end: false });
      else stream?.resume();
    }
    const ready = new Promise<void>((resolve, reject) => {
      child.once('message', (m: { ready?: boolean; setupError?: string }) =>
        m.setupError ? reject(new AdapterBroke(`adapter setup threw: ${m.setupError}`)) : resolve(),
      );
      child.once('exit', (code, signal) =>
        reject(new AdapterBroke(`wallet process exited during setup (code ${code ?? signal})`)),
      );
    });
    const w = new WalletProcess(child, ctx.appName);
    opts.registry?.add(w);
    await ready;
    return w;
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
