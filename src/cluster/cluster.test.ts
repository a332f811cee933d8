import { describe, expect, it } from 'vitest';
import { explainDockerFailure, mongodCommand, replSetConfig } from './docker-cluster.ts';
import { refuseNonEmpty, refuseRemote, remoteHosts } from './guard.ts';
import { explainMemoryFailure, memoryReplSetOptions } from './memory-cluster.ts';
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
  it('starts docker members as a replica set with test commands', () => {
    expect(mongodCommand('rs0')).toEqual([
      '--replSet',
      'rs0',
      '--bind_ip_all',
      '--setParameter',
      'enableTestCommands=1',
    ]);
    expect(replSetConfig('rs0', ['a', 'b', 'c']).members.map((m) => m.host)).toEqual(['a:27017', 'b:27017', 'c:27017']);
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
