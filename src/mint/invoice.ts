import { createHash } from 'node:crypto';

/**
 * Fake bolt11 invoices: the amount sits in the human-readable part as in real invoices (lnbc<amount><multiplier>),
 * so wallets that read it there work; the rest is a deterministic tag, not a real signature.
 */
export function fakeInvoice(amountSat: number, label: string): string {
  // The data part uses bech32's alphabet (no '1'), so parsers that split at the last '1' find the amount.
  const tag = [...createHash('sha256').update(label).digest()].map((b) => BECH32[b & 31]).join('');
  return `lnbc${amountSat * 10}n1p${tag}`;
}

const BECH32 = 'qpzry9x8gf2tvdw0s3jn54khce6mua7l';

const MULT: Record<string, number> = { m: 1e5, u: 100, n: 0.1, p: 0.0001 };

/** The invoice's amount in sat, or undefined when it has none (amountless invoices are not supported). */
export function invoiceAmountSat(invoice: string): number | undefined {
  const m = /^ln(?:bc|tb|bcrt|tbs)(\d+)([munp]?)1/i.exec(invoice);
  if (!m) return undefined;
  const sat = m[2] ? Number(m[1]) * MULT[m[2].toLowerCase()] : Number(m[1]) * 1e8;
  return Number.isInteger(sat) && sat > 0 ? sat : undefined;
}
