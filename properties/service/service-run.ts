import type { AdapterContext, HeldProof, ServiceAdapter } from '../../src/adapter/contract.ts';
import { checkServiceInFlight, checkServiceStep } from '../../src/checker/service-step.ts';
import type { Anomaly } from '../../src/checker/types.ts';
import { killRunSessions } from '../../src/cluster/run-sessions.ts';
import { AdapterBroke, firstLine, withTimeout } from '../../src/harness/containment.ts';
import { type RunEnv, walletAppName } from '../../src/harness/env.ts';
import type { Op } from '../../src/history/op.ts';
import { Recorder } from '../../src/history/recorder.ts';
import { ledgerBooks } from '../../src/mint/books.ts';
import type { MintFault } from '../../src/mint/faults.ts';
import { fakeInvoice } from '../../src/mint/invoice.ts';
import { TestMint } from '../../src/mint/server.ts';
import { ProcessDied, WalletProcess } from '../../src/nemesis/child.ts';
import { proofY } from '../../src/proofs/proof.ts';
import { anomalyKey, InvariantViolation } from '../model.ts';

/** How the fake Lightning network ends one payment. */
export type Outcome = 'paid' | 'failed' | 'pending-paid' | 'pending-failed' | 'slow';

export interface MeltPlan {
  amount: number;
  feeReserve: number;
  actualFee: number;
  outcome: Outcome;
}

/** What one generated run's mint is like: chosen per run, part of the counterexample. */
export interface RunParams {
  funds: number[];
  inputFeePpk: number;
  /** A failed payment answered as an error (NUT-05 20004) or as 200 with state UNPAID. */
  failedAs: 'error' | 'unpaid';
  /** NUT-17 WebSocket subscriptions served and advertised, or not (a mint without them). */
  websocket: 'on' | 'off';
}

/**
 * SIGKILL the wallet at the n-th mint call (1-based) of the next operation, before or after the mint answers; or,
 * `at: 'declared'`, at the n-th crash point the wallet declares (`ctx.crashPoint`) during it.
 */
export interface CrashPlan {
  n: number;
  when: 'before' | 'after';
  at?: 'mint' | 'declared';
}

export type FaultPlan = Pick<MintFault, 'endpoint' | 'kind' | 'ms'>;

/** Coverage paths the service property must go through (counted by the harness at the mint, never by the wallet). */
export const SERVICE_PATHS = [
  'swap-then-melt',
  'exact-melt',
  'change-returned',
  'fee-paid',
  'pending-payment',
  'crash-in-swap',
  'crash-in-melt',
  'restore-in-recovery',
] as const;

/** Paths counted and reported but not required: a wallet without declared points never reaches the last one. */
export const SERVICE_EXTRA_PATHS = [
  'keyset-rotated',
  'inactive-keyset-spent',
  'crash-at-declared-point',
  'fund-refused-after-rotation',
] as const;

const ENDPOINT_OF: Record<string, string> = { '/v1/swap': 'swap', '/v1/melt/bolt11': 'melt' };

/**
 * Wallet processes for the generated runs. A run reuses the warm process of the previous one (teardown, then setup
 * with the new run's context); a restart after a crash takes a loaded process from the run's warm pool, set up only
 * now, after the crash.
 */
export class WalletPool {
  private idle?: WalletProcess;
  constructor(private readonly env: RunEnv) {}

  async acquire(ctx: AdapterContext): Promise<WalletProcess> {
    const w = this.idle;
    this.idle = undefined;
    if (w && !w.dead) {
      try {
        await withTimeout('setup', w.call('setup', ctx), this.env.opTimeoutMs);
        return w;
      } catch {
        w.kill(); // a wallet that cannot be set up twice gets a fresh process every run
      }
    }
    return this.start(ctx);
  }

  /** A new process for this context (a warm one when the pool has it). */
  start(ctx: AdapterContext): Promise<WalletProcess> {
    return WalletProcess.start(this.env.adapter.spec, ctx, {
      registry: this.env.processes,
      log: this.env.walletLog,
      warm: this.env.warm,
    });
  }

  async release(w: WalletProcess): Promise<void> {
    if (w.dead) return;
    try {
      await withTimeout('teardown', w.call('teardown'), 5000);
      this.idle = w;
    } catch {
      w.kill();
    }
  }

  close(): void {
    this.idle?.kill();
    this.idle = undefined;
  }
}

interface OpResult {
  type: 'ok' | 'fail' | 'info';
  result?: unknown;
  error?: string;
  killed: boolean;
}

/**
 * One generated story's system: a fresh test mint, the wallet in a (warm) child process on a database of the run's
 * own, and the history. Every wallet operation, mint call, fault and crash is recorded as an op; invariants are
 * judged by the pure checker over what the wallet holds and the mint's books.
 */
export class ServiceRun {
  readonly recorder = new Recorder();
  wallet!: WalletProcess;
  mint!: TestMint;
  private ctx!: AdapterContext;
  private opCalls?: string[];
  private crash?: CrashPlan & { landed?: string };
  /** The mint rotated its keyset during this story. */
  private rotated = false;
  /** Declared crash points reached during the current operation. */
  private declared = 0;
  private open = new Map<string, Op[]>();
  private mintCalls = 0;
  private finals = new Map<string, 'paid' | 'failed'>();
  private invoices = 0;
  private readonly hasPending: boolean;

  constructor(
    private readonly env: RunEnv,
    private readonly pool: WalletPool,
    private readonly ignore: ReadonlySet<string>,
  ) {
    this.hasPending = typeof (env.adapter.adapter as ServiceAdapter).pending === 'function';
  }

  async start(dbName: string, params: RunParams): Promise<void> {
    this.mint = await TestMint.start({
      seed: 'svcprop',
      inputFeePpk: params.inputFeePpk,
      failedAs: params.failedAs,
      websocket: params.websocket === 'on',
    });
    this.mint.hooks = { onRequest: (p) => this.onRequest(p), onResponse: (p, s, b) => this.onResponse(p, s, b) };
    this.ctx = { uri: this.env.cluster.uri, dbName, appName: walletAppName(this.env), mintUrl: this.mint.url, seed: 7 };
    this.wallet = this.watch(await this.pool.acquire(this.ctx));
  }

  /** A wallet process whose declared crash points are counted, and killed at when a plan says so. */
  private watch(w: WalletProcess): WalletProcess {
    w.onCrashPoint = (label) => {
      if (!this.opCalls) return 'continue';
      if (this.crash?.landed) return 'kill';
      const n = ++this.declared;
      if (this.crash?.at !== 'declared' || this.crash.n !== n) return 'continue';
      this.kill(`at declared point ${label}`, '');
      this.tally.path('crash-at-declared-point');
      return 'kill';
    };
    return w;
  }

  /** Keyset rotation at the mint: the active keyset goes inactive, a new one with this input fee takes over. */
  rotate(ppk: number): void {
    const k = this.mint.ledger.rotate(ppk);
    this.rotated = true;
    this.tally.path('keyset-rotated');
    this.recorder.complete(this.recorder.invoke('nemesis', 'fault', { rotate: { inputFeePpk: ppk } }), 'info', {
      result: { active: k.keysetId.slice(0, 8) },
    });
  }

  async stop(): Promise<void> {
    await this.pool.release(this.wallet);
    await this.mint.stop();
  }

  get tally() {
    return this.env.tally;
  }

  get ppk(): number {
    return this.mint.ledger.activeKeyset.inputFeePpk;
  }

  /** An invoice the fake Lightning network pays as planned. */
  invoice(plan: MeltPlan): string {
    const invoice = fakeInvoice(plan.amount, `svcprop-${this.invoices++}`);
    const pending = plan.outcome.startsWith('pending');
    this.mint.lightning.plan(invoice, {
      feeReserve: plan.feeReserve,
      actualFee: plan.actualFee,
      outcome: pending ? 'pending' : plan.outcome === 'failed' ? 'failed' : 'paid',
      delayMs: plan.outcome === 'slow' ? 40 : undefined,
    });
    if (pending) this.finals.set(invoice, plan.outcome === 'pending-paid' ? 'paid' : 'failed');
    return invoice;
  }

  /**
   * Funds the wallet, with the armed crash held back for the next step (funding is setup, not what is judged);
   * the invariants after it. True when the wallet funded.
   */
  async fund(amount: number): Promise<boolean> {
    const crash = this.crash;
    this.crash = undefined;
    try {
      const r = await this.op('p0', 'fund', { amount }, () => this.wallet.call('fund', amount));
      // After a keyset rotation a wallet that has not learnt the new keyset is refused (12002): its deposit is not
      // issued, nothing is lost, and the story goes on. Otherwise funding is setup, and a fund() that throws means the
      // story cannot be told.
      if (r.type !== 'ok' && this.rotated && !this.wallet.dead) {
        this.tally.path('fund-refused-after-rotation');
        return false;
      }
      if (r.type !== 'ok') throw new AdapterBroke(`fund(${amount}) threw: ${r.error}`);
      await this.judge(`Fund(${amount})`, {});
      return true;
    } finally {
      this.crash = crash;
    }
  }

  armFault(f: FaultPlan): void {
    this.mint.faults.addNext(f);
    this.recorder.complete(this.recorder.invoke('nemesis', 'fault', { ...f }), 'info', {
      result: { armed: `${f.kind} at the next ${f.endpoint}` },
    });
  }

  armCrash(c: CrashPlan): void {
    this.crash = { ...c };
  }

  private onRequest(path: string): 'drop' | undefined {
    // Once the kill is decided the process is as good as dead: what it sends before the signal lands is lost.
    if (this.crash?.landed && this.opCalls) return 'drop';
    const n = ++this.mintCalls;
    const op = this.recorder.invoke(`mint.${n}`, 'mint', { path });
    this.open.set(path, [...(this.open.get(path) ?? []), op]);
    this.opCalls?.push(path);
    const index = this.opCalls?.length ?? 0;
    (op.value as Record<string, unknown>).call = index;
    if (this.crashesAtCall(index, 'before')) {
      this.kill(`before ${path}`, path);
      return 'drop';
    }
    return undefined;
  }

  /** Whether the armed crash plan kills at the index-th mint call of the current operation, at this moment. */
  private crashesAtCall(index: number | undefined, when: 'before' | 'after'): boolean {
    const c = this.crash;
    return Boolean(c && !c.landed && c.at !== 'declared' && this.opCalls && c.n === index && c.when === when);
  }

  /** 'kill' when the wallet is killed here (the mint then cuts its WebSocket subscribers). */
  private onResponse(path: string, status: number, body: unknown): 'kill' | undefined {
    const [op, ...rest] = this.open.get(path) ?? [];
    this.open.set(path, rest);
    if (op)
      this.recorder.complete(op, status < 400 ? 'ok' : 'fail', {
        result: { status, ...(path === '/v1/restore' ? { restored: restoredCount(body) } : {}) },
      });
    if (path === '/v1/restore' && this.opCalls && this.restoring && restoredCount(body) > 0)
      this.tally.path('restore-in-recovery');
    const index = (op?.value as { call?: number } | undefined)?.call;
    if (this.crashesAtCall(index, 'after')) {
      this.kill(`after ${path}`, path);
      return 'kill';
    }
    return undefined;
  }

  private restoring = false;

  private kill(label: string, path: string): void {
    this.crash!.landed = label;
    this.tally.crashesLanded++;
    const where = ENDPOINT_OF[path];
    if (where) this.tally.path(`crash-in-${where}`);
    this.recorder.complete(this.recorder.invoke('nemesis', 'crash', { at: label }), 'info', {
      result: { signal: 'SIGKILL' },
    });
    this.wallet.kill();
  }

  /** One wallet operation, recorded; mint calls made meanwhile are the operation's (crash points count them). */
  async op(
    process: string,
    f: Op['f'],
    value: Record<string, unknown>,
    call: () => Promise<unknown>,
  ): Promise<OpResult> {
    const inv = this.recorder.invoke(process, f, value);
    try {
      const result = await withTimeout(`${f}`, call(), this.env.opTimeoutMs);
      this.recorder.complete(inv, 'ok', { result: summary(result) });
      return { type: 'ok', result, killed: false };
    } catch (e) {
      if (e instanceof AdapterBroke) {
        this.tally.opTimeouts++;
        this.recorder.complete(inv, 'info', { error: { name: 'OpTimeout', message: firstLine(e) } });
        throw e;
      }
      const killed = e instanceof ProcessDied;
      const err = e as { name?: string; code?: string | number };
      this.recorder.complete(inv, 'info', {
        error: { name: err.name ?? 'Error', code: err.code, message: firstLine(e) },
      });
      return { type: 'info', error: firstLine(e), killed };
    }
  }

  /**
   * Runs the step's operations with crash and fault plans armed, then what the step needs to end quiescent: a new
   * wallet process if it was killed, the pending payments of the step settled as planned, recover() when anything
   * was left unfinished. Then the invariants.
   */
  async step(name: string, body: () => Promise<OpResult[]>, o: { recoverTwice?: boolean } = {}): Promise<void> {
    const quotesBefore = new Set(this.mint.ledger.meltQuotes.keys());
    const totals = { ...this.mint.ledger.totals };
    const inactiveBefore = this.mint.ledger.redeemedInactive;
    this.opCalls = [];
    this.declared = 0;
    let results: OpResult[];
    const calls = this.opCalls;
    try {
      results = await body();
    } finally {
      this.opCalls = undefined;
      this.crash = undefined;
    }
    this.mint.faults.clear();
    const killed = results.some((r) => r.killed) || this.wallet.dead;
    if (killed) await this.restart();
    const stepQuotes = [...this.mint.ledger.meltQuotes.values()].filter((q) => !quotesBefore.has(q.quote));
    const pendingNow = stepQuotes.filter((q) => q.state === 'PENDING');
    if (pendingNow.length) {
      this.tally.path('pending-payment', pendingNow.length);
      await this.judge(`${name} (payment pending)`, { inFlight: true });
      for (const q of pendingNow) {
        const outcome = this.finals.get(q.request) ?? 'paid';
        this.mint.ledger.settle(q.quote, outcome);
        this.recorder.complete(this.recorder.invoke('lightning', 'fault', { settle: q.quote }), 'info', {
          result: { outcome },
        });
      }
    }
    let recovered = false;
    if (killed || pendingNow.length || results.some((r) => r.type !== 'ok') || o.recoverTwice) {
      await this.recover();
      recovered = true;
    }
    this.coverage(stepQuotes, totals, results.length === 1 ? calls : undefined);
    if (this.mint.ledger.redeemedInactive > inactiveBefore) this.tally.path('inactive-keyset-spent');
    let again: HeldProof[] | undefined;
    if (o.recoverTwice) {
      const before = await this.read('holdings');
      await this.recover();
      again = await this.read('holdings');
      await this.judge(name, { recovered, holdings: before, again });
      return;
    }
    await this.judge(name, { recovered });
  }

  /** recover(); a recover() that throws (a fault at restore) is retried once, as a wallet's next start would. */
  private async recover(): Promise<void> {
    this.restoring = true;
    this.opCalls = [];
    try {
      const r = await this.op('p0', 'recover', {}, () => this.wallet.call('recover'));
      this.mint.faults.clear();
      if (r.type !== 'ok') {
        if (this.wallet.dead) await this.restart();
        await this.op('p0', 'recover', { retry: true }, () => this.wallet.call('recover'));
      }
    } finally {
      this.restoring = false;
      this.opCalls = undefined;
    }
  }

  private async restart(): Promise<void> {
    await killRunSessions(this.env.admin, walletAppName(this.env)).catch(() => 0);
    const inv = this.recorder.invoke('nemesis', 'crash', { restart: true });
    this.wallet = this.watch(await this.pool.start(this.ctx));
    this.recorder.complete(inv, 'ok', { result: { newProcess: true } });
  }

  /** What the step went through, seen at the mint; `calls`: the mint calls of a step of one operation, in order. */
  private coverage(
    quotes: { state: string; change?: unknown[] }[],
    totals: Record<string, number>,
    calls?: string[],
  ): void {
    const t = this.mint.ledger.totals;
    if (t.inputFees + t.lightningFees > totals.inputFees + totals.lightningFees) this.tally.path('fee-paid');
    for (const q of quotes) if (q.state === 'PAID' && q.change?.length) this.tally.path('change-returned');
    if (!calls) return;
    const melted = calls.indexOf('/v1/melt/bolt11');
    if (melted < 0) return;
    if (calls.slice(0, melted).includes('/v1/swap')) this.tally.path('swap-then-melt');
    else if (quotes.some((q) => q.state === 'PAID' && !q.change?.length)) this.tally.path('exact-melt');
  }

  private async read(what: 'holdings' | 'pending'): Promise<HeldProof[]> {
    const r = await this.op('reader', what, {}, () => this.wallet.call<HeldProof[]>(what));
    if (r.type !== 'ok') throw new AdapterBroke(`${what}() threw: ${r.error}`);
    return r.result as HeldProof[];
  }

  private async judge(
    step: string,
    o: { inFlight?: boolean; recovered?: boolean; holdings?: HeldProof[]; again?: HeldProof[] },
  ): Promise<void> {
    const holdings = o.holdings ?? (await this.read('holdings'));
    const books = ledgerBooks(this.mint.ledger);
    let anomalies: Anomaly[];
    if (o.inFlight) anomalies = checkServiceInFlight(holdings, books);
    else {
      if (books.balanced === false && books.totals.pendingMelts === 0)
        throw new AdapterBroke("the test mint's books do not balance (harness bug)");
      const pending = this.hasPending ? await this.read('pending') : undefined;
      anomalies = checkServiceStep({
        holdings,
        pending,
        books,
        again: o.again,
        recovered: Boolean(o.recovered),
      }).anomalies;
    }
    const fresh = anomalies.filter((a) => !this.ignore.has(anomalyKey(a)));
    if (fresh.length)
      throw new InvariantViolation(
        `after ${step}: ${fresh.map((a) => `[${a.invariant}] ${a.message}`).join('; ')}`,
        fresh,
      );
  }
}

function restoredCount(body: unknown): number {
  return (body as { signatures?: unknown[] } | undefined)?.signatures?.length ?? 0;
}

/** An operation's result for the history: small, and never a proof's secret (proofs by Y only). */
function summary(result: unknown): Record<string, unknown> {
  if (Array.isArray(result) && result.every((p) => p && typeof p === 'object' && 'secret' in p))
    return {
      proofs: result.length,
      amount: result.reduce((s, p) => s + Number(p.amount), 0),
      ys: result.map((p) => proofY(String(p.secret)).slice(0, 16)),
    };
  const text = JSON.stringify(result ?? null);
  return { summary: text.length > 300 ? `${text.slice(0, 300)}…` : text };
}
