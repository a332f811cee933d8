/** A server-side command error, rendered as mongod renders it: {ok: 0, errmsg, code, codeName, errorLabels}. */
export class CommandError extends Error {
  constructor(
    readonly code: number,
    message: string,
    readonly labels: string[] = [],
    readonly extra: Record<string, unknown> = {},
  ) {
    super(message);
  }
  get codeName(): string {
    return CODE_NAMES[this.code] ?? 'UnknownError';
  }
}

export const Codes = {
  InternalError: 1,
  BadValue: 2,
  FailedToParse: 9,
  TypeMismatch: 14,
  IllegalOperation: 20,
  NamespaceNotFound: 26,
  IndexNotFound: 27,
  CursorNotFound: 43,
  NamespaceExists: 48,
  MaxTimeMSExpired: 50,
  CommandNotFound: 59,
  WriteConcernFailed: 64,
  InvalidOptions: 72,
  InvalidNamespace: 73,
  IndexOptionsConflict: 85,
  IndexKeySpecsConflict: 86,
  NotWritablePrimary: 10107,
  WriteConflict: 112,
  OperationNotSupportedInTransaction: 263,
  NoSuchTransaction: 251,
  TransactionCommitted: 256,
  TransactionTooOld: 225,
  DuplicateKey: 11000,
  InvalidIdField: 53,
  ImmutableField: 66,
  ConflictingUpdateOperators: 40,
  FailPointEnabled: 9001, // placeholder for tests; failCommand uses the caller's errorCode
} as const;

const CODE_NAMES: Record<number, string> = Object.fromEntries(
  Object.entries(Codes).map(([name, code]) => [code, name]),
);
CODE_NAMES[6] = 'HostUnreachable';
CODE_NAMES[7] = 'HostNotFound';
CODE_NAMES[89] = 'NetworkTimeout';
CODE_NAMES[91] = 'ShutdownInProgress';
CODE_NAMES[11600] = 'InterruptedAtShutdown';
CODE_NAMES[11602] = 'InterruptedDueToReplStateChange';
CODE_NAMES[189] = 'PrimarySteppedDown';
CODE_NAMES[13435] = 'NotPrimaryNoSecondaryOk';
CODE_NAMES[262] = 'ExceededTimeLimit';
CODE_NAMES[9001] = 'SocketException';
CODE_NAMES[100] = 'UnsatisfiableWriteConcern';
CODE_NAMES[79] = 'UnknownReplWriteConcern';

export function codeName(code: number): string {
  return CODE_NAMES[code] ?? 'UnknownError';
}

/** Codes mongod labels RetryableWriteError on retryable writes (see the retryable writes spec). */
export const RETRYABLE_CODES = new Set([6, 7, 89, 91, 189, 262, 9001, 10107, 11600, 11602, 13435, 13436]);

export function writeConflict(): CommandError {
  return new CommandError(
    Codes.WriteConflict,
    'Write conflict during plan execution and yielding is disabled. :: Please retry your operation or multi-document transaction.',
    ['TransientTransactionError'],
  );
}
