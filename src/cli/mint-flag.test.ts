import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { NUTSHELL_INSTALL_LINE } from '../mint/nutshell/install.ts';
import { parseCertify, UsageError } from './args.ts';

const run = promisify(execFile);
const BIN = join(import.meta.dirname, '../../bin/meltcheck.js');

async function meltcheck(args: string[], env: Record<string, string> = {}) {
  try {
    const r = await run(process.execPath, [BIN, ...args], { env: { ...process.env, ...env }, timeout: 60_000 });
    return { code: 0, stdout: r.stdout, stderr: r.stderr };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, stdout: err.stdout, stderr: err.stderr };
  }
}

describe('--mint', () => {
  it('parses test, nutshell and url:<URL>, and refuses anything else', () => {
    const p = (v?: string) => parseCertify(v === undefined ? [] : ['--mint', v], () => 1).mint;
    expect(p()).toEqual({ kind: 'test' });
    expect(p('nutshell')).toEqual({ kind: 'nutshell' });
    expect(p('url:http://127.0.0.1:3338/')).toEqual({ kind: 'url', url: 'http://127.0.0.1:3338' });
    for (const bad of ['cdk', 'url:', 'url:ftp://x', 'url:not a url']) expect(() => p(bad)).toThrow(UsageError);
  });

  it('without nutshell installed: exit 2, one line naming the command that installs it', async () => {
    const r = await meltcheck(['certify', '--adapter', 'reference-service', '--cluster', 'sim', '--mint', 'nutshell'], {
      MELTCHECK_NUTSHELL_VENV: '/nonexistent/venv',
    });
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain(NUTSHELL_INSTALL_LINE);
  });

  it('refuses a remote mint without --allow-remote, before starting anything', async () => {
    const r = await meltcheck(['certify', '--cluster', 'sim', '--mint', 'url:https://mint.example.com']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/refusing remote mint mint\.example\.com/);
  });
});
