import type { AsyncCommand } from 'fast-check';
import fc from 'fast-check';
import { checkStep, consume, type Model, pickSources, type Real, withFault } from './model.ts';

type Cmd = AsyncCommand<Model, Real>;

/** Cashu denominations, with the edges the seed names: dust (1), single proofs, exact amounts. */
const amounts = fc.array(fc.constantFrom(1, 1, 2, 4, 8, 16, 64), { minLength: 1, maxLength: 4 });
/** Keep and change lean on emptiness: empty keep, empty change, both empty. */
const maybeEmpty = fc.oneof({ weight: 2, arbitrary: fc.constant<number[]>([]) }, { weight: 3, arbitrary: amounts });

class Fund implements Cmd {
  constructor(readonly amounts: number[]) {}
  check = () => true;
  async run(m: Model, r: Real) {
    const label = `t${m.next++}`;
    const t = await r.run.ctx.fund(r.meta, label, this.amounts);
    m.live.push({ tokenId: t.tokenId, amount: t.amount });
    await checkStep(r, this.toString());
  }
  toString = () => `Fund(${this.amounts.join('+')})`;
}

class Melt implements Cmd {
  constructor(
    readonly picks: number[],
    readonly keep: number[],
    readonly change: number[],
  ) {}
  check = (m: Readonly<Model>) => m.live.length > 0;
  async run(m: Model, r: Real) {
    const sources = pickSources(m, this.picks);
    const id = `melt-${m.next++}`;
    const keep = await r.run.ctx.proofs(`${id}/keep`, this.keep);
    const change = await r.run.ctx.proofs(`${id}/change`, this.change);
    const res = await withFault(r, () =>
      r.run.ctx.melt('p0', { sources, keep, change, transactionId: id, meta: r.meta }),
    );
    m.meltIds.push(id);
    if (res.type !== 'fail') consume(m, sources);
    await checkStep(r, this.toString());
  }
  toString = () => `Melt(sources ${this.picks.join(',')}; keep [${this.keep}]; change [${this.change}])`;
}

/** Yields to the event loop n times: lets a read start part-way into the melts' commands. */
const ticks = async (n: number) => {
  for (let i = 0; i < n; i++) await new Promise((r) => setImmediate(r));
};

/**
 * k melts at once. With `reads` (the bank test: ConcurrentMeltsAndReads), balance reads run alongside them,
 * `stagger` event-loop turns apart so they land among the melts' commands; each must see a state a serial order
 * allows, never a token both as source and as change.
 */
class ConcurrentMelts implements Cmd {
  constructor(
    readonly k: number,
    readonly overlap: boolean,
    readonly reads = 0,
    readonly stagger = 0,
  ) {}
  check = (m: Readonly<Model>) => m.live.length > 0;
  async run(m: Model, r: Real) {
    const calls = await Promise.all(
      Array.from({ length: this.k }, async (_, i) => {
        const sources = this.overlap ? m.live.map((t) => t.tokenId) : pickSources(m, [i]);
        const id = `melt-${m.next++}`;
        return {
          sources,
          id,
          keep: await r.run.ctx.proofs(`${id}/keep`, [1]),
          change: await r.run.ctx.proofs(`${id}/change`, [2]),
        };
      }),
    );
    const melts = () =>
      Promise.all(
        calls.map((c, i) =>
          r.run.ctx.melt(`p${i}`, {
            sources: c.sources,
            keep: c.keep,
            change: c.change,
            transactionId: c.id,
            meta: r.meta,
          }),
        ),
      );
    const reads = () =>
      Promise.all(
        Array.from({ length: this.reads }, async (_, i) => {
          await ticks(i * this.stagger);
          return r.run.ctx.balance(`r${i}`, r.meta);
        }),
      );
    const results = await withFault(r, async () => (this.reads ? (await Promise.all([melts(), reads()]))[0] : melts()));
    for (const [i, c] of calls.entries()) {
      m.meltIds.push(c.id);
      if (results[i].type !== 'fail') consume(m, c.sources);
    }
    await checkStep(r, this.toString());
  }
  toString = () =>
    this.reads
      ? `ConcurrentMeltsAndReads(${this.k}, ${this.overlap ? 'same sources' : 'spread'}, ${this.reads} reads, stagger ${this.stagger})`
      : `ConcurrentMelts(${this.k}, ${this.overlap ? 'same sources' : 'spread'})`;
}

class DuplicateCall implements Cmd {
  constructor(readonly which: number) {}
  check = (m: Readonly<Model>) => m.meltIds.length > 0;
  async run(m: Model, r: Real) {
    const id = m.meltIds[this.which % m.meltIds.length];
    const label = `t${m.next++}`;
    const t = await r.run.ctx.fund(r.meta, label, [4]);
    const change = await r.run.ctx.proofs(`${label}/dup`, [1]);
    const res = await withFault(r, () =>
      r.run.ctx.melt('p0', { sources: [t.tokenId], keep: [], change, transactionId: id, meta: r.meta }),
    );
    if (res.type === 'fail') m.live.push({ tokenId: t.tokenId, amount: t.amount });
    await checkStep(r, this.toString());
  }
  toString = () => `DuplicateCall(melt #${this.which})`;
}

const FAULTS = {
  'transient-update': { failCommands: ['update'], errorCode: 112, errorLabels: ['TransientTransactionError'] },
  'transient-insert': { failCommands: ['insert'], errorCode: 112, errorLabels: ['TransientTransactionError'] },
  'error-insert': { failCommands: ['insert'], errorCode: 2 },
  'error-update': { failCommands: ['update'], errorCode: 2 },
  'close-commit': { failCommands: ['commitTransaction'], closeConnection: true },
  'wce-commit': {
    failCommands: ['commitTransaction'],
    writeConcernError: { code: 64, errmsg: 'waiting for replication timed out' },
  },
} as const;

/** Arms failCommand for the wallet's next melt. mongod's modes are exclusive: {skip: n} stays on after skipping. */
class Fault implements Cmd {
  constructor(
    readonly kind: keyof typeof FAULTS,
    readonly skip: number,
  ) {}
  check = () => true;
  async run(_m: Model, r: Real) {
    // Only plain errors may skip: anything the driver retries (transient, closed connection, unknown commit
    // result) would meet the still-armed fail point on every retry.
    const retried = !this.kind.startsWith('error-');
    r.fault = { data: { ...FAULTS[this.kind] }, mode: this.skip && !retried ? { skip: this.skip } : { times: 1 } };
  }
  toString = () => `Fault(${this.kind}, skip ${this.skip})`;
}

/** A balance read on its own: what the wallet shows between melts must be the state's balance exactly. */
class Balance implements Cmd {
  check = () => true;
  async run(_m: Model, r: Real) {
    await r.run.ctx.balance('r0', r.meta);
    await checkStep(r, this.toString());
  }
  toString = () => 'Balance';
}

/**
 * A melt, then at once a balance read by the same wallet: what it shows after answering a melt must include it
 * (real time orders them). A balance kept elsewhere and brought up to date after the melt answered, or read
 * from a secondary still behind, shows the spent sources again.
 */
class MeltThenBalance implements Cmd {
  constructor(readonly picks: number[]) {}
  check = (m: Readonly<Model>) => m.live.length > 0;
  async run(m: Model, r: Real) {
    const sources = pickSources(m, this.picks);
    const id = `melt-${m.next++}`;
    const change = await r.run.ctx.proofs(`${id}/change`, [1]);
    const res = await withFault(r, () =>
      r.run.ctx.melt('p0', { sources, keep: [], change, transactionId: id, meta: r.meta }),
    );
    m.meltIds.push(id);
    if (res.type !== 'fail') consume(m, sources);
    await r.run.ctx.balance('p0', r.meta);
    await checkStep(r, this.toString());
  }
  toString = () => `MeltThenBalance(sources ${this.picks.join(',')})`;
}

const fund = amounts.map((a) => new Fund(a));
const melt = fc
  .tuple(fc.array(fc.nat(7), { minLength: 1, maxLength: 3 }), maybeEmpty, maybeEmpty)
  .map(([p, k, c]) => new Melt(p, k, c));
const duplicate = fc.nat(5).map((w) => new DuplicateCall(w));
const fault = fc
  .tuple(fc.constantFrom(...(Object.keys(FAULTS) as (keyof typeof FAULTS)[])), fc.nat(1))
  .map(([k, s]) => new Fault(k, s));

export const meltCommands = [
  fund,
  melt,
  fc.tuple(fc.integer({ min: 2, max: 8 }), fc.boolean()).map(([k, o]) => new ConcurrentMelts(k, o)),
  duplicate,
  fault,
];

/**
 * The bank test's property: the same commands, concurrent melts with 0–3 balance reads among them
 * (ConcurrentMeltsAndReads), Balance reads alone, and a melt read back at once (MeltThenBalance). Only for
 * wallets with `balance(owner)`.
 */
export const meltAndReadCommands = [
  fund,
  melt,
  fc
    .tuple(fc.integer({ min: 2, max: 8 }), fc.boolean(), fc.integer({ min: 0, max: 3 }), fc.nat(4))
    .map(([k, o, n, st]) => new ConcurrentMelts(k, o, n, st)),
  duplicate,
  fault,
  fc.constant(new Balance()),
  fc.array(fc.nat(7), { minLength: 1, maxLength: 2 }).map((p) => new MeltThenBalance(p)),
];
