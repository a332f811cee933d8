/** Typed failures of executeAtomicMelt; `code` is stable for adapters and reports. */
export class MeltError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** Bad input, detected before any write. */
export class MeltValidationError extends MeltError {
  constructor(message: string) {
    super('MELT_VALIDATION', message);
  }
}

/** Not every source token was still unspent and owned by this wallet: nothing was written. */
export class SourceTokensUnavailableError extends MeltError {
  constructor(
    readonly expected: number,
    readonly spent: number,
  ) {
    super(
      'SOURCE_TOKENS_UNAVAILABLE',
      `expected to spend ${expected} source token(s), ${spent} were unspent and owned`,
    );
  }
}

/** The transactionId was already applied; the first melt's audit id is attached, nothing new was written. */
export class DuplicateMeltError extends MeltError {
  constructor(
    readonly transactionId: string,
    readonly auditId: string,
  ) {
    super('DUPLICATE_TRANSACTION', `melt ${transactionId} was already applied (audit ${auditId})`);
  }
}

/** A keep or change proof is one of the consumed proofs, or already live elsewhere: storing it would double count. */
export class ProofReuseError extends MeltError {
  constructor(readonly ys: string[]) {
    super('PROOF_REUSE', `${ys.length} proof(s) would be stored twice (Y ${ys.slice(0, 3).join(', ')})`);
  }
}
