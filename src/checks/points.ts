import type { MeltMetadata } from '../adapter/contract.ts';
import type { Verdict } from '../checker/types.ts';
import type { RunContext } from '../harness/run-context.ts';
import type { MeltOutcome } from '../harness/scenario.ts';
import type { WireProxy } from '../nemesis/proxy.ts';

/** One explored point: where the fault landed, what the wallet said, what the checker found. */
export interface PointResult {
  point: string;
  command: string;
  outcome: MeltOutcome['type'];
  valid: Verdict['valid'];
  assumed?: string;
  anomalies: string[];
}

/** The melt every point runs: two source tokens, keep and change, as in the seed's main path. */
export async function standardMelt(
  run: RunContext,
  label: string,
  before?: () => void,
): Promise<{ outcome: MeltOutcome; meta: MeltMetadata }> {
  const meta = await run.ctx.owner(label);
  const a = await run.ctx.fund(meta, `${label}-a`, [8, 2]);
  const b = await run.ctx.fund(meta, `${label}-b`, [16]);
  const keep = await run.ctx.proofs(`${label}/keep`, [4, 1]);
  const change = await run.ctx.proofs(`${label}/change`, [2]);
  before?.();
  const outcome = await run.ctx.melt('p0', {
    sources: [a.tokenId, b.tokenId],
    keep,
    change,
    transactionId: `melt-${label}`,
    meta,
  });
  return { outcome, meta };
}

export function pointResult(point: string, command: string, outcome: MeltOutcome, v: Verdict): PointResult {
  return {
    point,
    command,
    outcome: outcome.type,
    valid: v.valid,
    assumed: v.assumed.map((a) => a.outcome).join(',') || undefined,
    anomalies: v.anomalies.map((a) => `[${a.invariant}] ${a.message}`),
  };
}

/** A dry run of the standard melt through the proxy: the names of the commands it sends, in order. */
export async function learnCommands(run: RunContext, proxy: WireProxy, appName?: string): Promise<string[]> {
  await standardMelt(run, 'dry', () => proxy.arm({}, appName));
  const commands = proxy.seen.map((c) => c.name);
  proxy.disarm();
  return commands;
}
