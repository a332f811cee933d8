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
  SnapshotTooOld: 239,
  UnsatisfiableWriteConcern: 100,
  UnknownReplWriteConcern: 79,
  IDLUnknownField: 40415,
  IDLMissingField: 40414,
} as const;

/** mongod's names for every code the simulator emits or a fail point commonly injects (error_codes.yml). */
const CODE_NAMES: Record<number, string> = {
  ...Object.fromEntries(Object.entries(Codes).map(([name, code]) => [code, name])),
  6: 'HostUnreachable',
  7: 'HostNotFound',
  11: 'UserNotFound',
  13: 'Unauthorized',
  18: 'AuthenticationFailed',
  24: 'LockTimeout',
  43: 'CursorNotFound',
  46: 'LockBusy',
  64: 'WriteConcernFailed',
  79: 'UnknownReplWriteConcern',
  89: 'NetworkTimeout',
  91: 'ShutdownInProgress',
  96: 'OperationFailed',
  100: 'UnsatisfiableWriteConcern',
  117: 'ConflictingOperationInProgress',
  133: 'FailedToSatisfyReadPreference',
  134: 'ReadConcernMajorityNotAvailableYet',
  189: 'PrimarySteppedDown',
  211: 'KeyNotFound',
  239: 'SnapshotTooOld',
  244: 'TransactionAborted',
  246: 'SnapshotUnavailable',
  262: 'ExceededTimeLimit',
  267: 'PreparedTransactionInProgress',
  9001: 'SocketException',
  10058: 'LegacyNotPrimary',
  10107: 'NotWritablePrimary',
  11600: 'InterruptedAtShutdown',
  11601: 'Interrupted',
  11602: 'InterruptedDueToReplStateChange',
  13388: 'StaleConfig',
  13435: 'NotPrimaryNoSecondaryOk',
  13436: 'NotPrimaryOrSecondary',
  40414: 'Location40414',
  40415: 'Location40415',
  50915: 'BackupCursorOpenConflictWithCheckpoint',
};

export function codeName(code: number): string {
  return CODE_NAMES[code] ?? 'UnknownError';
}

/** Codes mongod labels RetryableWriteError on retryable writes (see the retryable writes spec). */
export const RETRYABLE_CODES = new Set([6, 7, 89, 91, 189, 262, 9001, 10107, 11600, 11602, 13435, 13436]);

/**
 * mongod's rule (error_labels.cpp) for TransientTransactionError: the error left no trace, so the whole transaction
 * may run again. NoSuchTransaction on commit/abort is transient only without a write concern error (else the
 * commit may have happened).
 */
export function isTransientTransactionError(
  code: number,
  hasWriteConcernError: boolean,
  commitOrAbort: boolean,
): boolean {
  if ([112, 24, 267, 239, 246, 13388].includes(code)) return true;
  if (code === Codes.NoSuchTransaction) return !(commitOrAbort && hasWriteConcernError);
  return false;
}

export function writeConflict(): CommandError {
  return new CommandError(
    Codes.WriteConflict,
    'Write conflict during plan execution and yielding is disabled. :: Please retry your operation or multi-document transaction.',
    ['TransientTransactionError'],
  );
}
