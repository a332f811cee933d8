import type { FundValue, History, MeltValue, Op } from '../history/op.ts';
import { pairs } from '../history/op.ts';

/** One row of a failure's operations table: an operation from invocation to completion (or none). */
export interface OperationRow {
  index: number;
  process: string;
  operation: string;
  /** Sources and amounts, in a few words (token ids shortened; proofs only as amounts). */
  detail: string;
  outcome: string;
  /** ms since the run started: invoked, completed (undefined while in flight / when the process died). */
  start: number;
  end?: number;
}

const short = (id: string) => (id.length > 10 ? `…${id.slice(-6)}` : id);
const sats = (ps: { amount: number }[]) => ps.reduce((s, p) => s + p.amount, 0);

function detail(op: Op): string {
  const v = op.value as Partial<FundValue & MeltValue> & Record<string, unknown>;
  if (op.f === 'fund' && v.proofs)
    return `token ${short(String(v.tokenId ?? '?'))}: ${sats(v.proofs)} sat in ${v.proofs.length} proofs`;
  if (op.f === 'melt' && v.sources)
    return `${v.transactionId ?? ''}: sources ${v.sources.map(short).join(', ')} → keep ${sats(v.keep ?? [])} sat, change ${sats(v.change ?? [])} sat`;
  return Object.entries(v)
    .filter(([, x]) => typeof x !== 'object')
    .map(([k, x]) => `${k}=${String(x)}`)
    .join(' ')
    .slice(0, 120);
}

function outcome(c: Op | undefined): string {
  if (!c) return 'no reply (in flight or process died)';
  if (c.type === 'ok') return 'ok';
  const why = c.error
    ? `: ${c.error.name}${c.error.code !== undefined ? ` ${c.error.code}` : ''} ${c.error.message}`
    : '';
  return `${c.type === 'info' ? 'unknown' : 'failed'}${why}`.slice(0, 160);
}

/** The operations of a failure, one row each, faults and crashes included, in invocation order. */
export function operationRows(steps: History): OperationRow[] {
  const rows: OperationRow[] = pairs(steps).map(({ invoke, complete }) => ({
    index: invoke.index,
    process: invoke.process,
    operation: invoke.f,
    // A fund's token id is assigned by the wallet: the completion has it.
    detail: detail(invoke.f === 'fund' && complete?.type === 'ok' ? complete : invoke),
    outcome: outcome(complete),
    start: invoke.time,
    ...(complete ? { end: complete.time } : {}),
  }));
  // Completions without an invocation (a crash or fault recorded as a single event) still show.
  const invoked = new Set(rows.map((r) => r.index));
  const paired = new Set(pairs(steps).flatMap((p) => (p.complete ? [p.complete.index] : [])));
  for (const op of steps)
    if (op.type !== 'invoke' && !paired.has(op.index) && !invoked.has(op.index))
      rows.push({
        index: op.index,
        process: op.process,
        operation: op.f,
        detail: detail(op),
        outcome: outcome(op),
        start: op.time,
        end: op.time,
      });
  return rows.sort((x, y) => x.start - y.start || x.index - y.index);
}
