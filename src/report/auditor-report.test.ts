import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { certify } from '../api/certify.ts';

const exec = promisify(execFile);
const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';

describe("a failing mutant's report, as an auditor reads it (sim backend)", () => {
  it('report.md and report.html show the money impact, the operations table and the rules', async () => {
    const out = mkdtempSync(join(tmpdir(), 'meltcheck-auditor-'));
    const report = await certify({
      adapter: 'mutant:check-then-act',
      cluster: 'sim',
      checks: ['concurrent-same-sources'],
      seed: 3,
      out,
    });
    expect(report.verdict).toBe('fail');
    const md = readFileSync(join(out, 'report.md'), 'utf8');
    expect(md).toMatch(/\*\*Money impact\*\*: [1-9]\d* sat counted twice/);
    expect(md).toContain('| # | process | operation | sources and amounts | outcome | time (ms) |');
    expect(md).toMatch(/\| p\d \| melt \| tx_[^|]+: sources [^|]+ → keep \d+ sat, change \d+ sat \| ok \|/);
    expect(md).toMatch(/\*\*Rule broken\*\* \(no-double-count\): Every proof counts once/);
    expect(md).toContain('## The rules');
    expect(md).not.toMatch(/\bunknown\b.*\|.*version|cashu-ts unknown/);
    const html = readFileSync(join(out, 'report.html'), 'utf8');
    expect(html).toMatch(/<p class="money"><b>Money impact<\/b>: [1-9]\d* sat counted twice/);
    expect(html).toContain('<table class="ops">');
    expect(html).toContain('@media print');
    expect(html).toContain('<h2>The rules</h2>');
  });

  it('renders in headless Chromium with the network cut (screenshot)', async (ctx) => {
    if (!existsSync(CHROMIUM)) ctx.skip(`no Chromium at ${CHROMIUM} (apt-get install chromium, or set CHROMIUM)`);
    const out = mkdtempSync(join(tmpdir(), 'meltcheck-auditor-'));
    await certify({ adapter: 'mutant:no-transaction', cluster: 'sim', checks: ['rollback-on-failure'], seed: 3, out });
    const script = join(import.meta.dirname, 'screenshot.ts');
    await exec(process.execPath, ['--import', 'tsx', script, out], { timeout: 90_000 });
    expect(statSync(join(out, 'report.png')).size).toBeGreaterThan(10_000);
  });
});
