import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { html } from './html.ts';
import { junit } from './junit.ts';
import { markdown } from './markdown.ts';
import type { Report } from './report.ts';

/** Writes report.json, junit.xml, report.md and report.html into `dir`; returns the paths. */
export function writeReport(dir: string, report: Report): string[] {
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
