import { type ParseArgsConfig, parseArgs } from 'node:util';

type OptionsConfig = NonNullable<ParseArgsConfig['options']>;

import { parseShard, type Shard } from '../api/shard.ts';
import { CLUSTER_KINDS, type ClusterChoice } from '../cluster/cluster.ts';

/** Bad command line: one line, exit 2. */
export class UsageError extends Error {}

export interface CertifyOptions {
  adapter: string;
  cluster: ClusterChoice;
  uri?: string;
  allowRemote: boolean;
  /** Topology faults (stepdown) on a cluster meltcheck did not start. */
  allowDisruptive: boolean;
  reuseDb: boolean;
  seed: number;
  runs: number;
  checks: string[];
  out?: string;
  /** Absent: certify's default (1; 3 for --cluster sim --profile full). */
  members?: 1 | 3;
  requireReal: boolean;
  profile: 'quick' | 'full';
  /** --mint: the service level's mint. */
  mint: MintChoice;
  shard?: Shard;
  /** Appends a short markdown summary here (e.g. $GITHUB_STEP_SUMMARY). */
  summary?: string;
  /** Deadline of one call into the wallet, ms (the op is recorded `info` and the check ends `error`). */
  opTimeoutMs: number;
  /** Deadline of one check, ms; unset: the check's own (600 s, or more for a check whose work grows with --runs). */
  checkTimeoutMs?: number;
}

export type MintChoice = { kind: 'test' } | { kind: 'nutshell' } | { kind: 'url'; url: string };

function mintChoice(v: string | undefined): MintChoice {
  if (v === undefined || v === 'test') return { kind: 'test' };
  if (v === 'nutshell') return { kind: 'nutshell' };
  let url: URL | undefined;
  try {
    url = v.startsWith('url:') ? new URL(v.slice(4)) : undefined;
  } catch {}
  if (url && (url.protocol === 'http:' || url.protocol === 'https:'))
    return { kind: 'url', url: url.href.replace(/\/$/, '') };
  throw new UsageError(`--mint must be test, nutshell or url:<http(s) URL>, got '${v}'`);
}
/** The largest value each numeric flag takes: seeds are 32-bit (fast-check), runs must finish this year. */
const MAX: Record<string, number> = { seed: 2 ** 31 - 1, runs: 1_000_000, members: 3 };

function int(name: string, v: string | undefined, fallback: number, min = 0): number {
  if (v === undefined) return fallback;
  const max = MAX[name] ?? Number.MAX_SAFE_INTEGER;
  if (!/^\d+$/.test(v) || Number(v) < min || Number(v) > max)
    throw new UsageError(`--${name} must be an integer from ${min} to ${max}, got '${v}'`);
  return Number(v);
}

type Parsed<T extends OptionsConfig> = ReturnType<
  typeof parseArgs<{ args: string[]; options: T; strict: true; allowPositionals: true }>
>;

export function parse<const T extends OptionsConfig>(argv: string[], options: T): Parsed<T> {
  try {
    return parseArgs({ args: argv, options, strict: true, allowPositionals: true });
  } catch (e) {
    const line = String((e as Error).message).split('\n')[0];
    // parseArgs reads `--runs -5` as a flag missing its value: say what is wrong with the value instead.
    const dashed = /^Option '(--[\w-]+)[^']*' argument is ambiguous/.exec(line);
    if (dashed) {
      const value = argv[argv.indexOf(dashed[1]) + 1];
      throw new UsageError(
        `${dashed[1]} got '${value}': negative numbers and values starting with '-' are not accepted`,
      );
    }
    throw new UsageError(line.replace(/\. To specify a positional.*$/, ''));
  }
}

export function parseCertify(argv: string[], randomSeed: () => number): CertifyOptions {
  const { values, positionals } = parse(argv, {
    adapter: { type: 'string' },
    cluster: { type: 'string' },
    uri: { type: 'string' },
    'allow-remote': { type: 'boolean' },
    'reuse-db': { type: 'boolean' },
    seed: { type: 'string' },
    runs: { type: 'string' },
    check: { type: 'string', multiple: true },
    out: { type: 'string' },
    members: { type: 'string' },
    'require-real': { type: 'boolean' },
    'allow-disruptive': { type: 'boolean' },
    profile: { type: 'string' },
    mint: { type: 'string' },
    shard: { type: 'string' },
    summary: { type: 'string' },
    'op-timeout': { type: 'string' },
    'check-timeout': { type: 'string' },
  });
  if (positionals.length) throw new UsageError(`unexpected argument '${positionals[0]}'`);
  const cluster = (values.cluster ?? 'auto') as ClusterChoice;
  if (!CLUSTER_KINDS.includes(cluster))
    throw new UsageError(`--cluster must be one of ${CLUSTER_KINDS.join(', ')}, got '${cluster}'`);
  if (values.uri && cluster !== 'uri') throw new UsageError('--uri needs --cluster uri');
  const members = values.members === undefined ? undefined : int('members', values.members as string | undefined, 1, 1);
  if (members !== undefined && members !== 1 && members !== 3) throw new UsageError('--members must be 1 or 3');
  if (members === 3 && cluster === 'uri')
    throw new UsageError('--members 3 needs --cluster sim, memory or docker (a uri cluster has the members it has)');
  const profile = (values.profile as string | undefined) ?? 'quick';
  if (profile !== 'quick' && profile !== 'full')
    throw new UsageError(`--profile must be quick or full, got '${profile}'`);
  const shard = values.shard === undefined ? undefined : parseShard(values.shard as string);
  if (values.shard !== undefined && !shard)
    throw new UsageError(`--shard must be i/n with 1 <= i <= n (e.g. 1/4), got '${values.shard}'`);
  return {
    ...(shard ? { shard } : {}),
    ...(values.summary !== undefined ? { summary: values.summary as string } : {}),
    requireReal: Boolean(values['require-real']),
    profile: profile as 'quick' | 'full',
    adapter: (values.adapter as string | undefined) ?? 'reference',
    cluster,
    uri: values.uri as string | undefined,
    allowRemote: Boolean(values['allow-remote']),
    allowDisruptive: Boolean(values['allow-disruptive']),
    reuseDb: Boolean(values['reuse-db']),
    seed: int('seed', values.seed as string | undefined, randomSeed()),
    runs: int('runs', values.runs as string | undefined, profile === 'full' ? 2000 : 200, 1),
    checks: (values.check as string[] | undefined) ?? [],
    out: values.out as string | undefined,
    ...(members !== undefined ? { members: members as 1 | 3 } : {}),
    mint: mintChoice(values.mint as string | undefined),
    opTimeoutMs: int('op-timeout', values['op-timeout'] as string | undefined, 30, 1) * 1000,
    ...(values['check-timeout'] !== undefined
      ? { checkTimeoutMs: int('check-timeout', values['check-timeout'] as string, 600, 1) * 1000 }
      : {}),
  };
}
