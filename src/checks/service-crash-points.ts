import type { HeldProof } from '../adapter/contract.ts';
import { checkService } from '../checker/service-books.ts';
import { killRunSessions } from '../cluster/run-sessions.ts';
import { claimDatabase, walletAppName } from '../harness/env.ts';
import { sinceBooks } from '../mint/books.ts';
import { testMintProvider } from '../mint/provider.ts';
import { ProcessDied, WalletProcess } from '../nemesis/child.ts';
import { WireProxy } from '../nemesis/proxy.ts';
import { failuresOf, resultOf } from '../report/failures.ts';
import type { Failure } from '../report/types.ts';
import type { Check } from './types.ts';

/** One event of a melt as seen from outside the wallet: a mint call or a database command. */
interface MeltEvent {
  kind: 'mint' | 'db';
  name: string;
}

export interface ServicePoint {
  point: string;
  event: string;
  outcome: string;
  recovered: unknown;
  valid: boolean;
  anomalies: string[];
  numbers: Record<string, number>;
}

/**
 * Service-level crash enumeration: the wallet runs in a child process against the test mint and the cluster
 * (through the wire proxy); for every event of one melt — each mint call and, in `full` mode, each database
 * command — it is SIGKILLed before the event and again after it; a new process calls recover(); then the
 * wallet's holdings are checked against the mint's books.
 */
export function serviceCrashPoints(granularity: 'mint' | 'full'): Check {
  const name = granularity === 'mint' ? 'service-crash-story' : 'service-crash-points';
  return {
    name,
    kind: 'crash-points',
    level: 'service',
    fullOnly: granularity === 'full',
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
      const points: ServicePoint[] = [];
      const failures: Failure[] = [];
      let n = 0;
      const provider = env.mint ?? testMintProvider;
      // A mint that is slow to start (nutshell, ~3 s) serves every point: each point's wallet gets a seed of its
      // own (its outputs must not collide with earlier points') and is judged on the change in the mint's totals.
      const shared =
        provider.kind === 'test' ? undefined : await provider.start({ label: `svc${env.seed}`, inputFeePpk: 100 });
      /** A point's own database, mint (unless shared) and wallet process (set up), made ready while the previous point runs. */
      const prepare = async () => {
        const i = n++;
        const dbName = await claimDatabase(env, `${name.slice(0, 8)}${i}`);
        const served = shared ?? (await provider.start({ label: `svc${env.seed}`, inputFeePpk: 100 }));
        // A shared mint is reached through a proxy of the point's own: its hooks see only this point's wallet.
        const channel = shared?.channel ? await shared.channel() : undefined;
        const view = channel ?? served;
        // Each point's processes have an appName of their own: the proxy counts only the victim's commands.
        const ctx = {
          uri: proxy.uri,
          dbName,
          appName: `${walletAppName(env)}-s${i}`,
          mintUrl: view.url,
          seed: shared ? env.seed * 1000 + i : env.seed,
        };
        const wallet = WalletProcess.start(env.adapter.spec, ctx, {
          registry: env.processes,
          log: env.walletLog,
          warm: env.warm,
        });
        wallet.catch(() => {});
        return { i, dbName, served, view, channel, ctx, wallet };
      };
      let next: ReturnType<typeof prepare> | undefined;
      const discard = async (p: Awaited<ReturnType<typeof prepare>>) => {
        await p.wallet.then((w) => w.stop()).catch(() => {});
        await p.channel?.stop();
        if (!shared) await p.served.stop();
        await env.admin.db(p.dbName).dropDatabase();
      };
      const once = async (target?: { index: number; when: 'before' | 'after' }) => {
        const { i, dbName, served: mint, view, channel, ctx, wallet: starting } = await (next ?? prepare());
        next = prepare();
        next.catch(() => {});
        // Taken when the previous point is over: the shared mint's totals before this point's wallet funds.
        const base = shared ? (await mint.books([])).totals : undefined;
        const events: MeltEvent[] = [];
        let wallet = await starting;
        try {
          await wallet.call('fund', 1000);
          const invoice = await mint.invoice(300, `crash-${i}`, { feeReserve: 10, actualFee: 3 });
          const victim = wallet;
          const hit = (e: MeltEvent, when: 'before' | 'after') => {
            if (when === 'before') events.push(e);
            const index = events.length - 1;
            if (target && target.index === index && target.when === when) {
              env.tally.crashesLanded++;
              victim.kill();
            }
            return target && target.index === index && target.when === 'before';
          };
          view.hooks = {
            onRequest: (path) => (hit({ kind: 'mint', name: path }, 'before') ? 'drop' : undefined),
            onResponse: (path) => void hit({ kind: 'mint', name: path }, 'after'),
          };
          if (granularity === 'full')
            proxy.arm(
              {
                onCommand: (c) => (hit({ kind: 'db', name: c.name }, 'before') ? 'drop' : 'forward'),
                onReply: (c) => void hit({ kind: 'db', name: c.name }, 'after'),
              },
              ctx.appName,
            );
          const outcome = await wallet.call('melt', invoice).then(
            () => 'ok',
            (e) => (e instanceof ProcessDied ? 'killed' : `error: ${(e as Error).message}`),
          );
          view.hooks = {};
          proxy.disarm();
          await killRunSessions(env.admin, walletAppName(env)).catch(() => 0);
          if (wallet.dead)
            wallet = await WalletProcess.start(env.adapter.spec, ctx, {
              registry: env.processes,
              log: env.walletLog,
              warm: env.warm,
            });
          const recovered = await wallet.call('recover');
          const holdings = await wallet.call<HeldProof[]>('holdings');
          await wallet.call('recover');
          const again = await wallet.call<HeldProof[]>('holdings');
          const books = await mint.books([...holdings, ...again]);
          const { anomalies, numbers } = checkService(holdings, base ? sinceBooks(books, base) : books, again);
          return { events, outcome, recovered, anomalies, numbers };
        } finally {
          view.hooks = {};
          proxy.disarm();
          await wallet.stop().catch(() => {});
          await channel?.stop();
          if (!shared) await mint.stop();
          await env.admin.db(dbName).dropDatabase();
        }
      };
      try {
        const dry = await once();
        points.push({
          point: 'none',
          event: 'no crash',
          outcome: dry.outcome,
          recovered: dry.recovered,
          valid: dry.anomalies.length === 0 && dry.outcome === 'ok',
          anomalies: dry.anomalies.map((a) => `[${a.invariant}] ${a.message}`),
          numbers: dry.numbers,
        });
        if (dry.outcome !== 'ok' || dry.anomalies.length)
          failures.push({
            id: `${name}#none`,
            invariant: dry.anomalies[0]?.invariant ?? 'expectation',
            check: name,
            type: 'uncrashed-melt',
            message: `the melt without any crash: ${dry.outcome}; ${dry.anomalies.map((a) => a.message).join('; ')}`,
            steps: [],
            witness: { numbers: dry.numbers },
            replay: '',
            replayData: { check: name, seed: env.seed },
          });
        const targets = dry.events.flatMap((_, index) =>
          (['before', 'after'] as const).map((when) => ({ index, when })),
        );
        for (const t of targets) {
          if (opts.firstFailure && failures.length) break;
          const r = await once(t);
          const event = dry.events[t.index];
          const label = `${t.when} ${event.kind} ${event.name}`;
          points.push({
            point: `${t.when} ${t.index}`,
            event: `${event.kind} ${event.name}`,
            outcome: r.outcome,
            recovered: r.recovered,
            valid: r.anomalies.length === 0,
            anomalies: r.anomalies.map((a) => `[${a.invariant}] ${a.message}`),
            numbers: r.numbers,
          });
          failures.push(
            ...failuresOf(r.anomalies, {
              check: name,
              prefix: `SIGKILL ${label}, then recover(): `,
              witness: { crash: { ...t, event }, recovered: r.recovered as never },
              tag: `${t.index}${t.when[0]}`,
              seed: env.seed,
            }),
          );
        }
      } finally {
        if (next) await discard(await next).catch(() => {});
        await shared?.stop();
        await proxy.stop();
      }
      return resultOf(name, 'crash-points', started, {
        runs: points.length,
        invariants: this.invariants,
        failures,
        stats: { points: points.length },
        points: points.map((p) => ({
          point: p.point,
          command: p.event,
          outcome: p.outcome,
          valid: p.valid,
          anomalies: p.anomalies,
          assumed: JSON.stringify(p.recovered).slice(0, 300),
        })),
      });
    },
  };
}
