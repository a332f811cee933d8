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

/**
 * A wallet may also say "not applied" by resolving the seed's result shape with `success: false`: that is a
 * refusal (fail), never a commit. Returns the refusal, or undefined when the result claims success.
 */
export function outcomeOfResult(result: unknown): { name: string; message: string } | undefined {
  if (!result || typeof result !== 'object' || !('success' in result)) return undefined;
  const r = result as { success?: unknown; error?: unknown; message?: unknown };
  if (r.success !== false) return undefined;
  const why = r.error ?? r.message ?? 'the wallet resolved { success: false }';
  return { name: 'Refused', message: String(typeof why === 'object' ? JSON.stringify(why) : why).slice(0, 300) };
}
