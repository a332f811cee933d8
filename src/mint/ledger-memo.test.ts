import {
  blindMessage,
  createBlindSignature,
  createDLEQProof,
  hashToCurve,
  pointFromHex,
  unblindSignature,
  verifyDLEQProof,
} from '@cashu/cashu-ts';
import { describe, expect, it } from 'vitest';
import { Ledger } from './ledger.ts';

const hex = (u: Uint8Array) => Buffer.from(u).toString('hex');
const enc = new TextEncoder();

// The ledger remembers signatures and verifications across instances (a crash enumeration repeats them). What it
// answers must be exactly what the curve arithmetic answers, for every instance, and a bad proof stays bad.
describe('the ledger memoized crypto', () => {
  it('signs as the arithmetic does, with a valid DLEQ, and two ledgers of one seed agree', () => {
    const a = new Ledger('memo-seed');
    const b = new Ledger('memo-seed');
    const k = a.activeKeyset;
    const q = a.createMintQuote(8);
    const secret = enc.encode('a secret for the memo test');
    const { B_, r } = blindMessage(secret);
    const out = { id: k.keysetId, amount: 8, B_: B_.toHex(true) };
    const [sig] = a.mint(q.quote, [out]);
    const priv = k.privKeys['8'];
    expect(sig.C_).toBe(createBlindSignature(B_, priv, k.keysetId).C_.toHex(true));
    const direct = createDLEQProof(B_, priv);
    expect(sig.dleq).toEqual({ e: hex(direct.e), s: hex(direct.s) });
    const A = pointFromHex(hex(k.pubKeys['8'] as Uint8Array));
    const proof = { e: Buffer.from(sig.dleq.e, 'hex'), s: Buffer.from(sig.dleq.s, 'hex') };
    expect(verifyDLEQProof(proof, B_, pointFromHex(sig.C_), A)).toBe(true);
    // The other ledger signs the same output the same (from the memo) and keeps its own books.
    const [again] = b.mint(b.createMintQuote(8).quote, [out]);
    expect(again).toEqual(sig);
    expect(again.dleq).not.toBe(sig.dleq);
    // The unblinded proof redeems; a proof with another C does not, memo or not.
    const C = unblindSignature(pointFromHex(sig.C_), r, A).toHex(true);
    const good = { id: k.keysetId, amount: 8, secret: 'a secret for the memo test', C };
    const bad = { ...good, C: hashToCurve(enc.encode('other')).toHex(true) };
    expect(a.worth([good, bad])).toMatchObject({ unspent: 8, invalid: 8 });
    expect(b.worth([bad, good])).toMatchObject({ unspent: 8, invalid: 8 });
    expect(() => a.swap([bad], [])).toThrow(/signature invalid/);
  });
});
