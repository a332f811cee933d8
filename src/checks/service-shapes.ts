/**
 * The shapes a service crash enumeration sweeps: one melt each, chosen so that a wallet's swap-before-melt path,
 * its exact-amount path, change and input fees are each exercised. A shape says what it demands; the dry run
 * (no crash) shows what the wallet did, and a shape whose demand was not met is `not-exercised`, never passed.
 */
export interface MeltShape {
  name: string;
  /** What the wallet funds itself with first (one deposit). */
  fund: number;
  /** The invoice's amount, the fee reserve the mint quotes, the fee the payment really costs. */
  pay: number;
  feeReserve: number;
  actualFee: number;
  /** The mint's input fee (NUT-02 input_fee_ppk) for this shape's mint. */
  inputFeePpk: number;
  /** What the shape demands of the melt (absent: either way). */
  demands: { swap?: boolean; change?: boolean; inputFees?: boolean };
}

export const SERVICE_SHAPES: MeltShape[] = [
  // One 256 proof pays 250 + 6 reserve exactly, and the payment costs the whole reserve: no swap, no change.
  {
    name: 'exact',
    fund: 256,
    pay: 250,
    feeReserve: 6,
    actualFee: 6,
    inputFeePpk: 0,
    demands: { swap: false, change: false, inputFees: false },
  },
  // The same proof, melted as it is, but the payment costs less than the reserve: change without a swap.
  {
    name: 'exact-change',
    fund: 256,
    pay: 246,
    feeReserve: 10,
    actualFee: 3,
    inputFeePpk: 0,
    demands: { swap: false, change: true, inputFees: false },
  },
  // One 512 proof for 310 sat: a swap first, then the melt, and change back.
  {
    name: 'swap-change',
    fund: 512,
    pay: 300,
    feeReserve: 10,
    actualFee: 3,
    inputFeePpk: 0,
    demands: { swap: true, change: true, inputFees: false },
  },
  // A swap first, and the payment costs the whole reserve: no change.
  {
    name: 'swap-no-change',
    fund: 512,
    pay: 300,
    feeReserve: 4,
    actualFee: 4,
    inputFeePpk: 0,
    demands: { swap: true, change: false, inputFees: false },
  },
  // Input fees on every proof spent (swap and melt), with a swap and change.
  {
    name: 'input-fees',
    fund: 512,
    pay: 300,
    feeReserve: 10,
    actualFee: 3,
    inputFeePpk: 100,
    demands: { swap: true, change: true, inputFees: true },
  },
];

/** The one story the service level knew before the sweep (fund 1000, pay 300): kept to show what it misses. */
export const FIXED_STORY: MeltShape = {
  name: 'fixed-story',
  fund: 1000,
  pay: 300,
  feeReserve: 10,
  actualFee: 3,
  inputFeePpk: 100,
  demands: {},
};

/** What a dry run of a shape showed the wallet did. */
export interface ShapeSeen {
  swaps: number;
  /** Change the mint signed; undefined when this mint cannot tell. */
  change?: number;
  inputFees: number;
}

/** Why a shape's dry run did not exercise what the shape demands; undefined when it did. */
export function unexercised(shape: MeltShape, seen: ShapeSeen): string | undefined {
  const d = shape.demands;
  const missing: string[] = [];
  if (d.swap !== undefined && d.swap !== seen.swaps > 0)
    missing.push(d.swap ? 'no swap preceded the melt' : 'a swap preceded the melt');
  if (d.change !== undefined && seen.change === undefined)
    missing.push('this mint cannot tell whether change was returned');
  else if (d.change !== undefined && d.change !== (seen.change ?? 0) > 0)
    missing.push(d.change ? 'no change was returned' : 'change was returned');
  if (d.inputFees && !seen.inputFees) missing.push('no input fee was paid');
  return missing.length ? `shape ${shape.name}: ${missing.join(', ')}` : undefined;
}
