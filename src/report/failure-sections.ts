import { EXPLAIN } from './explain.ts';
import { moneyImpact, moneyLine } from './money.ts';
import { operationRows } from './operations.ts';
import type { Failure } from './types.ts';

/** Rows shown per failure in report.md (a pull-request comment); report.html shows up to HTML_ROWS. */
export const MD_ROWS = 30;
export const HTML_ROWS = 300;

const cell = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');

/** The markdown an auditor reads under each failure: what the rule is, what it cost, what happened. */
export function failureMarkdown(f: Failure): string[] {
  const rows = operationRows(f.steps);
  const lines = [
    `**Rule broken** (${f.invariant}): ${EXPLAIN[f.invariant] ?? ''}`,
    '',
    `**Money impact**: ${moneyLine(moneyImpact(f))}`,
    '',
  ];
  if (rows.length) {
    lines.push('| # | process | operation | sources and amounts | outcome | time (ms) |', '|---|---|---|---|---|---|');
    for (const r of rows.slice(0, MD_ROWS))
      lines.push(
        `| ${r.index} | ${cell(r.process)} | ${r.operation} | ${cell(r.detail)} | ${cell(r.outcome)} | ${r.start}–${r.end ?? '…'} |`,
      );
    if (rows.length > MD_ROWS)
      lines.push('', `… ${rows.length - MD_ROWS} more operations in report.html / report.json`);
    lines.push('');
  }
  return lines;
}
