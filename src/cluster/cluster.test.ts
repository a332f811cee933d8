import { chmodSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ClusterUnavailableError } from './cluster.ts';
import {
  dockerUri,
  explainDockerFailure,
  initiateScript,
  loopbackBindings,
  mongodCommand,
  replSetConfig,
} from './docker-cluster.ts';
import { refuseNonEmpty, refuseRemote, remoteHosts } from './guard.ts';
import { explainMemoryFailure, memoryReplSetOptions, startMemory, startupBudgetMs } from './memory-cluster.ts';
import { startCluster } from './start-cluster.ts';

describe('cluster guards (pure)', () => {
  it('treats only loopback hosts as local', () => {
    expect(remoteHosts('mongodb://127.0.0.1:27017,localhost:27018,[::1]:27019/?replicaSet=rs0')).toEqual([]);
    expect(remoteHosts('mongodb://127.0.0.1,db.internal:27017/')).toEqual(['db.internal']);
    expect(remoteHosts('mongodb+srv://cluster0.example.net/')).toEqual(['cluster0.example.net']);
  });
  it('refuses remote hosts unless allowed, and malformed strings always', () => {
    expect(refuseRemote('mongodb://db.example.invalid:27017/x', false)).toMatch(/refusing remote/);
    expect(refuseRemote('mongodb://db.example.invalid:27017/x', true)).toBeUndefined();
    expect(refuseRemote('http://nope', true)).toMatch(/not a MongoDB connection string/);
  });
  it('refuses a non-empty database unless --reuse-db', () => {
    expect(refuseNonEmpty('db', [], false)).toBeUndefined();
    expect(refuseNonEmpty('db', ['users'], false)).toMatch(/not empty \(users\)/);
    expect(refuseNonEmpty('db', ['users'], true)).toBeUndefined();
  });
});

describe('real cluster options (no server needed)', () => {
  it('asks mongodb-memory-server for wiredTiger and test commands', () => {
    const o = memoryReplSetOptions(3);
    expect(o.replSet).toMatchObject({ count: 3, storageEngine: 'wiredTiger' });
    expect(o.replSet.args.join(' ')).toContain('enableTestCommands=1');
  });
  it('starts docker members as a replica set with test commands, each on the port it is known by', () => {
    expect(mongodCommand('rs0', 31001)).toEqual([
      '--replSet',
      'rs0',
      '--port',
      '31001',
      '--bind_ip_all',
      '--setParameter',
      'enableTestCommands=1',
    ]);
    const hosts = ['127.0.0.1:31001', '127.0.0.1:31002', '127.0.0.1:31003'];
    expect(replSetConfig('rs0', hosts).members.map((m) => m.host)).toEqual(hosts);
    // The host connects by the advertised names and the set name: after a stepdown the driver follows the primary.
    expect(dockerUri(hosts, 'rs0')).toBe('mongodb://127.0.0.1:31001,127.0.0.1:31002,127.0.0.1:31003/?replicaSet=rs0');
    expect(dockerUri(hosts, 'rs0')).not.toContain('directConnection');
  });
  it('publishes docker ports on the loopback only', () => {
    expect(loopbackBindings([31001, 31002])).toEqual({
      '31001/tcp': [{ HostIp: '127.0.0.1', HostPort: '31001' }],
      '31002/tcp': [{ HostIp: '127.0.0.1', HostPort: '31002' }],
    });
  });
  it('initiates with a bounded wait that fails (non-zero exit) without a primary', () => {
    const script = initiateScript(replSetConfig('rs0', ['127.0.0.1:31001']), 5000);
    expect(script).toContain('i < 50');
    expect(script).toContain('quit(3)');
  });
  it('gives a first-time mongod download its own, longer budget', () => {
    expect(startupBudgetMs({ timeoutMs: 10_000 }, true)).toBe(10_000);
    expect(startupBudgetMs({ timeoutMs: 10_000 }, false)).toBeGreaterThanOrEqual(300_000);
  });
  it('turns the libraries’ failures into one line with the ways out', () => {
    const download = Object.assign(
      new Error('Download failed for url "https://x", Details:\ngetaddrinfo ENOTFOUND fastdl.mongodb.org'),
      {
        name: 'DownloadError',
      },
    );
    const line = explainMemoryFailure(download);
    expect(line).not.toContain('\n');
    expect(line).toMatch(/could not download mongod \(getaddrinfo ENOTFOUND fastdl.mongodb.org\)/);
    const docker = explainDockerFailure(new Error('Could not find a working container runtime strategy'));
    expect(docker).toMatch(/^no Docker engine reachable/);
    expect(docker).toContain('MONGOMS_SYSTEM_BINARY');
  });
});

describe('auto', () => {
  it('falls back to the simulator, loudly, when no mongod is at hand', async () => {
    const saved = { ...process.env };
    process.env.MONGOMS_SYSTEM_BINARY = '';
    process.env.MONGOMS_DOWNLOAD_DIR = '/nonexistent-meltcheck';
    try {
      const c = await startCluster('auto');
      try {
        expect(c.kind).toBe('sim');
        expect(c.real).toBe(false);
        expect(c.note).toMatch(/SIMULATED/);
      } finally {
        await c.stop();
      }
    } finally {
      process.env = saved;
    }
  });
});

// A mongod that never becomes ready (a fake binary: answers --version, then hangs): the timeout must stop it.
describe.skipIf(process.platform !== 'linux')('memory cluster startup timeout (fake mongod, no server)', () => {
  it('stops what was starting when the deadline passes', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mc-fake-mongod-'));
    const pids = join(dir, 'pids');
    const bin = join(dir, 'mongod');
    writeFileSync(
      bin,
      `#!/bin/sh\nif [ "$1" = "--version" ]; then echo 'db version v7.0.14'; echo 'Build Info: {"version": "7.0.14"}'; exit 0; fi\necho $$ >> ${pids}\nwhile :; do sleep 1; done\n` /* keeps its own command line, as mongod does */,
    );
    chmodSync(bin, 0o755);
    const saved = process.env.MONGOMS_SYSTEM_BINARY;
    process.env.MONGOMS_SYSTEM_BINARY = bin;
    try {
      const err = await startMemory({ timeoutMs: 3000 }).catch((e) => e);
      expect(err).toBeInstanceOf(ClusterUnavailableError);
      expect(err.message).toMatch(/no mongod within 3000 ms/);
    } finally {
      if (saved === undefined) delete process.env.MONGOMS_SYSTEM_BINARY;
      else process.env.MONGOMS_SYSTEM_BINARY = saved;
    }
    const started = existsSync(pids) ? readFileSync(pids, 'utf8').trim().split('\n').map(Number) : [];
    expect(started.length, 'the fake mongod was never started: the test proves nothing').toBeGreaterThan(0);
    const alive = (pid: number) => {
      try {
        const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
        return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
      } catch {
        return false;
      }
    };
    // startMemory has returned: whatever it started must be gone now (a short grace for the kill to land).
    for (let i = 0; i < 20 && started.some(alive); i++) await new Promise((r) => setTimeout(r, 100));
    for (const pid of started) expect(alive(pid), `mongod ${pid} still running after the timeout`).toBe(false);
  }, 30_000);
});
