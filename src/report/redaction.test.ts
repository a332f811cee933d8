import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { certify } from '../cli/certify.ts';
import { SEEN_SECRETS } from '../harness/secrets.ts';
import { SimServer } from '../sim/server.ts';
import { redactText, registerUriSecrets, uriForReplay } from './redact.ts';

const PASSWORD = 'Planted-Pw-7c1e';
const LEAKY = join(import.meta.dirname, 'testdata/leaky-adapter.ts');

describe('redaction (pure)', () => {
  it('removes user-info from any MongoDB URI in a text, and registered passwords anywhere', () => {
    registerUriSecrets('mongodb://bob:Pw-Only-Here-42@h/');
    const t = redactText('failed: mongodb+srv://bob:Pw-Only-Here-42@c.example/x and later Pw-Only-Here-42 again');
    expect(t).not.toContain('Pw-Only-Here-42');
    expect(t).not.toContain('bob:');
    expect(t).toContain('mongodb+srv://[redacted]@c.example/x');
  });
  it('never writes a credentialed URI into a replay command', () => {
    expect(uriForReplay('mongodb://a:b@127.0.0.1/')).toBe('"$MELTCHECK_MONGODB_URI"');
    expect(uriForReplay('mongodb://127.0.0.1/?replicaSet=rs0')).toBe("'mongodb://127.0.0.1/?replicaSet=rs0'");
  });
});

// End to end: a credentialed URI (SCRAM on the simulator) through the fault proxy, a wallet whose errors quote
// the URI and a proof secret; every report file, stdout and stderr is scanned for both.
describe('credentials and secrets never reach an output (sim with SCRAM, via --cluster uri)', () => {
  let sim: SimServer;
  beforeAll(async () => {
    sim = await SimServer.start({ users: [{ user: 'meltuser', password: PASSWORD }] });
  });
  afterAll(() => sim.stop());

  it('certify through the proxy with auth; no planted password or proof secret in any file or line', async () => {
    const out = mkdtempSync(join(tmpdir(), 'mc-redact-'));
    const uri = sim.uri.replace('mongodb://', `mongodb://meltuser:${PASSWORD}@`);
    const printed: string[] = [];
    const grab = (...a: unknown[]) => void printed.push(a.map(String).join(' '));
    const spies = [
      vi.spyOn(console, 'log').mockImplementation(grab),
      vi.spyOn(console, 'error').mockImplementation(grab),
    ];
    let code: number;
    try {
      code = await certify([
        '--cluster', 'uri', '--uri', uri, '--adapter', LEAKY, '--seed', '4', '--out', out,
        '--check', 'successful-melt', '--check', 'fail-points', '--check', 'wire-faults',
      ]); // biome-ignore format: one flag per pair reads better
    } finally {
      for (const s of spies) s.mockRestore();
    }
    expect([1, 3]).toContain(code); // the leaky wallet never melts: never a pass
    const files = readdirSync(out);
    expect(files.sort()).toEqual(['junit.xml', 'report.html', 'report.json', 'report.md', 'wallet.log']);
    const texts = [...files.map((f) => [f, readFileSync(join(out, f), 'utf8')]), ['console', printed.join('\n')]];
    const secrets = [...SEEN_SECRETS];
    expect(secrets.length).toBeGreaterThan(0);
    for (const [name, text] of texts) {
      expect(text.includes(PASSWORD), `${name} carries the password`).toBe(false);
      for (const s of secrets) expect(text.includes(s), `${name} carries a proof secret`).toBe(false);
    }
    // The leak was there to be redacted: the wallet's error reached the report, redacted.
    const report = readFileSync(join(out, 'report.json'), 'utf8');
    expect(report).toContain('cannot melt on mongodb://[redacted]@127.0.0.1');
    expect(report).toMatch(/proof \[redacted\] rejected/);
    // The wallet went through the proxy (fail-points, wire-faults ran with auth) rather than erroring out.
    const json = JSON.parse(report);
    for (const name of ['fail-points', 'wire-faults'])
      expect(
        json.failures.some((f: { check: string; type: string }) => f.check === name && f.type === 'check-crashed'),
      ).toBe(false);
  }, 120_000);

  it('the fault proxy carries the credentials: the reference passes wire-faults and fail-points with auth on', async () => {
    const out = mkdtempSync(join(tmpdir(), 'mc-auth-'));
    const uri = sim.uri.replace('mongodb://', `mongodb://meltuser:${PASSWORD}@`);
    const quiet = [
      vi.spyOn(console, 'log').mockImplementation(() => {}),
      vi.spyOn(console, 'error').mockImplementation(() => {}),
    ];
    let code: number;
    try {
      code = await certify([
        '--cluster',
        'uri',
        '--uri',
        uri,
        '--seed',
        '4',
        '--out',
        out,
        '--check',
        'wire-faults',
        '--check',
        'fail-points',
      ]);
    } finally {
      for (const q of quiet) q.mockRestore();
    }
    const json = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8'));
    expect(json.checks.map((c: { status: string }) => c.status)).toEqual(['pass', 'pass']);
    expect(code).toBe(0);
  }, 120_000);
});
