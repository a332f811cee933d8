import { describe, expect, it } from 'vitest';
import { parseCertify } from '../cli/args.ts';
import { membersFor } from './certify.ts';

describe('replica-set members of a certification', () => {
  it('a full certification of a repository wallet on the simulator runs on three members unless told otherwise', () => {
    expect(membersFor(undefined, 'full', 'sim', 'repository')).toBe(3);
    expect(membersFor(1, 'full', 'sim', 'repository')).toBe(1);
    expect(membersFor(undefined, 'quick', 'sim', 'repository')).toBe(1);
    // The failover checks are repository-level: a service wallet would only wait on replication.
    expect(membersFor(undefined, 'full', 'sim', 'service')).toBe(1);
    // Elsewhere one member stays the default: memory would start three mongods, uri has the members it has.
    expect(membersFor(undefined, 'full', 'memory', 'repository')).toBe(1);
    expect(membersFor(undefined, 'full', 'uri', 'repository')).toBe(1);
    expect(membersFor(3, 'quick', 'sim', 'service')).toBe(3);
  });

  it('the CLI leaves --members unset when it is not given, so the default can apply', () => {
    expect(parseCertify(['--cluster', 'sim', '--profile', 'full'], () => 1).members).toBeUndefined();
    expect(parseCertify(['--cluster', 'sim', '--members', '1'], () => 1).members).toBe(1);
  });
});
