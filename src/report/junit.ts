import type { Report } from './report.ts';
import { xmlEscape as esc } from './xml-escape.ts';

/** One testcase per check, for CI systems. */
export function junit(report: Report): string {
  const failed = report.checks.filter((c) => c.status === 'fail').length;
  const skipped = report.checks.filter((c) => c.status === 'skip').length;
  const errors = report.checks.filter((c) => c.status === 'error' || c.status === 'not-exercised').length;
  const total = report.durationMs / 1000;
  const cases = report.checks.map((c) => {
    const fs = report.failures.filter((f) => f.check === c.name);
    const body =
      c.status === 'skip'
        ? `<skipped message="${esc(c.skipReason ?? '')}"/>`
        : c.status === 'error' || c.status === 'not-exercised'
          ? `<error type="${c.status}" message="${esc(c.reason ?? c.status)}">${esc(`${c.status}: ${c.reason ?? ''}`)}</error>`
          : fs.length
            ? `<failure type="${esc(fs[0].invariant)}" message="${esc(fs[0].message)}">${esc(fs.map((f) => `[${f.invariant}] ${f.message}\nreplay: ${f.replay}`).join('\n'))}</failure>`
            : '';
    return `    <testcase classname="meltcheck.${c.kind}" name="${esc(c.name)}" time="${(c.durationMs / 1000).toFixed(3)}">${body}</testcase>`;
  });
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="meltcheck" tests="${report.checks.length}" failures="${failed}" errors="${errors}" skipped="${skipped}" time="${total.toFixed(3)}">`,
    `  <testsuite name="meltcheck ${esc(report.adapter.name)} on ${esc(report.backend.kind)}${report.backend.real ? '' : ' (SIMULATED)'}" tests="${report.checks.length}" failures="${failed}" errors="${errors}" skipped="${skipped}" time="${total.toFixed(3)}">`,
    ...cases,
    '  </testsuite>',
    '</testsuites>',
    '',
  ].join('\n');
}
