import { replay as replayApi } from '../api/replay.ts';
import { parse, UsageError } from './args.ts';

/**
 * `meltcheck replay report.json [--failure ID]`: runs the failing check again with its recorded seed and path.
 * Exit 1 when the violation reproduces, 0 when it does not, 2 for a missing or malformed report.
 */
export async function replay(argv: string[]): Promise<number> {
  const { values, positionals } = parse(argv, {
    failure: { type: 'string' },
    cluster: { type: 'string' },
    uri: { type: 'string' },
  });
  if (positionals.length !== 1) throw new UsageError('usage: meltcheck replay <report.json> [--failure ID]');
  const r = await replayApi(positionals[0], values.failure as string | undefined, {
    cluster: values.cluster as never,
    uri: values.uri as string | undefined,
    log: console.log,
    handleSignals: true,
  });
  if (r.again) {
    console.log(`meltcheck replay: REPRODUCED [${r.again.invariant}] ${r.again.message}`);
    for (const op of r.again.steps)
      console.log(`  ${op.index} ${op.process} ${op.type} ${op.f} ${JSON.stringify(op.value).slice(0, 160)}`);
    return 1;
  }
  console.log(`meltcheck replay: did NOT reproduce ${r.failure.id} [${r.failure.invariant}]`);
  return 0;
}
