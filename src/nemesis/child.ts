import { type ChildProcess, fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { AdapterContext } from '../adapter/contract.ts';
import { trackChild } from '../harness/cleanup.ts';

const ENTRY = fileURLToPath(new URL('./wallet-process.ts', import.meta.url));

/** Thrown when the wallet process died before answering: the operation's outcome is unknown. */
export class ProcessDied extends Error {
  readonly indeterminate = true;
}

/** A wallet adapter running in a child process, callable over IPC and killable (SIGKILL) at any time. */
export class WalletProcess {
  private calls = new Map<number, { resolve: (v: unknown) => void; reject: (e: unknown) => void }>();
  private next = 1;
  private exited = false;

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
    child.on('exit', () => {
      this.exited = true;
      for (const c of this.calls.values()) c.reject(new ProcessDied('wallet process died before answering'));
      this.calls.clear();
    });
  }

  static async start(adapter: string, ctx: AdapterContext): Promise<WalletProcess> {
    const child = fork(ENTRY, [], {
      execArgv: ['--import', 'tsx'],
      env: { ...process.env, MELTCHECK_CHILD: JSON.stringify({ adapter, ctx }) },
      stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
    });
    trackChild(child);
    await new Promise<void>((resolve, reject) => {
      child.once('message', () => resolve());
      child.once('exit', (code) => reject(new Error(`wallet process exited during setup (code ${code})`)));
    });
    return new WalletProcess(child, ctx.appName);
  }

  call<T = unknown>(op: string, ...args: unknown[]): Promise<T> {
    if (this.exited) return Promise.reject(new ProcessDied('wallet process is not running'));
    const id = this.next++;
    return new Promise<T>((resolve, reject) => {
      this.calls.set(id, { resolve: resolve as (v: unknown) => void, reject });
      this.child.send({ id, op, args });
    });
  }

  kill(): void {
    if (!this.exited) this.child.kill('SIGKILL');
  }

  async stop(): Promise<void> {
    if (this.exited) return;
    await this.call('teardown').catch(() => {});
    this.kill();
  }

  get dead(): boolean {
    return this.exited;
  }
}
