/** A NUT error: HTTP 400 with {detail, code}. Codes from NUT-00's error table. */
export class MintError extends Error {
  constructor(
    readonly code: number,
    readonly detail: string,
  ) {
    super(detail);
  }
}

export const NUT = {
  TokenAlreadySpent: 11001,
  TokenPending: 11002,
  OutputsAlreadySigned: 11003,
  OutputsPending: 11004,
  TransactionUnbalanced: 11005,
  AmountOutsideLimit: 11006,
  DuplicateInputs: 11007,
  DuplicateOutputs: 11008,
  KeysetUnknown: 12001,
  KeysetInactive: 12002,
  TokenVerificationFailed: 10003,
  QuoteNotPaid: 20001,
  TokensAlreadyIssued: 20002,
  QuotePending: 20005,
  InvoiceAlreadyPaid: 20006,
  QuoteExpired: 20007,
  UnitUnsupported: 11013,
  BadRequest: 10000,
  LightningPaymentFailed: 20004,
} as const;
