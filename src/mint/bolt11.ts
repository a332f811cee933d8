import { createHash } from 'node:crypto';
import { secp256k1 } from '@noble/curves/secp256k1.js';
import { bech32 } from '@scure/base';

/**
 * Signed BOLT-11 invoices (mainnet, amount in the human-readable part, payment hash, payment secret, description,
 * expiry), for mints that decode what they are asked to pay: nutshell rejects meltcheck's fake invoices. The
 * payee key and every field derive from `label`, so the same label gives the same invoice. No library on npm
 * encodes invoices without native secp256k1 bindings; this is the format of BOLT 11 and nothing more.
 */
export function signedInvoice(amountSat: number, label: string, timestamp = 1_700_000_000): string {
  if (!Number.isSafeInteger(amountSat) || amountSat <= 0) throw new Error(`invoice amount must be > 0: ${amountSat}`);
  const h = (what: string) => createHash('sha256').update(`meltcheck-invoice/${what}/${label}`).digest();
  const hrp = `lnbc${amountSat * 10}n`;
  const words: number[] = [...uint(timestamp, 7)];
  const field = (type: number, data: number[]) => words.push(type, ...uint(data.length, 2), ...data);
  field(1, bech32.toWords(h('hash'))); // p: payment hash
  field(16, bech32.toWords(h('secret'))); // s: payment secret
  field(13, bech32.toWords(new TextEncoder().encode(`meltcheck ${label}`))); // d: description
  field(6, uint(3600, 3)); // x: expiry
  const payload = Buffer.concat([Buffer.from(hrp, 'ascii'), Buffer.from(wordsToBytes(words))]);
  const sig = secp256k1.sign(payload, h('payee'), { format: 'recovered' }); // sha256(payload); recovery byte first
  const sigWords = bech32.toWords(Uint8Array.from([...sig.slice(1), sig[0]]));
  return bech32.encode(hrp, [...words, ...sigWords], false);
}

/** The payment hash an invoice made by signedInvoice carries. */
export function invoicePaymentHash(label: string): string {
  return createHash('sha256').update(`meltcheck-invoice/hash/${label}`).digest('hex');
}

function uint(n: number, len: number): number[] {
  const out: number[] = [];
  for (let i = len - 1; i >= 0; i--) out.push(Math.floor(n / 32 ** i) % 32);
  return out;
}

/** 5-bit words to bytes, zero-padded at the end (BOLT 11 signs this, not bech32's strict conversion). */
function wordsToBytes(words: number[]): number[] {
  const out: number[] = [];
  let acc = 0;
  let bits = 0;
  for (const w of words) {
    acc = (acc << 5) | w;
    bits += 5;
    while (bits >= 8) {
      bits -= 8;
      out.push((acc >> bits) & 0xff);
    }
    acc &= (1 << bits) - 1;
  }
  if (bits > 0) out.push((acc << (8 - bits)) & 0xff);
  return out;
}
