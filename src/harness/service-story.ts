import type { ServiceAdapter } from '../adapter/contract.ts';
import type { Invariant } from '../checker/types.ts';
import type { ServedMint } from '../mint/provider.ts';

/** A named service-level story: drives the wallet and a mint (test or nutshell), then the harness checks the mint's books. */
export interface ServiceStory {
  name: string;
  description: string;
  invariants: Invariant[];
  /** Returns notes for the report (what the wallet answered, what recover() did). */
  run(wallet: ServiceAdapter, mint: ServedMint): Promise<string[]>;
}

export function defineServiceStory(s: ServiceStory): ServiceStory {
  return s;
}

/** recover(), rendered for the report. */
export const settle = async (wallet: ServiceAdapter) => JSON.stringify(await wallet.recover());
