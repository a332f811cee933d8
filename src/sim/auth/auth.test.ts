import { MongoClient, MongoServerError } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SimServer } from '../server.ts';
import { parseUser } from './authenticator.ts';

// The simulator's SCRAM, exercised by the real driver: a credentialed URI works, a wrong one is refused as mongod does.
describe('simulator authentication (sim)', () => {
  let sim: SimServer;
  const withCreds = (user: string, pw: string, extra = '') =>
    sim.uri.replace('mongodb://', `mongodb://${encodeURIComponent(user)}:${encodeURIComponent(pw)}@`) + extra;

  beforeAll(async () => {
    sim = await SimServer.start({ users: [parseUser('alice:s3cr3t-Pw'), parseUser('bob,=x:p:w:with:colons')] });
  });
  afterAll(() => sim.stop());

  for (const mechanism of ['SCRAM-SHA-256', 'SCRAM-SHA-1'])
    it(`accepts the right password with ${mechanism} and runs commands`, async () => {
      const client = await new MongoClient(withCreds('alice', 's3cr3t-Pw', `&authMechanism=${mechanism}`), {
        serverSelectionTimeoutMS: 3000,
      }).connect();
      try {
        await client.db('t').collection(mechanism).insertOne({ a: 1 });
        expect(await client.db('t').collection(mechanism).countDocuments()).toBe(1);
      } finally {
        await client.close();
      }
    });

  it('negotiates a mechanism when none is named, for a user name with SCRAM escapes', async () => {
    const client = await new MongoClient(withCreds('bob,=x', 'p:w:with:colons'), {
      serverSelectionTimeoutMS: 3000,
    }).connect();
    try {
      expect((await client.db('admin').command({ ping: 1 })).ok).toBe(1);
    } finally {
      await client.close();
    }
  });

  for (const [user, pw] of [
    ['alice', 'wrong'],
    ['mallory', 's3cr3t-Pw'],
  ])
    it(`refuses ${user} with a wrong password or unknown user: 18 AuthenticationFailed`, async () => {
      const client = new MongoClient(withCreds(user, pw), { serverSelectionTimeoutMS: 3000 });
      const err = await client.connect().then(
        () => undefined,
        (e) => e,
      );
      await client.close();
      expect(err).toBeDefined();
      expect(String(err.message)).toMatch(/Authentication failed/);
      expect(err.cause?.code ?? err.code).toBe(18);
    });

  it('refuses commands before authentication: 13 Unauthorized', async () => {
    const client = await new MongoClient(sim.uri, { serverSelectionTimeoutMS: 3000 }).connect();
    try {
      const err = await client
        .db('t')
        .collection('c')
        .findOne({})
        .catch((e) => e);
      expect(err).toBeInstanceOf(MongoServerError);
      expect(err.code).toBe(13);
      expect((await client.db('admin').command({ ping: 1 })).ok).toBe(1);
    } finally {
      await client.close();
    }
  });

  it('parses --user name:password and refuses anything else', () => {
    expect(parseUser('a:b:c')).toEqual({ user: 'a', password: 'b:c' });
    expect(() => parseUser('nocolon')).toThrow(/name:password/);
    expect(() => parseUser(':pw')).toThrow(/name:password/);
  });
});
