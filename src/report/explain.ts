/** Each invariant in a sentence an auditor without the code can follow. */
export const EXPLAIN: Record<string, string> = {
  'no-double-count':
    'Every proof counts once: a proof the wallet has spent, or holds twice, must not add to its balance again.',
  conservation:
    'The balance the wallet shows equals what its history accounts for: funded, minus what melts consumed, plus their keep and change.',
  atomicity:
    'A melt is all or nothing: sources marked spent, keep and change stored and the audit written together, or none of it.',
  audit: 'Every completed melt leaves exactly one audit record, and no audit record ever holds a proof secret.',
  idempotency: 'Repeating a melt with the same transaction id never applies it a second time.',
  recovery: 'After a crash, recover() settles unfinished melts from the mint, and running it again changes nothing.',
  'balance-read':
    'Every balance the wallet shows while melts are in flight is the balance of one real state: melts finished before the read are in, melts begun after it are out, melts overlapping it are wholly in or wholly out — never a token counted as both source and change.',
  expectation:
    "A scenario's own requirement (for example: refuse invalid input, exactly one of two racing melts wins).",
};
