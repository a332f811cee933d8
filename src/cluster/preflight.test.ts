import { describe, expect, it } from 'vitest';
import { parseHost, proxyConnectionString, refuseTls } from '../nemesis/proxy-target.ts';
import { SimServer } from '../sim/server.ts';
import { ClusterUnavailableError } from './cluster.ts';
import { remoteHosts } from './guard.ts';
import { advertisedHosts, type PreflightFacts, preflightProblem } from './preflight.ts';
import { startUri } from './uri-cluster.ts';

const primary = { setName: 'rs0', isWritablePrimary: true, hosts: ['127.0.0.1:27017'], primary: '127.0.0.1:27017' };
const facts = (over: Partial<PreflightFacts> = {}, hello = {}): PreflightFacts => ({
  hello: { ...primary, ...hello },
  version: '7.0.2',
  ...over,
});

describe('preflight of a uri cluster (pure)', () => {
  it('accepts a writable loopback primary with test commands on', () => {
    expect(preflightProblem(facts(), false)).toBeUndefined();
  });
  it('refuses a standalone, a secondary, an old server, no test commands, no create/drop', () => {
    expect(preflightProblem(facts({}, { setName: undefined }), false)).toMatch(/not a replica set member/);
    expect(
      preflightProblem(facts({}, { isWritablePrimary: false, secondary: true, primary: '127.0.0.1:27018' }), false),
    ).toMatch(/not the writable primary \(it is a secondary\); the primary is 127\.0\.0\.1:27018/);
    expect(preflightProblem(facts({ version: '4.2.24' }), false)).toMatch(/older than 4\.4/);
    expect(preflightProblem(facts({ failCommand: 'no such command: configureFailPoint' }), false)).toMatch(
      /enableTestCommands=1/,
    );
    expect(preflightProblem(facts({ createDrop: 'not authorized on mc_x' }), false)).toMatch(/create and drop/);
  });
  it('checks the hosts the set advertises, not only the seed list', () => {
    const hello = { hosts: ['127.0.0.1:27017', 'db2.internal:27017'], me: '127.0.0.1:27017' };
    expect(advertisedHosts({ ...primary, ...hello })).toContain('db2.internal:27017');
    expect(preflightProblem(facts({}, hello), false)).toMatch(/advertises non-loopback member\(s\) db2\.internal/);
    expect(preflightProblem(facts({}, hello), true)).toBeUndefined();
  });
  it('treats Unix sockets as loopback and a remote proxyHost as remote', () => {
    expect(remoteHosts('mongodb://%2Ftmp%2Fmongodb-27017.sock/?replicaSet=rs0')).toEqual([]);
    expect(remoteHosts('mongodb://127.0.0.1/?proxyHost=socks.example.invalid')).toEqual(['socks.example.invalid']);
  });
});

describe('fault proxy connection strings (pure)', () => {
  it('parses IPv6, default ports and socket paths', () => {
    expect(parseHost('[::1]:27018')).toEqual({ host: '::1', port: 27018 });
    expect(parseHost('db.local')).toEqual({ host: 'db.local', port: 27017 });
    expect(parseHost('%2Ftmp%2Fm.sock')).toEqual({ path: '/tmp/m.sock' });
  });
  it('keeps credentials and auth options, goes direct to the proxy, drops the set name', () => {
    const u = proxyConnectionString(
      'mongodb://al%40ice:p%3Aw@[::1]:27017,127.0.0.1:27018/app?replicaSet=rs0&authSource=admin&authMechanism=SCRAM-SHA-256',
      4242,
    );
    expect(u).toMatch(/^mongodb:\/\/al%40ice:p%3Aw@127\.0\.0\.1:4242\/app\?/);
    expect(u).toContain('authSource=admin');
    expect(u).toContain('authMechanism=SCRAM-SHA-256');
    expect(u).toContain('directConnection=true');
    expect(u).not.toContain('replicaSet');
  });
  it('refuses TLS: a proxy that reads commands cannot read an encrypted stream', () => {
    expect(() => refuseTls('mongodb://127.0.0.1/?tls=true')).toThrow(/TLS/);
    expect(() => refuseTls('mongodb://127.0.0.1/')).not.toThrow();
  });
});

describe('uri cluster against the simulator (sim)', () => {
  it('passes preflight, is not real, and is not disruptive unless allowed', async () => {
    const sim = await SimServer.start();
    try {
      const c = await startUri({ uri: sim.uri });
      expect(c).toMatchObject({ kind: 'uri', real: false, disruptive: false });
      expect((await startUri({ uri: sim.uri, allowDisruptive: true })).disruptive).toBe(true);
    } finally {
      await sim.stop();
    }
  });
  it('says a wrong password was refused without printing it', async () => {
    const sim = await SimServer.start({ users: [{ user: 'alice', password: 'right-one' }] });
    try {
      const uri = sim.uri.replace('mongodb://', 'mongodb://alice:Planted-Pw-9f3@');
      const err = await startUri({ uri }).catch((e) => e);
      expect(err).toBeInstanceOf(ClusterUnavailableError);
      expect(err.message).toMatch(/Authentication failed/);
      expect(err.message).not.toContain('Planted-Pw-9f3');
      const ok = await startUri({ uri: sim.uri.replace('mongodb://', 'mongodb://alice:right-one@') });
      expect(ok.kind).toBe('uri');
    } finally {
      await sim.stop();
    }
  });
});
