import type { KeyChain, ProofLike, SendResponse } from '@cashu/cashu-ts';

/**
 * Deterministic coin selection for cashu-ts (its default uses Math.random, which would make runs unreplayable):
 * largest first, then the smallest proof that still covers the rest; fees included when asked.
 */
export function selectProofsDeterministic(
  proofs: ProofLike[],
  amountToSelect: unknown,
  keyChain: KeyChain,
  includeFees?: boolean,
): SendResponse {
  const target = Number(amountToSelect);
  const feePpk = (p: ProofLike) => (includeFees ? keyChain.getKeyset(p.id).fee : 0);
  const sorted = [...proofs].sort((a, b) => Number(b.amount) - Number(a.amount) || (a.secret < b.secret ? -1 : 1));
  const send: ProofLike[] = [];
  let total = 0;
  let ppk = 0;
  const need = () => target + Math.ceil(ppk / 1000);
  for (const p of sorted) {
    if (total >= need()) break;
    const rest = need() - total;
    // Prefer the smallest single proof that closes the gap; else take the largest and continue.
    const closer = [...sorted]
      .reverse()
      .find(
        (q) =>
          !send.includes(q) && Number(q.amount) >= rest + Math.ceil((ppk + feePpk(q)) / 1000) - Math.ceil(ppk / 1000),
      );
    const pick = closer ?? p;
    if (send.includes(pick)) continue;
    send.push(pick);
    total += Number(pick.amount);
    ppk += feePpk(pick);
  }
  if (total < need()) return { keep: proofs, send: [] } as unknown as SendResponse;
  const keep = proofs.filter((p) => !send.includes(p));
  return { keep, send } as unknown as SendResponse;
}
