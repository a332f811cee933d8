import type { AsyncCommand } from 'fast-check';
import fc from 'fast-check';
import type { CrashPlan, FaultPlan, MeltPlan, Outcome, ServiceRun } from './service-run.ts';

/**
 * What the generator knows: the amounts funded (a melt may aim at exactly one of them) and the input fee of the
 * keyset each was funded on (keysets rotate mid-story, with fees of their own).
 */
export interface ServiceModel {
  funds: number[];
  ppks: number[];
}

type Cmd = AsyncCommand<ServiceModel, ServiceRun>;

const popcount = (n: number) => n.toString(2).replace(/0/g, '').length;

/**
 * A melt's invoice amount: absolute, or "exactly the k-th funded amount": that token's value less the fee reserve
 * and its input fee, so the wallet can melt it without a swap and get no change back.
 */
type Target = { kind: 'amount'; amount: number } | { kind: 'exact'; k: number } | { kind: 'part'; pct: number };

function planOf(m: ServiceModel, r: ServiceRun, t: Target, reserve: number, lnFee: 'none' | 'all', outcome: Outcome) {
  let amount: number;
  if (t.kind === 'amount') amount = t.amount;
  else if (t.kind === 'part') amount = Math.floor((m.funds.reduce((a, b) => a + b, 0) * t.pct) / 100);
  else {
    const k = t.k % m.funds.length;
    const fund = m.funds[k] ?? 0;
    amount = fund - reserve - Math.ceil((popcount(fund) * (m.ppks[k] ?? r.ppk)) / 1000);
  }
  if (amount <= 0) return undefined;
  return { amount, feeReserve: reserve, actualFee: lnFee === 'all' ? reserve : 0, outcome } satisfies MeltPlan;
}

export class Fund implements Cmd {
  constructor(readonly amount: number) {}
  check = () => true;
  async run(m: ServiceModel, r: ServiceRun) {
    const ppk = r.ppk;
    if (await r.fund(this.amount)) {
      m.funds.push(this.amount);
      m.ppks.push(ppk);
    }
  }
  toString = () => `Fund(${this.amount})`;
}

const targetText = (t: Target) =>
  t.kind === 'amount' ? String(t.amount) : t.kind === 'part' ? `${t.pct}% of funds` : `exactly fund #${t.k}`;

class Melt implements Cmd {
  constructor(
    readonly target: Target,
    readonly reserve: number,
    readonly lnFee: 'none' | 'all',
    readonly outcome: Outcome,
    /** SIGKILL at this mint call of the melt; a new process and recover() follow. */
    readonly crash?: CrashPlan,
  ) {}
  check = (m: Readonly<ServiceModel>) => m.funds.length > 0;
  async run(m: ServiceModel, r: ServiceRun) {
    const plan = planOf(m, r, this.target, this.reserve, this.lnFee, this.outcome);
    if (!plan) return;
    if (this.crash) r.armCrash(this.crash);
    await r.step(this.toString(), async () => {
      const invoice = r.invoice(plan);
      r.tally.attempted++;
      const res = await r.op('p0', 'melt', { ...plan }, () => r.wallet.call('melt', invoice));
      if (res.type === 'ok') r.tally.committed++;
      return [res];
    });
  }
  toString = () =>
    `Melt(${targetText(this.target)}, reserve ${this.reserve}, ln fee ${this.lnFee}, ${this.outcome}${
      this.crash ? `, ${crashText(this.crash)}` : ''
    })`;
}

/** The second-largest funded token: two melts of shares of it can both be paid (one from each of the two largest). */
const secondLargest = (m: Readonly<ServiceModel>) => [...m.funds].sort((a, b) => b - a)[1] ?? 0;

/**
 * Two melts in flight from the same wallet, each for a share of the second-largest funded token: the wallet can pay
 * both (the first takes the largest token, the second the next), so both reach the mint. Only with two tokens of at
 * least 16 sat: smaller shares would be eaten by the fee reserve and the step would do nothing.
 */
export class TwoMelts implements Cmd {
  constructor(
    readonly pcts: [number, number],
    readonly outcomes: [Outcome, Outcome],
    /** SIGKILL at this mint call of the two melts together: both are interrupted. */
    readonly crash?: CrashPlan,
  ) {}
  check = (m: Readonly<ServiceModel>) => secondLargest(m) >= 16;
  async run(m: ServiceModel, r: ServiceRun) {
    const base = secondLargest(m);
    const plans = this.pcts.map((pct, i) =>
      planOf(m, r, { kind: 'amount', amount: Math.floor((base * pct) / 100) - 2 }, 2, 'none', this.outcomes[i]),
    );
    if (plans.some((p) => !p)) return;
    if (this.crash) r.armCrash(this.crash);
    await r.step(this.toString(), async () => {
      const invoices = plans.map((p) => r.invoice(p!));
      r.tally.overlapping++;
      return Promise.all(
        invoices.map(async (inv, i) => {
          r.tally.attempted++;
          const res = await r.op(`p${i}`, 'melt', { ...plans[i] }, () => r.wallet.call('melt', inv));
          if (res.type === 'ok') r.tally.committed++;
          return res;
        }),
      );
    });
  }
  toString = () =>
    `TwoMelts(${this.pcts[0]}% ${this.outcomes[0]}, ${this.pcts[1]}% ${this.outcomes[1]} of the second-largest token${
      this.crash ? `, ${crashText(this.crash)}` : ''
    })`;
}

/** A mint fault at the next call to one endpoint (during the next step, its recovery included). */
class Fault implements Cmd {
  constructor(readonly f: FaultPlan) {}
  check = () => true;
  async run(_m: ServiceModel, r: ServiceRun) {
    r.armFault(this.f);
    r.tally.faultsFired++;
  }
  toString = () => `Fault(${this.f.kind} at ${this.f.endpoint})`;
}

const crashText = (c: CrashPlan) =>
  c.at === 'declared' ? `crash at declared point ${c.n}` : `crash ${c.when} mint call ${c.n}`;

/**
 * SIGKILL at the n-th mint call, or the n-th declared crash point (`ctx.crashPoint`, a wallet's own storage write), of
 * the next operation; a new process and recover() follow.
 */
class Crash implements Cmd {
  constructor(readonly c: CrashPlan) {}
  check = () => true;
  async run(_m: ServiceModel, r: ServiceRun) {
    r.armCrash(this.c);
  }
  toString = () => `Crash(${crashText(this.c).replace(/^crash /, '')})`;
}

/**
 * Keyset rotation at the mint (as an operator's next-keyset): the active keyset becomes inactive, a new one with
 * this input fee takes over. Proofs of the old keyset stay spendable at their own fee; new outputs on it are refused
 * (12002), so the wallet must learn the new keyset.
 */
export class Rotate implements Cmd {
  constructor(readonly ppk: number) {}
  check = () => true;
  async run(_m: ServiceModel, r: ServiceRun) {
    r.rotate(this.ppk);
  }
  toString = () => `Rotate(input fee ${this.ppk} ppk)`;
}

/** recover() twice in a row: the second must change nothing. */
class RecoverTwice implements Cmd {
  check = () => true;
  async run(_m: ServiceModel, r: ServiceRun) {
    await r.step(this.toString(), async () => [], { recoverTwice: true });
  }
  toString = () => 'RecoverTwice';
}

const pow2 = fc.integer({ min: 0, max: 9 }).map((e) => 2 ** e);
/** Powers of two, sums of a few, odd values: so that coin selection sometimes needs a swap and sometimes not. */
export const fundAmount = fc.oneof(
  pow2,
  fc.uniqueArray(pow2, { minLength: 2, maxLength: 3 }).map((a) => a.reduce((s, x) => s + x, 0)),
  fc.integer({ min: 1, max: 499 }).map((n) => 2 * n + 1),
);
const target: fc.Arbitrary<Target> = fc.oneof(
  { weight: 2, arbitrary: fc.integer({ min: 0, max: 3 }).map((k) => ({ kind: 'exact' as const, k })) },
  { weight: 2, arbitrary: fc.integer({ min: 5, max: 70 }).map((pct) => ({ kind: 'part' as const, pct })) },
  {
    weight: 1,
    arbitrary: fc.oneof(pow2, fc.integer({ min: 1, max: 40 })).map((amount) => ({ kind: 'amount' as const, amount })),
  },
);
const crashAt = (maxCall: number): fc.Arbitrary<CrashPlan> =>
  fc.oneof(
    {
      weight: 3,
      arbitrary: fc.record({
        n: fc.integer({ min: 1, max: maxCall }),
        when: fc.constantFrom<'before' | 'after'>('before', 'after'),
      }),
    },
    // A wallet's own storage writes, wherever it keeps them: only a wallet that declares points reaches these.
    {
      weight: 1,
      arbitrary: fc.integer({ min: 1, max: 4 }).map((n) => ({ n, when: 'before' as const, at: 'declared' as const })),
    },
  );
const crashPlan = crashAt(4);
const outcome = fc.constantFrom<Outcome>('paid', 'paid', 'failed', 'pending-paid', 'pending-failed', 'slow');
// Funding is the harness's setup (as in the repository property): faults and crashes aim at melts and recovery.
const ENDPOINTS = ['/v1/swap', '/v1/melt/bolt11', '/v1/melt/quote/bolt11', '/v1/restore', '/v1/checkstate'];

const fund = fundAmount.map((a) => new Fund(a));
const melt = fc
  .tuple(
    target,
    fc.constantFrom(0, 2, 10),
    fc.constantFrom<'none' | 'all'>('none', 'all'),
    outcome,
    // One melt in three crashes: a crash costs a new wallet process.
    fc.oneof({ weight: 2, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: crashPlan }),
  )
  .map(([t, res, fee, o, c]) => new Melt(t, res, fee, o, c));
const crash = crashPlan.map((c) => new Crash(c));

const twoMelts = fc
  .tuple(
    fc.integer({ min: 20, max: 60 }),
    fc.integer({ min: 20, max: 60 }),
    outcome,
    outcome,
    // Two melts make up to six mint calls (two quotes, two swaps, two melts): the crashes that leave both unfinished
    // are the later ones.
    fc.option(crashAt(6), { freq: 2, nil: undefined }),
  )
  .map(([a, b, x, y, c]) => new TwoMelts([a, b], [x, y], c));

// Listed more than once: weights (fast-check picks among the arbitraries uniformly); a melt needs a fund first.
export const serviceCommands = [
  fund,
  fund,
  melt,
  melt,
  melt,
  melt,
  twoMelts,
  twoMelts,
  fc
    .tuple(fc.constantFrom(...ENDPOINTS), fc.constantFrom<FaultPlan['kind']>('response-lost', 'http500', 'delay'))
    .map(([endpoint, kind]) => new Fault({ endpoint, kind, ms: kind === 'delay' ? 50 : undefined })),
  crash,
  fc.constant(new RecoverTwice()),
  fc.constantFrom(0, 100, 1000).map((ppk) => new Rotate(ppk)),
];

/**
 * One run's setting: its first deposit; its mint with input fees or not, failed payments as an error or 200 UNPAID,
 * with NUT-17 WebSocket subscriptions or without (a wallet that subscribes must then poll).
 */
export const runParams = fc.record({
  /** The first deposits (one to three tokens), before any command: every story starts with money to melt. */
  funds: fc.array(fundAmount, { minLength: 1, maxLength: 3 }),
  inputFeePpk: fc.constantFrom(0, 0, 100, 1000),
  failedAs: fc.constantFrom<'error' | 'unpaid'>('error', 'unpaid'),
  websocket: fc.constantFrom<'on' | 'off'>('on', 'off'),
});
