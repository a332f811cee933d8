import { readFileSync } from 'node:fs';
import { REPORT_SCHEMA, type Report } from './report.ts';

export class ReportError extends Error {}

/** Reads and checks a report.json; any problem is one line (exit 2). */
export function loadReport(path: string): Report {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new ReportError(`cannot read report ${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  let r: Report;
  try {
    r = JSON.parse(text);
  } catch {
    throw new ReportError(`report ${path} is not JSON`);
  }
  if (!r || r.schema !== REPORT_SCHEMA) throw new ReportError(`report ${path} is not a ${REPORT_SCHEMA} report`);
  for (const field of ['verdict', 'backend', 'adapter', 'seed', 'checks', 'failures'] as const)
    if (r[field] === undefined) throw new ReportError(`report ${path} lacks '${field}'`);
  return r;
}
