import { AdapterLoadError } from '../adapter/load.ts';
import { ClusterUnavailableError } from '../cluster/cluster.ts';
import { EnvironmentError } from '../harness/env.ts';
import { AdapterSetupError } from '../harness/preflight.ts';
import { packageVersion } from '../package-root.ts';
import { redactText } from '../report/redact.ts';
import { parse, UsageError } from './args.ts';
import { HELP } from './usage.ts';

// Each command's module loads when it runs: --help, --version, init and an unknown command start without the checks,
// the report writers and the mint (most of a start's time).
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
        return await (await import('./certify.ts')).certify(rest);
      case 'sim': {
        const { runSim, simUsers } = await import('./sim.ts');
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
        return await (await import('./replay.ts')).replay(rest);
      case 'merge-reports':
        return await (await import('./merge-reports.ts')).mergeReports(rest);
      case 'init':
        return await (await import('./init.ts')).init(rest);
      case 'clean':
        return await (await import('./clean.ts')).clean(rest);
      case 'mint': {
        const { runMint } = await import('./mint.ts');
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
