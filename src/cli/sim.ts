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
export async function runSim(port: number, users: SimUser[] = [], membersFlag = '1'): Promise<number> {
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(`--port must be 0..65535`);
  if (membersFlag !== '1' && membersFlag !== '3')
    throw new UsageError(`--members must be 1 or 3, got '${membersFlag}'`);
  const members = membersFlag === '3' ? 3 : 1;
  const sim = await listenOrExplain('sim', port, () =>
    SimServer.start({ port, users, members, log: (l) => console.error(l) }),
  );
  console.log(sim.uri);
  console.error(
    `meltcheck simulator (SIMULATED replica set${members === 3 ? ', 3 members' : ''}, not a real mongod)${users.length ? `, ${users.length} user(s), SCRAM-SHA-256/SHA-1 required` : ''} — Ctrl-C to stop`,
  );
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await sim.stop();
  return 0;
}
