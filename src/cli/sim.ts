import { parseUser, SimServer, type SimUser } from '../sim/index.ts';
import { UsageError } from './args.ts';
import { listenOrExplain } from './listen-error.ts';

/** `--user name:password` values, checked: one line and exit 2 for a malformed one. */
export function simUsers(specs: string[]): SimUser[] {
  return specs.map((spec) => {
    try {
      return parseUser(spec);
    } catch (e) {
      throw new UsageError((e as Error).message);
    }
  });
}

/** `meltcheck sim`: the simulator as a standalone server until Ctrl-C. */
export async function runSim(port: number, users: SimUser[] = []): Promise<number> {
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(`--port must be 0..65535`);
  const sim = await listenOrExplain('sim', port, () => SimServer.start({ port, users, log: (l) => console.error(l) }));
  console.log(sim.uri);
  console.error(
    `meltcheck simulator (SIMULATED replica set, not a real mongod)${users.length ? `, ${users.length} user(s), SCRAM-SHA-256/SHA-1 required` : ''} — Ctrl-C to stop`,
  );
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await sim.stop();
  return 0;
}
