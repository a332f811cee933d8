/**
 * Turns a thrown wallet error into the completion type. A wallet's error means "not applied" (fail), except when
 * nobody can know: network errors, timeouts, an unknown commit result, a write concern error after the commit,
 * or an error the adapter marks `indeterminate`. Those are `info`: the checker then accepts either outcome.
 */
export function classifyError(e: unknown): 'fail' | 'info' {
  const err = e as {
    name?: string;
    indeterminate?: boolean;
    hasErrorLabel?: (l: string) => boolean;
    errorLabels?: string[];
    writeConcernError?: unknown;
  };
  if (!err || typeof err !== 'object') return 'fail';
  if (err.indeterminate === true) return 'info';
  const labels = err.errorLabels ?? [];
  if (labels.includes('UnknownTransactionCommitResult') || err.hasErrorLabel?.('UnknownTransactionCommitResult'))
    return 'info';
  const name = String(err.name ?? '');
  if (/MongoNetwork|MongoServerSelection|MongoWriteConcern|Timeout|MongoTopologyClosed/i.test(name)) return 'info';
  if (err.writeConcernError) return 'info';
  return 'fail';
}

export function errorSummary(e: unknown): { name: string; code?: string | number; message: string } {
  const err = e as { name?: string; code?: string | number; message?: string };
  return {
    name: String(err?.name ?? 'Error'),
    code: err?.code,
    message: String(err?.message ?? e)
      .split('\n')[0]
      .slice(0, 300),
  };
}
