import { signedInvoice } from './bolt11.ts';
import { ledgerBooks, type MintBooks } from './books.ts';
import type { MintFaults } from './faults.ts';
import type { MintHooks } from './hooks.ts';
import { MintHttpProxy } from './http-proxy.ts';
import { fakeInvoice } from './invoice.ts';
import type { WireProof } from './ledger.ts';
import type { LightningPlan } from './lightning.ts';
import { nutshellBooks } from './nutshell/books.ts';
import type { FakeWalletSettings } from './nutshell/process.ts';
import { NutshellProcess } from './nutshell/process.ts';
import { TestMint } from './server.ts';

export type { MintHooks } from './hooks.ts';

/** What a mint cannot be made to do (a Lightning outcome its backend does not offer): the check is skipped. */
export class MintUnsupported extends Error {}

/** One mint serving one service-level run, whatever its kind. */
export interface ServedMint {
  kind: 'test' | 'nutshell' | 'url';
  /** The mint's own version string (GET /v1/info). */
  version: string;
  /** Where the wallet connects (for nutshell: meltcheck's HTTP proxy in front of it). */
  url: string;
  faults: MintFaults;
  hooks: MintHooks;
  /** An invoice this mint pays as planned; MintUnsupported when it cannot produce that outcome. */
  invoice(amountSat: number, label: string, plan?: Partial<LightningPlan>): Promise<string>;
  /** Ends this invoice's pending payment. */
  settle(invoice: string, outcome: 'paid' | 'failed'): Promise<void>;
  /**
   * A proxy of its own in front of this mint (its own url, hooks and faults), for one of several wallets that
   * share the mint; absent where the mint is cheap to start afresh (the test mint).
   */
  channel?(): Promise<MintChannel>;
  /** How many melts this mint has received with their inputs (what a service check exercised). */
  melts(): number;
  /** The change this mint has signed for melts, in sat; absent where the mint cannot tell. */
  changeSigned?(): number;
  /** The books for these proofs (every proof the checker will ask about). */
  books(proofs: WireProof[]): Promise<MintBooks>;
  stop(): Promise<void>;
}

export interface MintChannel {
  url: string;
  faults: MintFaults;
  hooks: MintHooks;
  stop(): Promise<void>;
}

export interface MintProvider {
  kind: 'test' | 'nutshell' | 'url';
  /** The version the last started mint reported (GET /v1/info). */
  version?: string;
  start(options: { label: string; inputFeePpk: number }): Promise<ServedMint>;
}

export const testMintProvider: MintProvider = {
  kind: 'test',
  version: 'meltcheck-mint/0.1.0',
  async start({ label, inputFeePpk }) {
    const mint = await TestMint.start({ seed: label, inputFeePpk });
    return {
      kind: 'test',
      version: 'meltcheck-mint/0.1.0',
      url: mint.url,
      faults: mint.faults,
      get hooks() {
        return mint.hooks;
      },
      set hooks(h) {
        mint.hooks = h;
      },
      async invoice(amountSat, l, plan) {
        const invoice = fakeInvoice(amountSat, l);
        if (plan) mint.lightning.plan(invoice, plan);
        return invoice;
      },
      async settle(invoice, outcome) {
        const quote = [...mint.ledger.meltQuotes.values()].find((q) => q.request === invoice && q.state === 'PENDING');
        if (!quote) throw new Error(`no pending melt for this invoice`);
        mint.ledger.settle(quote.quote, outcome);
      },
      melts: () => [...mint.ledger.meltQuotes.values()].filter((q) => q.inputs?.length).length,
      changeSigned: () =>
        [...mint.ledger.meltQuotes.values()].reduce(
          (s, q) => s + (q.change ?? []).reduce((t, c) => t + Number(c.amount), 0),
          0,
        ),
      books: async () => ledgerBooks(mint.ledger),
      stop: () => mint.stop(),
    };
  },
};

const STATE = { paid: 'SETTLED', failed: 'FAILED', pending: 'PENDING' } as const;

/**
 * nutshell with FakeWallet, behind meltcheck's HTTP proxy (lost responses, kill hooks). Lightning outcomes are
 * FakeWallet's own settings, which it reads from its environment: a different outcome restarts nutshell on the
 * same data directory (~3 s). Fee reserve and routing fee are FakeWallet's (max(2 sat, 1%), 1 sat): a plan's
 * fee numbers are the test mint's and are not honoured here; a plan's delay is not offered (MintUnsupported).
 */
export const nutshellProvider: MintProvider = {
  kind: 'nutshell',
  async start({ label, inputFeePpk }) {
    const self = this as MintProvider;
    const n = await NutshellProcess.start({ label, inputFeePpk });
    const proxy = await new MintHttpProxy(n.url).start().catch(async (e) => {
      await n.stop();
      throw e;
    });
    const info = (await (await fetch(`${n.url}/v1/info`)).json()) as { version?: string };
    self.version = info.version ?? 'Nutshell/unknown';
    let current: FakeWalletSettings = {};
    const use = async (fw: FakeWalletSettings) => {
      if (fw.payInvoiceState === current.payInvoiceState && fw.paymentState === current.paymentState) return;
      current = fw;
      await n.restart(fw);
    };
    return {
      kind: 'nutshell',
      version: info.version ?? 'Nutshell/unknown',
      url: proxy.url,
      faults: proxy.faults,
      get hooks() {
        return proxy.hooks;
      },
      set hooks(h) {
        proxy.hooks = h;
      },
      async invoice(amountSat, l, plan = {}) {
        if (plan.delayMs) throw new MintUnsupported('nutshell FakeWallet: no per-payment delay');
        const outcome = plan.outcome ?? 'paid';
        await use({ payInvoiceState: STATE[outcome], paymentState: STATE[outcome] });
        return signedInvoice(amountSat, l);
      },
      async settle(_invoice, outcome) {
        // nutshell checks its pending melts with the backend at start: FakeWallet now answers this outcome.
        current = {};
        await use({ payInvoiceState: STATE[outcome], paymentState: STATE[outcome] });
      },
      channel: () => new MintHttpProxy(n.url).start(),
      melts: () => proxy.meltsAnswered,
      books: (proofs) => nutshellBooks(n.url, n.database, proofs),
      async stop() {
        await proxy.stop();
        await n.stop();
      },
    };
  },
};

/**
 * A mint that is already running (`--mint url:<URL>`), behind meltcheck's proxy. Its Lightning outcomes are not
 * meltcheck's to choose and its books are not readable (NUT-07 states only, signatures unverified), so the
 * service stories are skipped with that reason rather than judged on half an oracle.
 */
export function urlMintProvider(target: string): MintProvider {
  const provider: MintProvider = {
    kind: 'url',
    async start() {
      const info = (await (await fetch(`${target}/v1/info`)).json()) as { version?: string };
      provider.version = info.version ?? 'unknown';
      const proxy = await new MintHttpProxy(target).start();
      const unsupported = () => {
        throw new MintUnsupported(
          `external mint ${target}: meltcheck cannot choose its Lightning outcomes nor read its books`,
        );
      };
      return {
        kind: 'url',
        version: provider.version,
        url: proxy.url,
        faults: proxy.faults,
        get hooks() {
          return proxy.hooks;
        },
        set hooks(h) {
          proxy.hooks = h;
        },
        melts: () => proxy.meltsAnswered,
        invoice: async () => unsupported(),
        settle: async () => unsupported(),
        books: async () => unsupported(),
        stop: () => proxy.stop(),
      };
    },
  };
  return provider;
}
