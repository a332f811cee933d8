/** A NUT error: HTTP 400 with {detail, code}. Codes from NUT-00's error table. */
export class MintError extends Error {
  /** HTTP status: 400, or 422 for a request body of the wrong shape (as nutshell's FastAPI answers). */
  status = 400;
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
  /** NUT-00 "proof verification failed" (nutshell: InvalidProofsError). */
  TokenVerificationFailed: 10001,
  QuoteNotPaid: 20001,
  TokensAlreadyIssued: 20002,
  QuotePending: 20005,
  InvoiceAlreadyPaid: 20006,
  QuoteExpired: 20007,
  UnitUnsupported: 11013,
  BadRequest: 10000,
  /** A transaction error NUT-00 has no specific code for (nutshell: TransactionError, e.g. no inputs). */
  TransactionError: 11000,
  LightningPaymentFailed: 20004,
} as const;

/** A body that does not fit the endpoint's schema: 422 with a FastAPI-style detail list and no NUT code. */
export class SchemaError extends MintError {
  constructor(detail: string) {
    super(NUT.BadRequest, detail);
    this.status = 422;
  }
}
