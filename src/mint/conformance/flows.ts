import { OutputData, type Proof, Wallet } from '@cashu/cashu-ts';
import { signedInvoice } from '../bolt11.ts';
import type { FlowTarget } from './targets.ts';

/** What one step showed: an HTTP status and NUT error code, or the values the protocol fixes. */
export type Observation = Record<string, unknown>;

const sum = (ps: { amount: unknown }[]) => ps.reduce((s, p) => s + Number(p.amount), 0);

/** A failed call as {status, code}; a success as 'ok'. */
async function outcome(p: Promise<unknown>): Promise<Observation | 'ok'> {
  try {
    await p;
    return 'ok';
  } catch (e) {
    const x = e as { status?: number; code?: number; name?: string };
    return { status: x.status ?? 'network', code: x.code ?? null };
  }
}

async function raw(url: string, method: string, path: string, body?: string): Promise<Observation> {
  const r = await fetch(`${url}${path}`, {
    method,
    headers: { 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body }),
  });
  const text = await r.text();
  let code: unknown = null;
  try {
    code = (JSON.parse(text) as { code?: unknown }).code ?? null;
  } catch {
    code = 'not-json';
  }
  return { status: r.status, code };
}

async function wallet(url: string, fill: number): Promise<Wallet> {
  const w = new Wallet(url, { unit: 'sat', bip39seed: new Uint8Array(64).fill(fill) });
  await w.loadMint();
  return w;
}

/** Mints `amount` once its quote is paid (FakeWallet marks deposit invoices paid in the background). */
async function minted(w: Wallet, amount: number): Promise<{ proofs: Proof[]; quoteState: string }> {
  const q = await w.createMintQuoteBolt11(amount);
  let state = String(q.state);
  for (let i = 0; i < 50 && state !== 'PAID'; i++) {
    await new Promise((r) => setTimeout(r, 50));
    state = String((await w.checkMintQuoteBolt11(q.quote)).state);
  }
  return { proofs: await w.mintProofsBolt11(amount, q.quote), quoteState: state };
}

async function states(w: Wallet, proofs: Proof[]): Promise<string[]> {
  return (await w.checkProofsStates(proofs)).map((s) => String(s.state));
}

/**
 * The scripted flows of the differential suite, the same against any mint. Every value they record is one the
 * protocol fixes (states, codes, amounts, fee arithmetic) or that both mints are configured to agree on
 * (fee reserve and routing fee, see targets.ts); nothing mint-specific (ids, signatures, times).
 */
export async function runFlows(t: FlowTarget, inputFeePpk: number, lightningOutcomes = true): Promise<Observation> {
  const obs: Observation = {};
  const w = await wallet(t.url, 3);
  const keysets = w.keyChain.getKeysets();
  obs.keysets = keysets.map((k) => ({ unit: k.unit, active: k.isActive, fee: k.fee }));

  // Mint: the quote is paid, minting gives exactly the amount, a second mint of the same quote is refused.
  const m = await minted(w, 1000);
  obs.mint = { quoteState: m.quoteState, amount: sum(m.proofs) };
  const again = await w.createMintQuoteBolt11(8);
  await minted(w, 8);
  obs.mintTwice = await outcome(w.mintProofsBolt11(8, again.quote));

  // Swap: the input fee is ceil(sum of ppk / 1000), charged by the mint; the same inputs twice are refused.
  const { keep, send } = await w.send(300, m.proofs, { includeFees: true });
  obs.swap = { swapFee: 1000 - sum(keep) - sum(send), feeForSend: Number(w.getFeesForProofs(send)) };
  const ks = w.keyChain.getKeyset();
  const doubleOut = OutputData.createRandomData(sum(send) - Number(w.getFeesForProofs(send)), ks);
  const spendOnce = () => w.mint.swap({ inputs: send, outputs: doubleOut.map((o) => o.blindedMessage) } as never);
  const first = await outcome(spendOnce());
  const reuse = OutputData.createRandomData(sum(send) - Number(w.getFeesForProofs(send)), ks);
  obs.doubleSpend = {
    first,
    second: await outcome(w.mint.swap({ inputs: send, outputs: reuse.map((o) => o.blindedMessage) } as never)),
  };
  obs.outputsSignedTwice = await outcome(
    w.mint.swap({ inputs: keep.slice(0, 1), outputs: doubleOut.map((o) => o.blindedMessage) } as never),
  );
  const over = OutputData.createRandomData(sum(keep) + 1, ks);
  obs.swapUnbalanced = await outcome(
    w.mint.swap({ inputs: keep, outputs: over.map((o) => o.blindedMessage) } as never),
  );
  const dup = OutputData.createRandomData(2 * Number(keep[0].amount) - (inputFeePpk ? 1 : 0), ks);
  obs.swapDuplicateInputs = await outcome(
    w.mint.swap({ inputs: [keep[0], keep[0]], outputs: dup.map((o) => o.blindedMessage) } as never),
  );
  obs.checkstate = {
    spent: await states(w, send),
    keep: [...new Set(await states(w, keep))],
  };

  // Melt, paid, with change: amount + reserve in, change back = overpaid - routing fee.
  let purse = keep;
  const melt = async (amount: number, label: string) => {
    const quote = await w.createMeltQuoteBolt11(signedInvoice(amount, `${t.kind}${inputFeePpk}/${label}`));
    const need = Number(quote.amount) + Number(quote.fee_reserve);
    const { keep: rest, send: inputs } = await w.send(need, purse, { includeFees: true });
    purse = rest;
    const fee = Number(w.getFeesForProofs(inputs));
    return { quote, inputs, fee };
  };
  {
    const { quote, inputs, fee } = await melt(100, 'paid');
    obs.meltQuote = { amount: Number(quote.amount), feeReserve: Number(quote.fee_reserve), state: quote.state };
    const res = await w.meltProofsBolt11(quote, inputs);
    obs.meltPaid = {
      state: res.quote.state,
      change: sum(res.change),
      expectedChange: sum(inputs) - fee - 100 - 1,
      preimage: Boolean(res.quote.payment_preimage),
      inputs: [...new Set(await states(w, inputs))],
    };
    purse = [...purse, ...res.change];
    obs.meltQuoteAfter = (await w.checkMeltQuoteBolt11(quote.quote)).state;
    const { send: more } = await w.send(Number(quote.amount) + Number(quote.fee_reserve), purse, {
      includeFees: true,
    });
    obs.meltPaidTwice = await outcome(w.meltProofsBolt11(quote, more));
  }

  // Restore (NUT-09/13): the same seed re-derives the outputs and the mint returns its signatures.
  const fresh = await wallet(t.url, 3);
  const restored = await fresh.restore(0, 200);
  const rs = await states(fresh, restored.proofs);
  obs.restore = {
    found: restored.proofs.length,
    unspent: sum(restored.proofs.filter((_, i) => rs[i] === 'UNSPENT')),
    spent: sum(restored.proofs.filter((_, i) => rs[i] === 'SPENT')),
  };

  // Lightning outcomes, ordered so that nutshell restarts least (each ~3 s; its FakeWallet outcome is per process):
  // pending then failed leaves FakeWallet failing, which the failed melt uses; pending then paid leaves it paying.
  // Melt pending: inputs PENDING and refused elsewhere; once paid SPENT with the change, once failed UNSPENT.
  const pendingThen = async (end: 'paid' | 'failed') => {
    await t.lightning('pending');
    const { quote, inputs, fee } = await melt(30, `pending-${end}`);
    const res = await w.meltProofsBolt11(quote, inputs).then(
      (r) => ({ state: r.quote.state, change: sum(r.change) }),
      (e) => ({ error: (e as { code?: number }).code ?? String(e) }),
    );
    const other = await w.createMeltQuoteBolt11(signedInvoice(5, `${t.kind}${inputFeePpk}/other-${end}`));
    obs[`pending-${end}`] = {
      melt: res,
      quote: (await w.checkMeltQuoteBolt11(quote.quote)).state,
      inputs: [...new Set(await states(w, inputs))],
      reuse: await outcome(w.meltProofsBolt11(other, inputs)),
    };
    await t.resolvePending(end);
    const after = await w.checkMeltQuoteBolt11(quote.quote);
    obs[`pending-${end}-resolved`] = {
      quote: after.state,
      inputs: [...new Set(await states(w, inputs))],
      change: sum(after.change ?? []),
      expectedChange: end === 'paid' ? sum(inputs) - fee - 30 - 1 : 0,
    };
    if (end === 'failed') purse = [...purse, ...inputs];
  };
  if (lightningOutcomes) {
    await pendingThen('failed');
    // Melt failed: the payment fails, the inputs stay unspent.
    await t.lightning('failed');
    const { quote, inputs } = await melt(40, 'failed');
    obs.meltFailed = await outcome(w.meltProofsBolt11(quote, inputs));
    obs.meltFailedQuote = (await w.checkMeltQuoteBolt11(quote.quote)).state;
    obs.meltFailedInputs = [...new Set(await states(w, inputs))];
    purse = [...purse, ...inputs];
    await pendingThen('paid');
    await t.lightning('paid');
  }

  // Malformed requests.
  obs.malformed = {
    swapNotJson: await raw(t.url, 'POST', '/v1/swap', '{"inputs": ['),
    swapEmpty: await raw(t.url, 'POST', '/v1/swap', '{}'),
    swapNoOutputs: await raw(t.url, 'POST', '/v1/swap', JSON.stringify({ inputs: purse.slice(0, 1), outputs: [] })),
    swapNoInputs: await raw(
      t.url,
      'POST',
      '/v1/swap',
      JSON.stringify({ inputs: [], outputs: OutputData.createRandomData(1, ks).map((o) => o.blindedMessage) }),
    ),
    checkstateNotList: await raw(t.url, 'POST', '/v1/checkstate', '{"Ys": 5}'),
    unknownMeltQuote: await raw(t.url, 'GET', '/v1/melt/quote/bolt11/nope'),
    unknownMintQuote: await raw(t.url, 'GET', '/v1/mint/quote/bolt11/nope'),
    negativeMintQuote: await raw(t.url, 'POST', '/v1/mint/quote/bolt11', '{"amount": -1, "unit": "sat"}'),
    badInvoice: await raw(t.url, 'POST', '/v1/melt/quote/bolt11', '{"request": "lnbcgarbage", "unit": "sat"}'),
    unknownKeyset: await raw(
      t.url,
      'POST',
      '/v1/swap',
      JSON.stringify({
        inputs: [{ ...purse[0], id: '00ffffffffffffff' }],
        outputs: OutputData.createRandomData(1, ks).map((o) => o.blindedMessage),
      }),
    ),
    forgedProof: await raw(
      t.url,
      'POST',
      '/v1/swap',
      JSON.stringify({
        inputs: [{ ...purse[0], secret: `${purse[0].secret}x` }],
        outputs: OutputData.createRandomData(Number(purse[0].amount) - (inputFeePpk ? 1 : 0), ks).map(
          (o) => o.blindedMessage,
        ),
      }),
    ),
    unknownY: (await w.checkProofsStates([{ secret: 'never-signed' } as Proof]))[0]?.state,
  };

  // Keyset rotation: the old keyset turns inactive (its proofs still redeem, at its fee; no new outputs on it).
  const rotatedFee = inputFeePpk ? 0 : 100;
  await t.rotate(rotatedFee);
  const w2 = await wallet(t.url, 5);
  obs.rotation = {
    keysets: w2.keyChain
      .getKeysets()
      .map((k) => ({ active: k.isActive, fee: k.fee }))
      .sort((a, b) => Number(a.active) - Number(b.active)),
  };
  const live = await states(w2, purse).then((st) => purse.filter((_, i) => st[i] === 'UNSPENT'));
  const old = live.slice(0, 2);
  // The old proofs redeem into the new keyset at the old keyset's fee: ceil(Σppk / 1000) of *their* keyset.
  const oldFee = Math.ceil((old.length * inputFeePpk) / 1000);
  const intoNew = OutputData.createRandomData(sum(old) - oldFee, w2.keyChain.getKeyset());
  const rotateSwap = await outcome(
    w2.mint.swap({ inputs: old, outputs: intoNew.map((o) => o.blindedMessage) } as never),
  );
  const spare = live.slice(2).find((p) => Number(p.amount) >= 2)!;
  const oldOutputs = OutputData.createRandomData(Number(spare.amount) - (inputFeePpk ? 1 : 0), ks);
  obs.rotation = {
    ...(obs.rotation as object),
    swapOldProofs: rotateSwap,
    outputsOnInactive: await outcome(
      w2.mint.swap({ inputs: [spare], outputs: oldOutputs.map((o) => o.blindedMessage) } as never),
    ),
  };
  return obs;
}
