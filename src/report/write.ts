import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { html } from './html.ts';
import { junit } from './junit.ts';
import { markdown } from './markdown.ts';
import { redactDeep } from './redact.ts';
import type { Report } from './report.ts';

/** Writes report.json, junit.xml, report.md and report.html into `dir`; returns the paths. */
export function writeReport(dir: string, unredacted: Report): string[] {
  // Adapter and driver messages may quote a connection string or a proof secret: every file is written redacted.
  const report = redactDeep(unredacted);
  mkdirSync(dir, { recursive: true });
  const files: [string, string][] = [
    ['report.json', `${JSON.stringify(report, null, 2)}\n`],
    ['junit.xml', junit(report)],
    ['report.md', markdown(report)],
    ['report.html', html(report)],
  ];
  for (const [name, text] of files) writeFileSync(join(dir, name), text);
  return files.map(([name]) => join(dir, name));
}
