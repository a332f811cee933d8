import type { AdapterContext, HeldProof } from '../adapter/contract.ts';
import { checkService } from '../checker/service-books.ts';
import type { Anomaly } from '../checker/types.ts';
import { killRunSessions } from '../cluster/run-sessions.ts';
import { claimDatabase, type RunEnv, walletAppName } from '../harness/env.ts';
import { Recorder } from '../history/recorder.ts';
import { sinceBooks } from '../mint/books.ts';
import { type MintChannel, type MintProvider, type ServedMint, testMintProvider } from '../mint/provider.ts';
import { ProcessDied, type WalletProcess } from '../nemesis/child.ts';
import { eventName, interpretServiceCrash, type ServiceCrashPlan } from '../nemesis/plan.ts';
import { WireProxy } from '../nemesis/proxy.ts';
import { ProcessRecycler } from '../nemesis/recycler.ts';
import { type ObservedEvent, ServiceObserver } from '../nemesis/service-observer.ts';
import { failuresOf, resultOf } from '../report/failures.ts';
import type { CheckResult, Failure } from '../report/types.ts';
import { FIXED_STORY, type MeltShape, type ShapeSeen, unexercised } from './service-shapes.ts';
import type { Check } from './types.ts';

/** How long the wallet must stay quiet after fund() before the melt starts, when it works in the background. */
const BACKGROUND_QUIET_MS = 150;

interface PointRun {
  events: ObservedEvent[];
  background: string[];
  fired: boolean;
  outcome: string;
  recovered: unknown;
  anomalies: Anomaly[];
  numbers: Record<string, number>;
  seen: ShapeSeen;
  history: Recorder['history'];
}

export interface ServiceEnumeration {
  name: string;
  fullOnly: boolean;
  shapes: readonly MeltShape[];
  /** The plan generator: the crash plans of one shape, from the events its dry run made. */
  plans(shape: MeltShape, events: readonly ObservedEvent[]): ServiceCrashPlan[];
}

/**
 * The service-level enumeration, over melt shapes. For each shape: a dry run (no crash) shows which events the
 * melt makes — mint calls, database commands, the wallet's declared crash points — and whether the shape's
 * demands were met; then one run per plan of the generator: the wallet runs in a child process, the interpreter
 * (`interpretServiceCrash`) SIGKILLs it at the plan's point and records the crash in the history, a new process
 * calls recover(), and the holdings are judged against the mint's books (`checkService`, pure).
 */
export function serviceEnumeration(e: ServiceEnumeration): Check {
  const { name, shapes } = e;
  return {
    name,
    kind: 'crash-points',
    level: 'service',
    fullOnly: e.fullOnly,
    invariants: ['no-double-count', 'conservation', 'recovery'],
    minimum: { crashesLanded: 1 },
    walletProcesses: true,
    async run(env, opts) {
      const started = Date.now();
      if (env.mint?.kind === 'url')
        return {
          ...resultOf(name, 'crash-points', started, { runs: 0, invariants: this.invariants, failures: [] }),
          status: 'skip',
          skipReason: 'an external mint (--mint url:): meltcheck cannot read its books to judge the holdings by',
        };
      const proxy = await WireProxy.fromUri(env.cluster.uri).start();
      const pool = new ProcessRecycler(env.adapter.spec, {
        registry: env.processes,
        log: env.walletLog,
        warm: env.warm,
      });
      const provider = env.mint ?? testMintProvider;
      // A mint slow to start (nutshell) serves every point, reached through a channel of the point's own; each
      // point's wallet then gets a seed of its own and is judged on the change in the mint's totals.
      const shared =
        provider.kind === 'test' ? undefined : await provider.start({ label: `svc${env.seed}`, inputFeePpk: 100 });
      const points: NonNullable<CheckResult['points']> = [];
      const failures: Failure[] = [];
      const notExercised: string[] = [];
      const notLanded: string[] = [];
      const shapeStats: Record<string, number> = {};
      let rig: Rig | undefined;
      try {
        const ctxOf = counter(env, proxy.uri, name, shared !== undefined);
        rig = { proxy, pool, shared, prepared: new Preparer(env, pool, provider, shared, ctxOf) };
        // Only the test mint quotes the fee reserve and charges the fee a shape asks for (nutshell's FakeWallet has
        // its own): elsewhere the sweep would be not-exercised by construction, so one story runs, as it did before.
        const swept = provider.kind === 'test' ? shapes : [FIXED_STORY];
        for (const shape of swept) {
          if (opts.firstFailure && failures.length) break;
          const dry = await runPoint(env, rig, shape);
          // Calls made while no operation ran are named here, apart from the points (they are never targeted).
          const apart = dry.background.length
            ? ` (background, not targeted: ${[...new Set(dry.background)].join(', ')})`
            : '';
          points.push(
            entry(shape, 'none', `no crash${apart}`, dry, dry.anomalies.length === 0 && dry.outcome === 'ok'),
          );
          const missed = unexercised(shape, dry.seen);
          if (missed) notExercised.push(missed);
          if (dry.outcome !== 'ok' || dry.anomalies.length)
            failures.push({
              id: `${name}#${shape.name}-none`,
              invariant: dry.anomalies[0]?.invariant ?? 'expectation',
              check: name,
              type: 'uncrashed-melt',
              message: `shape ${shape.name}, the melt without any crash: ${dry.outcome}; ${dry.anomalies.map((a) => a.message).join('; ')}`,
              steps: dry.history,
              witness: { shape: shape.name, numbers: dry.numbers },
              replay: '',
              replayData: { check: name, seed: env.seed },
            });
          const plans = e.plans(shape, dry.events);
          shapeStats[`${shape.name}Points`] = plans.length;
          // Background work seen in the dry run: each crash run waits for it too, so labels stay where they were.
          const quiet = dry.background.length ? BACKGROUND_QUIET_MS : 0;
          for (const plan of plans) {
            if (opts.firstFailure && failures.length) break;
            const r = await runPoint(env, rig, shape, plan, quiet);
            if (!r.fired) notLanded.push(`${shape.name}: ${plan.label}`);
            points.push(
              entry(shape, plan.label, eventName(plan.at), r, r.fired ? r.anomalies.length === 0 : 'unknown'),
            );
            failures.push(
              ...failuresOf(r.anomalies, {
                check: name,
                prefix: `shape ${shape.name}: SIGKILL ${plan.label}, then recover(): `,
                steps: r.history,
                witness: { shape: shape.name, crash: plan.at, recovered: r.recovered as never },
                tag: `${shape.name}-${plan.label}`.replace(/[^A-Za-z0-9#-]+/g, '_'),
                seed: env.seed,
              }),
            );
          }
          if (dry.background.length) shapeStats[`${shape.name}Background`] = dry.background.length;
        }
      } finally {
        await rig?.prepared.close().catch(() => {});
        await pool.close().catch(() => {});
        await shared?.stop();
        await proxy.stop();
      }
      const declared = [...new Set(points.filter((p) => p.command.includes(': declared ')).map((p) => p.command))];
      const result = resultOf(name, 'crash-points', started, {
        runs: points.length,
        invariants: this.invariants,
        failures,
        stats: {
          points: points.length,
          shapes: provider.kind === 'test' ? shapes.length : 1,
          declaredPoints: declared.length,
          notLanded: notLanded.length,
          ...shapeStats,
        },
        points,
      });
      // A shape the wallet did not take, or a crash that never landed, is not a pass: the point was not tried.
      const gaps = [...notExercised, ...notLanded.map((p) => `crash point never reached: ${p}`)];
      if (!failures.length && gaps.length) return { ...result, status: 'not-exercised', reason: gaps.join('; ') };
      return result;
    },
  };
}

function entry(shape: MeltShape, point: string, command: string, r: PointRun, valid: boolean | 'unknown') {
  return {
    point: `${shape.name}: ${point}`,
    command,
    outcome: r.outcome,
    valid,
    anomalies: r.anomalies.map((a) => `[${a.invariant}] ${a.message}`),
    assumed: JSON.stringify(r.recovered).slice(0, 300),
  };
}

/** Each point's own database and appName (the proxy counts only the victim's commands) and, on a shared mint, seed. */
function counter(env: RunEnv, uri: string, name: string, sharedMint: boolean) {
  let n = 0;
  return async (mintUrl: string): Promise<AdapterContext> => {
    const i = n++;
    const dbName = await claimDatabase(env, `${name.slice(0, 8)}${i}`);
    return {
      uri,
      dbName,
      // Ends with a letter: the killed wallet's sessions are found by this prefix, and -s1w is no prefix of -s10w.
      appName: `${walletAppName(env)}-s${i}w`,
      mintUrl,
      seed: sharedMint ? env.seed * 1000 + i : env.seed,
    };
  };
}

interface Rig {
  proxy: WireProxy;
  pool: ProcessRecycler;
  shared?: ServedMint;
  prepared: Preparer;
}

/** What one run needs before it starts: a mint (or a channel to the shared one), a database, a set-up wallet. */
interface Prepared {
  shape: MeltShape;
  mint: ServedMint;
  channel?: MintChannel;
  view: ServedMint | MintChannel;
  ctx: AdapterContext;
  victim: WalletProcess;
}

/**
 * Prepares the next run while the current one runs (guessing the same shape; a wrong guess is given back): a
 * point then starts with its mint up and its wallet set up, and the process pool keeps its spare loading.
 */
class Preparer {
  private ahead?: Promise<Prepared>;

  constructor(
    private readonly env: RunEnv,
    private readonly pool: ProcessRecycler,
    private readonly provider: MintProvider,
    private readonly shared: ServedMint | undefined,
    private readonly ctxOf: (mintUrl: string) => Promise<AdapterContext>,
  ) {}

  private async make(shape: MeltShape): Promise<Prepared> {
    const { shared, env } = this;
    const mint = shared ?? (await this.provider.start({ label: `svc${env.seed}`, inputFeePpk: shape.inputFeePpk }));
    const channel = shared?.channel ? await shared.channel() : undefined;
    const view = channel ?? mint;
    try {
      const ctx = await this.ctxOf(view.url);
      const victim = await this.pool.take(ctx, 'victim');
      return { shape, mint, channel, view, ctx, victim };
    } catch (e) {
      await channel?.stop();
      if (!shared) await mint.stop();
      throw e;
    }
  }

  async get(shape: MeltShape): Promise<Prepared> {
    const ahead = await this.ahead?.catch(() => undefined);
    this.ahead = undefined;
    let p = ahead;
    if (ahead && ahead.shape !== shape) {
      await this.release(ahead);
      p = undefined;
    }
    const ready = p ?? (await this.make(shape));
    this.ahead = this.make(shape);
    this.ahead.catch(() => {});
    return ready;
  }

  /** The run's wallet back to the pool (or dead), its mint and database gone. */
  async release(p: Prepared, wallet: WalletProcess = p.victim): Promise<void> {
    await this.pool.give(wallet).catch(() => {});
    if (wallet !== p.victim) p.victim.kill();
    await p.channel?.stop();
    if (!this.shared) await p.mint.stop();
    await this.env.admin.db(p.ctx.dbName).dropDatabase();
  }

  async close(): Promise<void> {
    const ahead = await this.ahead?.catch(() => undefined);
    if (ahead) await this.release(ahead);
  }
}

/** One run of a shape: fund, melt (crashed at the plan's point, if any), recover in a new process, judge. */
async function runPoint(
  env: RunEnv,
  rig: Rig,
  shape: MeltShape,
  plan?: ServiceCrashPlan,
  quietMs = BACKGROUND_QUIET_MS,
): Promise<PointRun> {
  const { proxy, pool, shared } = rig;
  const prepared = await rig.prepared.get(shape);
  const { mint, view, ctx, victim } = prepared;
  const recorder = new Recorder();
  const observer = new ServiceObserver();
  let fired = false;
  let wallet = victim;
  try {
    const base = shared ? (await mint.books([])).totals : undefined;
    const changeBefore = mint.changeSigned?.();
    if (plan)
      observer.decide = interpretServiceCrash(plan, {
        kill: () => victim.kill(),
        fired: (p) => {
          fired = true;
          env.tally.crashesLanded++;
          // The crash is part of the history: reports draw it beside the melt it hit.
          const op = recorder.invoke('nemesis', 'crash', { plan: p.label, shape: p.shape, point: p.at as never });
          recorder.complete(op, 'info');
        },
      });
    view.hooks = observer.mintHooks();
    proxy.arm(observer.proxyHooks(), ctx.appName);
    victim.onCrashPoint = observer.crashPoint;
    const fund = recorder.invoke('wallet', 'fund', { amount: shape.fund });
    observer.begin('fund');
    await wallet.call('fund', shape.fund);
    observer.end();
    recorder.complete(fund, 'ok');
    // Work the wallet queued as fund() returned runs before this round trip ends; then it must go quiet.
    await wallet.call('__ping');
    await observer.settle(quietMs);
    const invoice = await mint.invoice(shape.pay, `crash-${ctx.appName}`, {
      feeReserve: shape.feeReserve,
      actualFee: shape.actualFee,
    });
    const melt = recorder.invoke('wallet', 'melt', { amount: shape.pay, shape: shape.name });
    observer.begin('melt');
    const outcome = await wallet.call('melt', invoice).then(
      () => 'ok',
      (e) => (e instanceof ProcessDied ? 'killed' : `error: ${(e as Error).message}`),
    );
    observer.end();
    recorder.complete(
      melt,
      outcome === 'ok' ? 'ok' : 'info',
      outcome === 'ok' ? {} : { error: { name: 'Error', message: outcome } },
    );
    view.hooks = {};
    proxy.disarm();
    observer.decide = () => false;
    // Only the victim's: the next run's wallet is being set up meanwhile.
    await killRunSessions(env.admin, ctx.appName).catch(() => 0);
    // A fired kill counts at once: the victim may have answered the melt before its exit is seen here.
    if (fired || wallet.dead) wallet = await pool.take(ctx, 'recoverer');
    const rec = recorder.invoke('wallet', 'recover', {});
    const recovered = await wallet.call('recover');
    recorder.complete(rec, 'ok', { result: { recovered: JSON.stringify(recovered).slice(0, 300) } });
    const holdings = await wallet.call<HeldProof[]>('holdings');
    await wallet.call('recover');
    const again = await wallet.call<HeldProof[]>('holdings');
    const books = await mint.books([...holdings, ...again]);
    const judged = base ? sinceBooks(books, base) : books;
    const { anomalies, numbers } = checkService(holdings, judged, again);
    const changeAfter = mint.changeSigned?.();
    return {
      events: observer.of('melt'),
      background: observer.background,
      fired,
      outcome,
      recovered,
      anomalies,
      numbers,
      seen: {
        swaps: observer.of('melt').filter((e) => e.channel === 'mint' && e.endpoint === '/v1/swap').length,
        change: changeAfter === undefined || changeBefore === undefined ? undefined : changeAfter - changeBefore,
        inputFees: judged.totals.inputFees,
      },
      history: recorder.history,
    };
  } finally {
    view.hooks = {};
    proxy.disarm();
    await rig.prepared.release(prepared, wallet);
  }
}
