import { SimServer } from '../sim/index.ts';
import { UsageError } from './args.ts';

/** `meltcheck sim`: the simulator as a standalone server until Ctrl-C. */
export async function runSim(port: number): Promise<number> {
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(`--port must be 0..65535`);
  const sim = await SimServer.start({ port, log: (l) => console.error(l) });
  console.log(sim.uri);
  console.error('meltcheck simulator (SIMULATED replica set, not a real mongod) — Ctrl-C to stop');
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await sim.stop();
  return 0;
}
