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
  // A tampered or hand-edited report is refused here (exit 2), never half-replayed (exit 1 means "reproduced").
  const kinds = ['sim', 'memory', 'docker', 'uri'];
  if (!kinds.includes(r.backend?.kind))
    throw new ReportError(
      `report ${path} names an unknown backend '${String(r.backend?.kind)}' (known: ${kinds.join(', ')})`,
    );
  if (typeof r.adapter?.spec !== 'string' || !r.adapter.spec)
    throw new ReportError(`report ${path} does not name its adapter (adapter.spec)`);
  if (!Number.isSafeInteger(r.seed)) throw new ReportError(`report ${path} has no integer seed`);
  if (!Array.isArray(r.failures) || !Array.isArray(r.checks))
    throw new ReportError(`report ${path} has malformed checks or failures`);
  if (r.backend.members !== undefined && r.backend.members !== 1 && r.backend.members !== 3)
    throw new ReportError(`report ${path} has backend.members ${String(r.backend.members)} (1 or 3)`);
  return r;
}
