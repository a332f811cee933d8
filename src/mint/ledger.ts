import { randomBytes } from 'node:crypto';
import { createBlindSignature, createDLEQProof, pointFromHex, verifyUnblindedSignature } from '@cashu/cashu-ts';
import { memo } from '../proofs/memo.ts';
import { proofY } from '../proofs/proof.ts';
import { MintError, NUT } from './errors.ts';
import { fakeInvoice, invoiceAmountSat } from './invoice.ts';
import { deriveKeyset, type MintKeyset } from './keysets.ts';
import { Lightning, type LightningPlan } from './lightning.ts';

export interface WireProof {
  id: string;
  amount: number | string;
  secret: string;
  C: string;
}
export interface WireOutput {
  id: string;
  amount: number | string;
  B_: string;
}
export interface Signature {
  id: string;
  amount: number;
  C_: string;
  dleq: { e: string; s: string };
}

export type MeltState = 'UNPAID' | 'PENDING' | 'PAID';

export interface MeltQuote {
  quote: string;
  request: string;
  amount: number;
  fee_reserve: number;
  unit: 'sat';
  state: MeltState;
  expiry: number;
  payment_preimage: string | null;
  change?: Signature[];
  plan: LightningPlan;
  inputs?: { y: string; amount: number; keysetId: string }[];
  outputs?: WireOutput[];
  inputAmount?: number;
  inputFee?: number;
}

export interface MintQuote {
  quote: string;
  request: string;
  amount: number;
  unit: 'sat';
  state: 'UNPAID' | 'PAID' | 'ISSUED';
  expiry: number;
}

export type ProofStateName = 'UNSPENT' | 'PENDING' | 'SPENT';

/**
 * A state change in the books, named by its NUT-17 subscription kind and filter id (quote id or proof Y). The object
 * is the live one: a listener that keeps it must copy it at once.
 */
export type LedgerChange =
  | { kind: 'bolt11_mint_quote'; id: string; quote: MintQuote }
  | { kind: 'bolt11_melt_quote'; id: string; quote: MeltQuote }
  | { kind: 'proof_state'; id: string; state: ProofStateName };

const hex = (u: Uint8Array) => Buffer.from(u).toString('hex');
const enc = new TextEncoder();
/** Y of a proof: the one definition lives with the proofs. */
export const yOf = proofY;

/** C_ = k·B_ and its DLEQ proof (deterministic nonce): a pure function of k and B_, computed once. */
const signed = memo((key) => {
  const [k, B] = JSON.parse(key) as [string, string];
  const priv = Buffer.from(k, 'hex');
  const B_ = pointFromHex(B);
  const dleq = createDLEQProof(B_, priv);
  return { C_: createBlindSignature(B_, priv, '').C_.toHex(true), dleq: { e: hex(dleq.e), s: hex(dleq.s) } };
});

/** Whether C = k·hash_to_curve(secret): a pure function of k, secret and C, computed once. */
const verified = memo((key) => {
  const [k, secret, C] = JSON.parse(key) as [string, string, string];
  try {
    const priv = Buffer.from(k, 'hex');
    return verifyUnblindedSignature({ C: pointFromHex(C), secret: enc.encode(secret), id: '' }, priv);
  } catch {
    return false;
  }
});

function splitPow2(amount: number): number[] {
  const out: number[] = [];
  for (let bit = 0; amount > 0; bit++, amount >>= 1) if (amount & 1) out.push(1 << bit);
  return out;
}

/**
 * The mint's books: keysets, every signature issued, every input spent or pending, quotes, and running totals.
 * Synchronous, so each operation is atomic; the HTTP layer is a thin shell around it.
 */
export class Ledger {
  readonly keysets = new Map<string, MintKeyset>();
  readonly signatures = new Map<string, Signature>(); // by B_
  readonly spent = new Map<string, { amount: number; keysetId: string }>();
  readonly pending = new Map<string, string>(); // Y -> melt quote id
  readonly mintQuotes = new Map<string, MintQuote>();
  readonly meltQuotes = new Map<string, MeltQuote>();
  readonly totals = { deposits: 0, issued: 0, redeemed: 0, inputFees: 0, lightningPaid: 0, lightningFees: 0 };
  readonly lightning: Lightning;
  /** How a failed payment is answered: an error (NUT-05 code 20004), or 200 with the quote UNPAID. */
  failedAs: 'error' | 'unpaid' = 'error';
  /** Told of every state change, as it happens (NUT-17 notifications are made from these). */
  onChange?: (change: LedgerChange) => void;
  private quoteCounter = 0;

  constructor(
    readonly seed: string,
    inputFeePpk = 0,
    lightning = new Lightning(),
  ) {
    const k = deriveKeyset(seed, 0, inputFeePpk);
    this.keysets.set(k.keysetId, k);
    this.lightning = lightning;
  }

  /** Keyset rotation (as nutshell's next-keyset): the active keyset becomes inactive, a new one takes over. */
  rotate(inputFeePpk: number): MintKeyset {
    const old = this.activeKeyset;
    old.active = false;
    const k = deriveKeyset(this.seed, this.keysets.size, inputFeePpk);
    this.keysets.set(k.keysetId, k);
    return k;
  }

  get activeKeyset(): MintKeyset {
    return [...this.keysets.values()].find((k) => k.active)!;
  }

  private newQuoteId(kind: string): string {
    return `${kind}_${this.seed}_${++this.quoteCounter}`;
  }

  /** Fee for spending these proofs: ceil(sum of per-proof ppk / 1000). */
  fee(proofs: { id: string }[]): number {
    const ppk = proofs.reduce((s, p) => s + (this.keysets.get(p.id)?.inputFeePpk ?? 0), 0);
    return Math.ceil(ppk / 1000);
  }

  private verifyInputs(inputs: WireProof[]): { ys: string[]; total: number } {
    if (!Array.isArray(inputs) || inputs.length === 0) throw new MintError(NUT.TransactionError, 'no proofs provided');
    const ys = inputs.map((p) => {
      if (typeof p?.secret !== 'string' || typeof p.C !== 'string')
        throw new MintError(NUT.BadRequest, 'malformed proof');
      return yOf(p.secret);
    });
    if (new Set(ys).size !== ys.length) throw new MintError(NUT.DuplicateInputs, 'duplicate inputs');
    let total = 0;
    for (const [i, p] of inputs.entries()) {
      const k = this.keysets.get(p.id);
      if (!k) throw new MintError(NUT.KeysetUnknown, `keyset ${p.id} unknown`);
      const amount = Number(p.amount);
      const priv = k.privKeys[String(amount)];
      if (!priv) throw new MintError(NUT.TokenVerificationFailed, `no key for amount ${p.amount}`);
      const valid = verified(JSON.stringify([hex(priv), p.secret, p.C]));
      if (!valid) throw new MintError(NUT.TokenVerificationFailed, 'proof signature invalid');
      if (this.spent.has(ys[i])) throw new MintError(NUT.TokenAlreadySpent, 'Token already spent.');
      if (this.pending.has(ys[i])) throw new MintError(NUT.TokenPending, 'Token is pending.');
      total += amount;
    }
    return { ys, total };
  }

  private checkOutputs(outputs: WireOutput[], blank = false): void {
    if (!Array.isArray(outputs)) throw new MintError(NUT.BadRequest, 'outputs must be an array');
    const bs = outputs.map((o) => o?.B_);
    if (bs.some((b) => typeof b !== 'string')) throw new MintError(NUT.BadRequest, 'malformed output');
    if (new Set(bs).size !== bs.length) throw new MintError(NUT.DuplicateOutputs, 'duplicate outputs');
    for (const o of outputs) {
      if (this.signatures.has(o.B_))
        throw new MintError(NUT.OutputsAlreadySigned, 'outputs have already been signed before.');
      const k = this.keysets.get(o.id);
      if (!k) throw new MintError(NUT.KeysetUnknown, `keyset ${o.id} unknown`);
      if (!k.active) throw new MintError(NUT.KeysetInactive, 'keyset inactive');
      // NUT-08 blanks carry amount 0 (cashu-ts) or 1: the mint assigns their amounts.
      if (!blank && !k.privKeys[String(Number(o.amount))])
        throw new MintError(NUT.BadRequest, `bad output amount ${o.amount}`);
      try {
        pointFromHex(o.B_);
      } catch {
        throw new MintError(NUT.BadRequest, 'output B_ is not a curve point');
      }
    }
  }

  private sign(outputs: WireOutput[], amounts?: number[]): Signature[] {
    return outputs.map((o, i) => {
      const amount = amounts ? amounts[i] : Number(o.amount);
      const k = this.keysets.get(o.id)!;
      const priv = k.privKeys[String(amount)];
      const { C_, dleq } = signed(JSON.stringify([hex(priv), o.B_]));
      const s: Signature = { id: k.keysetId, amount, C_, dleq: { ...dleq } };
      this.signatures.set(o.B_, s);
      this.totals.issued += amount;
      return s;
    });
  }

  createMintQuote(amount: number): MintQuote {
    if (!Number.isSafeInteger(amount) || amount <= 0)
      throw new MintError(NUT.AmountOutsideLimit, 'amount must be a positive integer');
    const quote = this.newQuoteId('mint');
    // Fake Lightning: the deposit invoice counts as paid at once.
    const q: MintQuote = {
      quote,
      request: fakeInvoice(amount, `deposit/${quote}`),
      amount,
      unit: 'sat',
      state: 'PAID',
      expiry: Math.floor(Date.now() / 1000) + 3600,
    };
    this.mintQuotes.set(quote, q);
    return q;
  }

  mint(quoteId: string, outputs: WireOutput[]): Signature[] {
    const q = this.mintQuotes.get(quoteId);
    if (!q) throw new MintError(NUT.BadRequest, 'quote not found');
    if (q.state === 'ISSUED') throw new MintError(NUT.TokensAlreadyIssued, 'quote already issued');
    if (q.state !== 'PAID') throw new MintError(NUT.QuoteNotPaid, 'quote not paid');
    this.checkOutputs(outputs);
    const sum = outputs.reduce((s, o) => s + Number(o.amount), 0);
    if (sum !== q.amount) throw new MintError(NUT.TransactionUnbalanced, `outputs ${sum} != quote ${q.amount}`);
    const sigs = this.sign(outputs);
    q.state = 'ISSUED';
    this.totals.deposits += q.amount;
    this.onChange?.({ kind: 'bolt11_mint_quote', id: q.quote, quote: q });
    return sigs;
  }

  swap(inputs: WireProof[], outputs: WireOutput[]): Signature[] {
    const { ys, total } = this.verifyInputs(inputs);
    // As nutshell: a swap must sign something (else a whole input could vanish into the fee).
    if (outputs.length === 0) throw new MintError(NUT.BadRequest, 'no outputs provided');
    this.checkOutputs(outputs);
    const fee = this.fee(inputs);
    const out = outputs.reduce((s, o) => s + Number(o.amount), 0);
    if (total - fee !== out)
      throw new MintError(NUT.TransactionUnbalanced, `inputs ${total} - fee ${fee} != outputs ${out}`);
    this.spend(inputs, ys);
    this.totals.inputFees += fee;
    return this.sign(outputs);
  }

  /** Proofs redeemed while their keyset was inactive (rotated out): coverage for stories that rotate keysets. */
  redeemedInactive = 0;

  private markSpent(y: string, amount: number, keysetId: string): void {
    this.spent.set(y, { amount, keysetId });
    if (this.keysets.get(keysetId)?.active === false) this.redeemedInactive++;
  }

  private spend(inputs: WireProof[], ys: string[]): void {
    for (const [i, p] of inputs.entries()) {
      this.markSpent(ys[i], Number(p.amount), p.id);
      this.pending.delete(ys[i]);
      this.totals.redeemed += Number(p.amount);
    }
    // A real mint holds the inputs while it signs (NUT-17's own example: UNSPENT, PENDING, SPENT).
    this.proofsChanged(ys, 'PENDING');
    this.proofsChanged(ys, 'SPENT');
  }

  private proofsChanged(ys: string[], state: ProofStateName): void {
    if (this.onChange) for (const y of ys) this.onChange({ kind: 'proof_state', id: y, state });
  }

  private meltChanged(q: MeltQuote): void {
    this.onChange?.({ kind: 'bolt11_melt_quote', id: q.quote, quote: q });
  }

  createMeltQuote(request: string): MeltQuote {
    const amount = invoiceAmountSat(request);
    if (!amount) throw new MintError(NUT.BadRequest, 'invoice has no amount');
    for (const q of this.meltQuotes.values())
      if (q.request === request && q.state === 'PAID')
        throw new MintError(NUT.InvoiceAlreadyPaid, 'invoice already paid');
    const plan = this.lightning.planFor(request, amount);
    const q: MeltQuote = {
      quote: this.newQuoteId('melt'),
      request,
      amount,
      fee_reserve: plan.feeReserve,
      unit: 'sat',
      state: 'UNPAID',
      expiry: Math.floor(Date.now() / 1000) + 3600,
      payment_preimage: null,
      plan,
    };
    this.meltQuotes.set(q.quote, q);
    return q;
  }

  /** NUT-05 melt. Returns the quote after the attempt (PAID with change, or PENDING). */
  melt(quoteId: string, inputs: WireProof[], outputs: WireOutput[] = []): MeltQuote {
    const q = this.meltQuotes.get(quoteId);
    if (!q) throw new MintError(NUT.BadRequest, 'quote not found');
    if (q.state === 'PAID') throw new MintError(NUT.InvoiceAlreadyPaid, 'invoice already paid');
    if (q.state === 'PENDING') throw new MintError(NUT.QuotePending, 'quote is pending');
    if (q.expiry * 1000 < Date.now()) throw new MintError(NUT.QuoteExpired, 'quote expired');
    const { ys, total } = this.verifyInputs(inputs);
    if (outputs.length) this.checkOutputs(outputs, true);
    const fee = this.fee(inputs);
    if (total - fee < q.amount + q.fee_reserve)
      throw new MintError(
        NUT.TransactionUnbalanced,
        `inputs ${total} - fee ${fee} < amount ${q.amount} + reserve ${q.fee_reserve}`,
      );
    const refs = inputs.map((p, i) => ({ y: ys[i], amount: Number(p.amount), keysetId: p.id }));
    Object.assign(q, { inputs: refs, outputs, inputAmount: total, inputFee: fee });
    if (q.plan.outcome === 'failed') {
      // The books do not change, but subscribers see what a real mint goes through: inputs and quote held while
      // the payment is tried, then released (nutshell notifies the same).
      this.proofsChanged(ys, 'PENDING');
      this.meltChanged({ ...q, state: 'PENDING' });
      this.proofsChanged(ys, 'UNSPENT');
      this.meltChanged(q);
      if (this.failedAs === 'unpaid') return q; // the inputs stay unspent, the quote UNPAID
      throw new MintError(NUT.LightningPaymentFailed, 'Lightning payment failed');
    }
    for (const y of ys) this.pending.set(y, q.quote);
    q.state = 'PENDING';
    this.proofsChanged(ys, 'PENDING');
    this.meltChanged(q);
    if (q.plan.outcome === 'pending') return q;
    return this.settle(q.quote, 'paid');
  }

  /** Ends a melt: paid (inputs spent, change signed) or failed (inputs released, quote UNPAID again). */
  settle(quoteId: string, outcome: 'paid' | 'failed'): MeltQuote {
    const q = this.meltQuotes.get(quoteId);
    if (q?.state !== 'PENDING') throw new Error(`melt quote ${quoteId} is not pending`);
    const refs = q.inputs ?? [];
    for (const r of refs) this.pending.delete(r.y);
    if (outcome === 'failed') {
      q.state = 'UNPAID';
      this.proofsChanged(
        refs.map((r) => r.y),
        'UNSPENT',
      );
      this.meltChanged(q);
      return q;
    }
    for (const r of refs) this.markSpent(r.y, r.amount, r.keysetId);
    const lnFee = Math.min(q.plan.actualFee, q.fee_reserve);
    this.totals.redeemed += q.inputAmount ?? 0;
    this.totals.inputFees += q.inputFee ?? 0;
    this.totals.lightningPaid += q.amount;
    this.totals.lightningFees += lnFee;
    const overpaid = (q.inputAmount ?? 0) - (q.inputFee ?? 0) - q.amount - lnFee;
    const amounts = splitPow2(overpaid).slice(0, q.outputs?.length ?? 0);
    // What the blanks cannot carry is kept by the mint (as a real mint would): count it as a fee.
    this.totals.lightningFees += overpaid - amounts.reduce((s, a) => s + a, 0);
    q.change = amounts.length ? this.sign(q.outputs!.slice(0, amounts.length), amounts) : [];
    q.state = 'PAID';
    q.payment_preimage = randomBytes(32).toString('hex');
    this.proofsChanged(
      refs.map((r) => r.y),
      'SPENT',
    );
    this.meltChanged(q);
    return q;
  }

  checkState(ys: string[]): { Y: string; state: 'UNSPENT' | 'PENDING' | 'SPENT'; witness: null }[] {
    return ys.map((Y) => ({
      Y,
      state: this.spent.has(Y) ? 'SPENT' : this.pending.has(Y) ? 'PENDING' : 'UNSPENT',
      witness: null,
    }));
  }

  restore(outputs: WireOutput[]): { outputs: WireOutput[]; signatures: Signature[] } {
    const found = outputs.filter((o) => this.signatures.has(o.B_));
    return { outputs: found, signatures: found.map((o) => this.signatures.get(o.B_)!) };
  }

  /** The oracle: what these proofs are worth unspent, verified against the mint's own keys and books. */
  worth(proofs: WireProof[]): { unspent: number; pending: number; spent: number; invalid: number } {
    const out = { unspent: 0, pending: 0, spent: 0, invalid: 0 };
    for (const p of proofs) {
      const amount = Number(p.amount);
      const k = this.keysets.get(p.id);
      const priv = k?.privKeys[String(amount)];
      const valid = priv !== undefined && verified(JSON.stringify([hex(priv), p.secret, p.C]));
      const y = yOf(p.secret);
      if (!valid) out.invalid += amount;
      else if (this.spent.has(y)) out.spent += amount;
      else if (this.pending.has(y)) out.pending += amount;
      else out.unspent += amount;
    }
    return out;
  }

  /** deposits = outstanding + fees + Lightning paid out, when no melt is pending. */
  identity() {
    const t = this.totals;
    const outstanding = t.issued - t.redeemed;
    const pendingMelt = [...this.meltQuotes.values()]
      .filter((q) => q.state === 'PENDING')
      .reduce((s, q) => s + (q.inputAmount ?? 0), 0);
    return {
      ...t,
      outstanding,
      pendingMelt,
      holds: t.deposits === outstanding + t.inputFees + t.lightningPaid + t.lightningFees,
    };
  }
}
