import { type ChildProcess, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { nutshellMissing, nutshellVenv } from './install.ts';

/** FakeWallet's own outcome settings (nutshell reads them per call, but only from its environment at start). */
export interface FakeWalletSettings {
  /** What paying an invoice returns: SETTLED (default), FAILED, PENDING. */
  payInvoiceState?: 'SETTLED' | 'FAILED' | 'PENDING';
  /** What a later payment-status check returns (pending melts are resolved with it): SETTLED by default. */
  paymentState?: 'SETTLED' | 'FAILED' | 'PENDING';
}

export interface NutshellOptions {
  /** Makes the mint's private key (and so its keysets) reproducible. */
  label: string;
  inputFeePpk?: number;
  fakeWallet?: FakeWalletSettings;
}

const LAUNCH = join(dirname(fileURLToPath(import.meta.url)), 'launch.py');

/** 2033-05-18: "no expiry" for a rotated keyset (see rotateKeyset). */
const NO_EXPIRY = 2_000_000_000;

const live = new Set<NutshellProcess>();
let hooked = false;
/** Nothing outlives meltcheck: on exit (Ctrl-C ends in process.exit) every nutshell is killed and its dir removed. */
function hookExit(): void {
  if (hooked) return;
  hooked = true;
  process.on('exit', () => {
    for (const n of live) n.killNow();
  });
}

async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as { port: number }).port;
  await new Promise((r) => s.close(r));
  return port;
}

/**
 * One nutshell mint (FakeWallet backend) as a child process: its own data directory under the system temp dir,
 * a loopback port, a clean environment (no .env of the user's is read), no rate limits. `restart()` keeps the
 * data directory and port, so FakeWallet's settings can change between two phases of a story.
 */
export class NutshellProcess {
  readonly dir: string;
  private child?: ChildProcess;
  private constructor(
    readonly options: NutshellOptions,
    readonly port: number,
    /** nutshell's management RPC (insecure, loopback): keyset rotation. */
    readonly rpcPort: number,
  ) {
    this.dir = mkdtempSync(join(tmpdir(), 'meltcheck-nutshell-'));
  }

  static async start(options: NutshellOptions): Promise<NutshellProcess> {
    const missing = nutshellMissing();
    if (missing) throw new Error(missing);
    hookExit();
    const n = new NutshellProcess(options, await freePort(), await freePort());
    live.add(n);
    try {
      await n.spawn(options.fakeWallet ?? {});
    } catch (e) {
      await n.stop();
      throw e;
    }
    return n;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  get database(): string {
    return join(this.dir, 'db');
  }

  private env(fw: FakeWalletSettings): Record<string, string> {
    const key = createHash('sha256').update(`meltcheck-nutshell/${this.options.label}`).digest('hex');
    return {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      HOME: this.dir,
      CASHU_DIR: this.dir,
      MINT_BACKEND_BOLT11_SAT: 'FakeWallet',
      MINT_LISTEN_HOST: '127.0.0.1',
      MINT_LISTEN_PORT: String(this.port),
      MINT_PRIVATE_KEY: key,
      MINT_DATABASE: this.database,
      MINT_AUTH_DATABASE: join(this.dir, 'auth'),
      MINT_INPUT_FEE_PPK: String(this.options.inputFeePpk ?? 0),
      MINT_RATE_LIMIT: 'false',
      MINT_RPC_SERVER_ENABLE: 'true',
      MINT_RPC_SERVER_MUTUAL_TLS: 'false',
      MINT_RPC_SERVER_ADDR: '127.0.0.1',
      MINT_RPC_SERVER_PORT: String(this.rpcPort),
      FAKEWALLET_BRR: 'true',
      FAKEWALLET_DELAY_INCOMING_PAYMENT: '0',
      FAKEWALLET_DELAY_OUTGOING_PAYMENT: '0',
      FAKEWALLET_PAY_INVOICE_STATE: fw.payInvoiceState ?? 'SETTLED',
      FAKEWALLET_PAYMENT_STATE: fw.paymentState ?? 'SETTLED',
      DEBUG: 'false',
    };
  }

  private async spawn(fw: FakeWalletSettings): Promise<void> {
    const log = openSync(join(this.dir, 'mint.log'), 'a');
    // stdin stays open: launch.py ends nutshell when it closes (this process died, even by SIGKILL).
    const child = spawn(join(nutshellVenv(), 'bin', 'python'), [LAUNCH], {
      cwd: this.dir,
      env: this.env(fw),
      stdio: ['pipe', log, log],
    });
    closeSync(log);
    this.child = child;
    let exited: string | undefined;
    child.once('exit', (code, signal) => {
      exited = `exited (${signal ?? code})`;
    });
    const deadline = Date.now() + 30_000;
    while (Date.now() < deadline) {
      if (exited) break;
      const ok = await fetch(`${this.url}/v1/info`).then(
        (r) => r.ok,
        () => false,
      );
      if (ok) return;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`nutshell did not start (${exited ?? 'no answer in 30 s'}): ${this.logTail()}`);
  }

  logTail(): string {
    try {
      return readFileSync(join(this.dir, 'mint.log'), 'utf8').trim().split('\n').slice(-3).join(' | ');
    } catch {
      return '(no log)';
    }
  }

  private async kill(): Promise<void> {
    const c = this.child;
    this.child = undefined;
    if (!c || c.exitCode !== null || c.signalCode !== null) return;
    const gone = new Promise((r) => c.once('exit', r));
    c.kill('SIGTERM');
    const t = setTimeout(() => c.kill('SIGKILL'), 3000);
    await gone;
    clearTimeout(t);
  }

  /** Rotates to the next keyset for sat with this input fee (nutshell's `mint-cli next-keyset`). */
  async rotateKeyset(inputFeePpk: number): Promise<void> {
    const { execFile } = await import('node:child_process');
    const out = await new Promise<string>((resolve, reject) =>
      execFile(
        join(nutshellVenv(), 'bin', 'mint-cli'),
        // max_order 64 is nutshell's default. A final expiry must be given: left out, the request carries 0, which
        // wallets (cashu-ts) read as a keyset that expired in 1970 and refuse to use.
        [
          ...['--host', '127.0.0.1', '--port', String(this.rpcPort), '--insecure'],
          ...['next-keyset', 'sat', String(inputFeePpk), '64', String(NO_EXPIRY)],
        ],
        { cwd: this.dir, env: { PATH: process.env.PATH ?? '', HOME: this.dir } },
        (err, stdout, stderr) =>
          err || /Error/.test(stderr) ? reject(new Error(`nutshell next-keyset: ${stderr || err}`)) : resolve(stdout),
      ),
    );
    if (!/successfully/.test(out)) throw new Error(`nutshell next-keyset: ${out.trim()}`);
  }

  /** Stops the process, keeps the data directory, starts again on the same port with these FakeWallet settings. */
  async restart(fw: FakeWalletSettings): Promise<void> {
    await this.kill();
    await this.spawn(fw);
  }

  async stop(): Promise<void> {
    await this.kill();
    live.delete(this);
    rmSync(this.dir, { recursive: true, force: true });
  }

  /** Synchronous, for process exit. */
  killNow(): void {
    this.child?.kill('SIGKILL');
    rmSync(this.dir, { recursive: true, force: true });
  }
}
