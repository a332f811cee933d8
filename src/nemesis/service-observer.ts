import type { MintHooks } from '../mint/hooks.ts';
import type { ServicePoint } from './plan.ts';
import type { ProxyHooks, WireCommand } from './proxy.ts';

/** One call the wallet made (or one crash point it declared), labelled within its operation. */
export interface ObservedEvent extends Omit<ServicePoint, 'when'> {
  /** Whether it can change what lasts (a write, a mint call that moves money); reads and metadata cannot. */
  effectful: boolean;
}

/** Mint calls that only read: metadata, quote and proof states, restore (which signs nothing new). */
const MINT_READS = [
  /^\/v1\/info/,
  /^\/v1\/keys/,
  /^\/v1\/keysets/,
  /^\/v1\/(mint|melt)\/quote\/[^/]+\/:id$/,
  /^\/v1\/checkstate/,
];
const MINT_QUOTE_CREATE = /^\/v1\/(mint|melt)\/quote\/[^/]+$/;
const DB_READS = new Set([
  'find',
  'aggregate',
  'count',
  'distinct',
  'getMore',
  'killCursors',
  'listIndexes',
  'listCollections',
  'listDatabases',
  'dbStats',
  'collStats',
  'explain',
]);

/** Ids in paths (quote ids, keyset ids) become `:id`, so an endpoint is the same in every run. */
export function mintEndpoint(path: string): string {
  return path.split('?')[0].replace(/\/[A-Za-z0-9_-]{12,}/g, '/:id');
}

function mintEffectful(endpoint: string): boolean {
  // Creating a quote is an offer, not a movement of money; a restore signs nothing new.
  if (MINT_QUOTE_CREATE.test(endpoint) || endpoint.startsWith('/v1/restore')) return false;
  return !MINT_READS.some((r) => r.test(endpoint));
}

function dbEffectful(c: WireCommand): boolean {
  if (c.name === 'commitTransaction' || c.name === 'abortTransaction') return true;
  // A transaction's writes last only at its commit: a crash before any of them is a crash before the commit.
  if (c.inTransaction) return false;
  return !DB_READS.has(c.name);
}

const dbEndpoint = (c: WireCommand) => (c.collection ? `${c.name} ${c.collection}` : c.name);

/**
 * Watches one wallet process's calls on all three channels — the mint (HTTP hooks), the database (wire proxy
 * hooks, by appName) and its declared crash points — and labels each by (operation, channel, endpoint,
 * occurrence). Calls made while no operation runs (background work) are recorded apart and never targeted.
 * `decide` is asked at every moment of every event; true kills there (the nemesis's interpreter).
 */
export class ServiceObserver {
  readonly events: ObservedEvent[] = [];
  readonly background: string[] = [];
  decide: (p: ServicePoint) => boolean = () => false;
  private operation?: string;
  private counts = new Map<string, number>();
  private mintOpen = new Map<string, (ObservedEvent | undefined)[]>();
  private dbOpen = new Map<number, ObservedEvent | undefined>();
  private inFlight = 0;
  private last = Date.now();
  /** Set once a kill was decided: what the wallet sends before the signal lands never reaches mint or database. */
  private dead = false;

  private kills(p: ServicePoint): boolean {
    if (this.decide(p)) this.dead = true;
    return this.dead;
  }

  begin(operation: string): void {
    this.operation = operation;
    this.counts.clear();
  }

  end(): void {
    this.operation = undefined;
  }

  /** Events of one operation, in order. */
  of(operation: string): ObservedEvent[] {
    return this.events.filter((e) => e.operation === operation);
  }

  private open(channel: ObservedEvent['channel'], endpoint: string, effectful: boolean): ObservedEvent | undefined {
    this.last = Date.now();
    if (!this.operation) {
      this.background.push(`${channel} ${endpoint}`);
      return undefined;
    }
    const key = `${channel} ${endpoint}`;
    const occurrence = (this.counts.get(key) ?? 0) + 1;
    this.counts.set(key, occurrence);
    const e = { operation: this.operation, channel, endpoint, occurrence, effectful };
    this.events.push(e);
    return e;
  }

  mintHooks(): MintHooks {
    return {
      onRequest: (path) => {
        if (this.dead) return 'drop';
        const endpoint = mintEndpoint(path);
        const e = this.open('mint', endpoint, mintEffectful(endpoint));
        if (e && this.kills({ ...e, when: 'before' })) return 'drop';
        this.inFlight++;
        // Background calls keep their place too, so that responses pair with their requests in order.
        this.mintOpen.set(endpoint, [...(this.mintOpen.get(endpoint) ?? []), e]);
        return undefined;
      },
      onResponse: (path) => {
        const endpoint = mintEndpoint(path);
        this.inFlight = Math.max(0, this.inFlight - 1);
        this.last = Date.now();
        const [e, ...rest] = this.mintOpen.get(endpoint) ?? [];
        this.mintOpen.set(endpoint, rest);
        if (e) this.kills({ ...e, when: 'after' });
        return this.dead ? 'kill' : undefined; // the mint cuts the dying wallet's subscriptions (hooks.ts)
      },
    };
  }

  proxyHooks(): ProxyHooks {
    return {
      onCommand: (c) => {
        if (this.dead) return 'drop';
        const e = this.open('db', dbEndpoint(c), dbEffectful(c));
        if (e && this.kills({ ...e, when: 'before' })) return 'drop';
        this.inFlight++;
        this.dbOpen.set(c.requestId, e);
        return 'forward';
      },
      onReply: (c) => {
        this.inFlight = Math.max(0, this.inFlight - 1);
        this.last = Date.now();
        const e = this.dbOpen.get(c.requestId);
        this.dbOpen.delete(c.requestId);
        if (e) this.kills({ ...e, when: 'after' });
      },
    };
  }

  /** For WalletProcess.onCrashPoint: a declared point is an event of its own, and a moment to die at. */
  crashPoint = (label: string): 'kill' | 'continue' => {
    if (this.dead) return 'kill';
    const e = this.open('declared', label, true);
    return e && this.kills({ ...e, when: 'at' }) ? 'kill' : 'continue';
  };

  /**
   * Resolves once nothing of the wallet's is in flight and nothing happened for `quietMs`: background work a
   * finished operation started lands before the next operation begins, and is recorded apart.
   */
  async settle(quietMs: number, maxMs = 2000): Promise<void> {
    const until = Date.now() + maxMs;
    while (Date.now() < until && (this.inFlight > 0 || Date.now() - this.last < quietMs))
      await new Promise((r) => setTimeout(r, 5));
  }
}
