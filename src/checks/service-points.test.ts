import { describe, expect, it } from 'vitest';
import type { ObservedEvent } from '../nemesis/service-observer.ts';
import { mintEndpoint, ServiceObserver } from '../nemesis/service-observer.ts';
import { serviceCrashPlans } from './service-points.ts';
import { SERVICE_SHAPES, unexercised } from './service-shapes.ts';

const ev = (
  channel: ObservedEvent['channel'],
  endpoint: string,
  effectful: boolean,
  occurrence = 1,
): ObservedEvent => ({
  operation: 'melt',
  channel,
  endpoint,
  occurrence,
  effectful,
});

// A swap-then-melt as the reference makes it: reads and a transaction's writes change nothing until the commit.
const MELT = [
  ev('mint', '/v1/melt/quote/bolt11', false),
  ev('db', 'find tokens', false),
  ev('db', 'insert melt_records', false),
  ev('db', 'commitTransaction', true),
  ev('db', 'findAndModify wallet_counters', true),
  ev('mint', '/v1/swap', true),
  ev('db', 'findAndModify wallet_counters', true, 2),
  ev('mint', '/v1/melt/bolt11', true),
  ev('db', 'commitTransaction', true, 2),
];

describe('service crash plans (pure)', () => {
  it('keeps one moment per gap between lasting events (full): after each lasting event', () => {
    const labels = serviceCrashPlans('s', MELT, 'full').map((p) => p.label);
    expect(labels).toEqual([
      'after melt: db commitTransaction #1',
      'after melt: db findAndModify wallet_counters #1',
      'after melt: mint /v1/swap #1',
      'after melt: db findAndModify wallet_counters #2',
      'after melt: mint /v1/melt/bolt11 #1',
      'after melt: db commitTransaction #2',
    ]);
  });

  it('targets only mint calls at mint granularity, but lets database writes separate the gaps', () => {
    const labels = serviceCrashPlans('s', MELT, 'mint').map((p) => p.label);
    expect(labels).toEqual([
      'before melt: mint /v1/swap #1',
      'after melt: mint /v1/swap #1',
      'before melt: mint /v1/melt/bolt11 #1',
      'after melt: mint /v1/melt/bolt11 #1',
    ]);
  });

  it('kills at every declared point, and the first call after one gets a moment of its own', () => {
    const events = [
      ev('declared', 'before write state', true),
      ev('declared', 'after write state', true),
      ev('mint', '/v1/melt/bolt11', true),
      ev('declared', 'before write state', true, 2),
    ];
    const plans = serviceCrashPlans('s', events, 'mint');
    expect(plans.map((p) => p.label)).toEqual([
      'at melt: declared before write state #1',
      'at melt: declared after write state #1',
      'before melt: mint /v1/melt/bolt11 #1',
      'after melt: mint /v1/melt/bolt11 #1',
      'at melt: declared before write state #2',
    ]);
    expect(plans.every((p) => p.kind === 'service-kill' && p.shape === 's')).toBe(true);
    expect(Object.keys(plans[0].at).sort()).toEqual(['channel', 'endpoint', 'occurrence', 'operation', 'when']);
  });

  it('names mint endpoints without ids, so a label is the same in every run', () => {
    expect(mintEndpoint('/v1/melt/quote/bolt11/Zq3x9_abcDEF12345')).toBe('/v1/melt/quote/bolt11/:id');
    expect(mintEndpoint('/v1/keys/00ad268c4d1f5826')).toBe('/v1/keys/:id');
    expect(mintEndpoint('/v1/swap')).toBe('/v1/swap');
  });
});

describe('service observer', () => {
  /** One melt's calls, with or without another call (auto-redeem) made meanwhile, as labels. */
  const melt = (background: boolean) => {
    const o = new ServiceObserver();
    const mint = o.mintHooks();
    const db = o.proxyHooks();
    const call = (path: string) => {
      mint.onRequest?.(path);
      mint.onResponse?.(path, 200);
    };
    call('/v1/mint/quote/bolt11'); // between operations: background
    o.begin('melt');
    call('/v1/melt/quote/bolt11');
    if (background) call('/v1/mint/bolt11');
    db.onCommand?.({ index: 0, name: 'update', requestId: 1, collection: 'tokens' });
    o.crashPoint('before write state');
    call('/v1/melt/bolt11');
    o.end();
    call('/v1/checkstate');
    return { o, labels: o.of('melt').filter((e) => !e.endpoint.startsWith('/v1/mint/')) };
  };

  it('labels by endpoint and occurrence within the operation: a call meanwhile shifts no other label', () => {
    const plain = melt(false);
    const busy = melt(true);
    expect(busy.labels).toEqual(plain.labels);
    expect(plain.labels.map((e) => `${e.channel} ${e.endpoint} #${e.occurrence}`)).toEqual([
      'mint /v1/melt/quote/bolt11 #1',
      'db update tokens #1',
      'declared before write state #1',
      'mint /v1/melt/bolt11 #1',
    ]);
    // Calls while no operation runs are recorded apart.
    expect(plain.o.background).toEqual(['mint /v1/mint/quote/bolt11', 'mint /v1/checkstate']);
  });

  it('asks the interpreter at each moment, and holds back a call it kills before', () => {
    const o = new ServiceObserver();
    const seen: string[] = [];
    o.decide = (p) => {
      seen.push(`${p.when} ${p.endpoint}`);
      return p.when === 'before' && p.endpoint === '/v1/swap';
    };
    o.begin('melt');
    expect(o.mintHooks().onRequest?.('/v1/swap')).toBe('drop');
    // Once a kill is decided the process is as good as dead: nothing it does afterwards is asked about or let through.
    expect(o.crashPoint('after write')).toBe('kill');
    expect(o.proxyHooks().onCommand?.({ index: 0, name: 'update', requestId: 7, collection: 'tokens' } as never)).toBe(
      'drop',
    );
    expect(seen).toEqual(['before /v1/swap']);
  });

  it('lets a declared point pass while the interpreter does not kill', () => {
    const o = new ServiceObserver();
    const seen: string[] = [];
    o.decide = (p) => {
      seen.push(`${p.when} ${p.endpoint}`);
      return false;
    };
    o.begin('melt');
    expect(o.mintHooks().onRequest?.('/v1/swap')).not.toBe('drop');
    expect(o.crashPoint('after write')).toBe('continue');
    expect(seen).toEqual(['before /v1/swap', 'at after write']);
  });
});

describe('melt shapes', () => {
  const shape = (name: string) => SERVICE_SHAPES.find((s) => s.name === name)!;

  it('sweeps exact, change without a swap, swap with and without change, input fees', () => {
    const d = SERVICE_SHAPES.map((s) => s.demands);
    expect(d.some((x) => x.swap === false && x.change === false)).toBe(true);
    expect(d.some((x) => x.swap === false && x.change === true)).toBe(true);
    expect(d.some((x) => x.swap === true && x.change === true)).toBe(true);
    expect(d.some((x) => x.swap === true && x.change === false)).toBe(true);
    expect(d.some((x) => x.inputFees === true)).toBe(true);
  });

  it('does not count a shape whose demand the wallet did not meet', () => {
    expect(unexercised(shape('swap-change'), { swaps: 1, change: 7, inputFees: 0 })).toBeUndefined();
    expect(unexercised(shape('swap-change'), { swaps: 0, change: 7, inputFees: 0 })).toMatch(/no swap/);
    expect(unexercised(shape('exact'), { swaps: 1, change: 0, inputFees: 0 })).toMatch(/a swap preceded/);
    expect(unexercised(shape('exact-change'), { swaps: 0, change: 0, inputFees: 0 })).toMatch(/no change/);
    expect(unexercised(shape('input-fees'), { swaps: 1, change: 7, inputFees: 0 })).toMatch(/no input fee/);
    expect(unexercised(shape('exact'), { swaps: 0, change: undefined, inputFees: 0 })).toMatch(/cannot tell/);
  });
});
