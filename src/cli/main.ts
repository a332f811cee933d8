import { AdapterLoadError } from '../adapter/load.ts';
import { ClusterUnavailableError } from '../cluster/cluster.ts';
import { EnvironmentError } from '../harness/env.ts';
import { AdapterSetupError } from '../harness/preflight.ts';
import { packageVersion } from '../package-root.ts';
import { redactText } from '../report/redact.ts';
import { parse, UsageError } from './args.ts';
import { certify } from './certify.ts';
import { clean } from './clean.ts';
import { init } from './init.ts';
import { mergeReports } from './merge-reports.ts';
import { runMint } from './mint.ts';
import { replay } from './replay.ts';
import { runSim, simUsers } from './sim.ts';
import { HELP } from './usage.ts';

/** The CLI. Returns the exit code: 0 pass, 1 violation, 2 usage or environment error, 3 inconclusive (or meltcheck broke). */
export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case undefined:
      case '--help':
      case '-h':
      case 'help':
        console.log(HELP);
        return 0;
      case '--version':
      case '-v':
        console.log(packageVersion());
        return 0;
      case 'certify':
        return await certify(rest);
      case 'sim': {
        const { values } = parse(rest, {
          port: { type: 'string' },
          user: { type: 'string', multiple: true },
          members: { type: 'string' },
        });
        return await runSim(
          values.port === undefined ? 0 : Number(values.port),
          simUsers(values.user ?? []),
          values.members,
        );
      }
      case 'replay':
        return await replay(rest);
      case 'merge-reports':
        return await mergeReports(rest);
      case 'init':
        return await init(rest);
      case 'clean':
        return await clean(rest);
      case 'mint': {
        const { values } = parse(rest, {
          port: { type: 'string' },
          'input-fee-ppk': { type: 'string' },
          seed: { type: 'string' },
        });
        return await runMint(
          Number(values.port ?? 0),
          Number(values['input-fee-ppk'] ?? 0),
          String(values.seed ?? 'meltcheck'),
        );
      }
      default:
        throw new UsageError(`unknown command or flag '${command}' (see meltcheck --help)`);
    }
  } catch (e) {
    if (
      e instanceof UsageError ||
      e instanceof ClusterUnavailableError ||
      e instanceof AdapterLoadError ||
      e instanceof EnvironmentError ||
      e instanceof AdapterSetupError
    ) {
      console.error(`meltcheck: ${redactText(e.message)}`);
      return 2;
    }
    // meltcheck itself broke: not a verdict on the wallet (1 would read as a violation). One redacted line, exit 3.
    console.error(
      `meltcheck: internal error, no verdict: ${redactText(String((e as Error)?.message ?? e).split('\n')[0])}`,
    );
    if (process.env.MELTCHECK_DEBUG) console.error(redactText(String((e as Error)?.stack ?? e)));
    return 3;
  }
}
