/** How the fake Lightning network treats one invoice, chosen by the harness. */
export interface LightningPlan {
  feeReserve: number;
  actualFee: number;
  outcome: 'paid' | 'failed' | 'pending';
  /** Delay before answering the melt request (a slow payment). */
  delayMs?: number;
}

/** Fake Lightning: per-invoice plans, with a default (paid, fee reserve max(2, 1%), actual fee 0). */
export class Lightning {
  private plans = new Map<string, Partial<LightningPlan>>();
  defaults: Partial<LightningPlan> = {};

  plan(invoice: string, plan: Partial<LightningPlan>): void {
    this.plans.set(invoice, plan);
  }

  planFor(invoice: string, amount: number): LightningPlan {
    const p = { ...this.defaults, ...this.plans.get(invoice) };
    const feeReserve = p.feeReserve ?? Math.max(2, Math.ceil(amount / 100));
    return {
      feeReserve,
      actualFee: Math.min(p.actualFee ?? 0, feeReserve),
      outcome: p.outcome ?? 'paid',
      delayMs: p.delayMs,
    };
  }
}
