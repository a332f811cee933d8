import { NutshellProcess } from '../nutshell/process.ts';
import { TestMint } from '../server.ts';

export type Outcome = 'paid' | 'failed' | 'pending';

/**
 * A mint the conformance flows run against, with the one thing the flows cannot do over HTTP: choose what the
 * Lightning network does with the next payments, and end payments that are pending.
 */
export interface FlowTarget {
  kind: 'test' | 'nutshell';
  url: string;
  /** What paying the next invoices does. */
  lightning(outcome: Outcome): Promise<void>;
  /** Ends every pending payment with this outcome. */
  resolvePending(outcome: 'paid' | 'failed'): Promise<void>;
  /** Keyset rotation: the active keyset becomes inactive, a new one with this input fee takes over. */
  rotate(inputFeePpk: number): Promise<void>;
  stop(): Promise<void>;
}

/**
 * The test mint configured as nutshell's FakeWallet behaves where the protocol leaves it to the Lightning backend:
 * fee reserve max(2 sat, 1%), actual routing fee 1 sat.
 */
export async function testTarget(inputFeePpk: number): Promise<FlowTarget> {
  const mint = await TestMint.start({ seed: `conformance${inputFeePpk}`, inputFeePpk });
  mint.lightning.defaults = { actualFee: 1 };
  return {
    kind: 'test',
    url: mint.url,
    async lightning(outcome) {
      mint.lightning.defaults = { actualFee: 1, outcome };
    },
    async resolvePending(outcome) {
      for (const q of mint.ledger.meltQuotes.values()) if (q.state === 'PENDING') mint.ledger.settle(q.quote, outcome);
    },
    async rotate(fee) {
      mint.ledger.rotate(fee);
    },
    stop: () => mint.stop(),
  };
}

const STATE = { paid: 'SETTLED', failed: 'FAILED', pending: 'PENDING' } as const;

/** nutshell with FakeWallet: outcomes are FakeWallet's settings, read from its environment, so they need a restart. */
export async function nutshellTarget(inputFeePpk: number): Promise<FlowTarget> {
  const n = await NutshellProcess.start({ label: `conformance${inputFeePpk}`, inputFeePpk });
  let current: Outcome = 'paid';
  return {
    kind: 'nutshell',
    url: n.url,
    async lightning(outcome) {
      if (outcome === current) return;
      current = outcome;
      await n.restart({ payInvoiceState: STATE[outcome], paymentState: STATE[outcome] });
    },
    async resolvePending(outcome) {
      // At start nutshell checks every pending melt with the backend, which now answers with this outcome.
      current = outcome;
      await n.restart({ payInvoiceState: STATE[outcome], paymentState: STATE[outcome] });
    },
    rotate: (fee) => n.rotateKeyset(fee),
    stop: () => n.stop(),
  };
}
