import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { INVARIANTS } from '../checker/types.ts';
import { certify } from '../cli/certify.ts';
import { SEEN_SECRETS } from '../harness/secrets.ts';

// Reports for CI and auditors: every file written, parseable, self-contained, and free of proof secrets.
describe('reports (sim backend)', () => {
  it('writes json, junit, markdown and self-contained html without a single proof secret', async () => {
    const out = mkdtempSync(join(tmpdir(), 'mc-report-'));
    // audit-stores-proofs puts secrets into the wallet's own audit records: the report must still not carry them.
    const code = await certify([
      '--cluster',
      'sim',
      '--adapter',
      'mutant:audit-stores-proofs',
      '--seed',
      '9',
      '--runs',
      '30',
      '--out',
      out,
      '--check',
      'successful-melt',
      '--check',
      'melt-property',
      '--check',
      'fail-points',
    ]);
    expect(code).toBe(1);
    expect(readdirSync(out).sort()).toEqual(['junit.xml', 'report.html', 'report.json', 'report.md', 'wallet.log']);
    expect(SEEN_SECRETS.size).toBeGreaterThan(10);
    for (const f of readdirSync(out)) {
      const text = readFileSync(join(out, f), 'utf8');
      for (const secret of SEEN_SECRETS) expect(text.includes(secret), `${f} contains a proof secret`).toBe(false);
    }
    const report = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8'));
    expect(report).toMatchObject({
      schema: 'meltcheck/report@1',
      verdict: 'fail',
      backend: { kind: 'sim', real: false },
      seed: 9,
      runs: 30,
    });
    expect(report.adapter.sha256).toMatch(/^[0-9a-f]{64}$/);
    for (const f of report.failures) {
      expect([...INVARIANTS, 'expectation']).toContain(f.invariant);
      expect(f.replay).toMatch(/^npx meltcheck replay .*report\.json --failure '/);
    }
    const junit = readFileSync(join(out, 'junit.xml'), 'utf8');
    expect(junit).toMatch(/<testsuites name="meltcheck" tests="3" failures="[1-3]"/);
    expect((junit.match(/<testcase /g) ?? []).length).toBe(3);
    expect((junit.match(/<failure /g) ?? []).length).toBe(Number(/failures="(\d+)"/.exec(junit)![1]));
    const page = readFileSync(join(out, 'report.html'), 'utf8');
    expect(page).toContain('SIMULATED');
    expect(page).not.toMatch(/(src|href)=["']?(https?:)?\/\//i); // nothing fetched from the network
    expect(page).toContain('class="lane"');
  });
});
