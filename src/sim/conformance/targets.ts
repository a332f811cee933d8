import { SimServer } from '../server.ts';

/** A server the conformance cases run against: always the simulator, and a real mongod when one is given. */
export interface Target {
  name: string;
  real: boolean;
  uri?: string;
  skipReason?: string;
  start(): Promise<{ uri: string; stop(): Promise<void> }>;
}

export const simTarget: Target = {
  name: 'sim',
  real: false,
  async start() {
    const sim = await SimServer.start();
    return { uri: sim.uri, stop: () => sim.stop() };
  },
};

const realUri = process.env.MELTCHECK_MONGODB_URI;
export const realTarget: Target = {
  name: 'real',
  real: true,
  uri: realUri,
  skipReason: realUri
    ? undefined
    : 'no real mongod here: set MELTCHECK_MONGODB_URI to a replica set started with enableTestCommands=1',
  async start() {
    return { uri: realUri as string, stop: async () => {} };
  },
};

export const targets: Target[] = [simTarget, realTarget];
