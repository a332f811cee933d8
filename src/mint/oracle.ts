import { proofY } from '../proofs/proof.ts';
import type { WireProof } from './ledger.ts';

export interface Worth {
  unspent: number;
  pending: number;
  spent: number;
  /** Proofs the oracle cannot vouch for (bad signature; an external mint cannot tell). */
  invalid: number;
}

/** What value a set of proofs holds, according to the mint: the checker's ground truth. */
export interface MintOracle {
  kind: 'checkstate';
  worth(proofs: WireProof[]): Promise<Worth>;
}

/**
 * Any NUT-07 mint (e.g. nutshell with FakeWallet): states only, signatures unverified. Reports say so.
 */
export function checkstateOracle(mintUrl: string, fetchImpl: typeof fetch = fetch): MintOracle {
  return {
    kind: 'checkstate',
    async worth(proofs) {
      const ys = proofs.map((p) => proofY(p.secret));
      const res = await fetchImpl(`${mintUrl.replace(/\/$/, '')}/v1/checkstate`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ Ys: ys }),
      });
      if (!res.ok) throw new Error(`checkstate failed: HTTP ${res.status}`);
      const { states } = (await res.json()) as { states: { Y: string; state: string }[] };
      const out: Worth = { unspent: 0, pending: 0, spent: 0, invalid: 0 };
      const by = new Map(states.map((s) => [s.Y, s.state]));
      for (const [i, p] of proofs.entries()) {
        const st = by.get(ys[i]);
        const amount = Number(p.amount);
        if (st === 'UNSPENT') out.unspent += amount;
        else if (st === 'PENDING') out.pending += amount;
        else if (st === 'SPENT') out.spent += amount;
        else out.invalid += amount;
      }
      return out;
    },
  };
}
