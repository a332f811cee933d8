import { describe, expect, it } from 'vitest';
import type { History, Op } from '../history/op.ts';
import { html } from './html.ts';
import type { Report } from './report.ts';

// The timeline draws each balance read with the value it saw and the values a serial order allowed.
const p = (y: string, amount: number) => ({ y, amount });
let index = 0;
const op = (o: Omit<Op, 'index' | 'time'>): Op => ({ index: index, time: index++, ...o });
const melt = { transactionId: 'm1', sources: ['t1'], keep: [p('k', 4)], change: [p('c', 1)] };
const history: History = [
  op({ process: 'harness', type: 'invoke', f: 'fund', value: { tokenId: '', proofs: [p('a', 8), p('b', 2)] } }),
  op({ process: 'harness', type: 'ok', f: 'fund', value: { tokenId: 't1', proofs: [p('a', 8), p('b', 2)] } }),
  op({ process: 'p0', type: 'invoke', f: 'melt', value: melt }),
  op({ process: 'r0', type: 'invoke', f: 'balance', value: {} }),
  op({ process: 'r1', type: 'invoke', f: 'balance', value: {} }),
  op({ process: 'r0', type: 'ok', f: 'balance', value: { total: 15, spendable: 15, pending: 0 } }),
  op({ process: 'r1', type: 'ok', f: 'balance', value: { total: 10, spendable: 10, pending: 0 } }),
  op({ process: 'p0', type: 'ok', f: 'melt', value: melt }),
];

describe('html timeline: balance reads (pure)', () => {
  it('labels reads with the value seen and the values allowed, and marks a torn one', () => {
    const report = {
      schema: 'meltcheck/report@1',
      runId: 'r',
      startedAt: '',
      durationMs: 0,
      verdict: 'fail',
      backend: { kind: 'sim', real: false, serverVersion: 'sim', members: 1 },
      adapter: { name: 'x', spec: 'x', sha256: '0' },
      seed: 1,
      runs: 1,
      environment: {},
      checks: [],
      failures: [
        {
          id: 'balance-reads#gate-1.1',
          invariant: 'balance-read',
          check: 'balance-reads',
          type: 'double-count',
          message: 'm',
          steps: history,
          witness: { read: 3, concurrent: [2], allowed: [5, 10], seen: 15 },
          replay: '',
        },
      ],
    } as unknown as Report;
    const page = html(report);
    expect(page).toContain('balance 15 (allowed 5|10)');
    expect(page).toContain('balance 10 (allowed 5|10)');
    expect(page.match(/class="op ok torn"/g)?.length).toBe(1);
    expect(page.match(/class="op ok read"/g)?.length).toBe(1);
    expect(page).toContain('<th>balance-read</th>');
    // The money line: 5 sat counted twice in what the user saw, no stored proof moved.
    expect(page).toMatch(/Money impact<\/b>: [^<]*5 sat counted twice/);
  });
});
