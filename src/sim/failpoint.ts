import type { Document } from 'bson';
import { Codes, CommandError } from './errors.ts';
import { plain } from './values.ts';

/** The `failCommand` fail point, with mongod's fields and modes. */
export interface FailCommandData {
  failCommands: string[];
  errorCode?: number;
  errorLabels?: string[];
  closeConnection?: boolean;
  blockConnection?: boolean;
  blockTimeMS?: number;
  writeConcernError?: Document;
  appName?: string;
  failInternalCommands?: boolean;
}

type Mode =
  | { kind: 'off' }
  | { kind: 'alwaysOn' }
  | { kind: 'times'; left: number }
  | { kind: 'skip'; skip: number }
  | { kind: 'probability'; p: number };

export interface Fault extends FailCommandData {
  command: string;
}

export class FailPoints {
  private mode: Mode = { kind: 'off' };
  private data?: FailCommandData;
  timesEntered = 0;

  constructor(private readonly random: () => number) {}

  /** Handles {configureFailPoint: 'failCommand', mode, data}; returns the reply mongod gives. */
  configure(body: Document): Document {
    const name = body.configureFailPoint;
    if (name !== 'failCommand')
      throw new CommandError(Codes.BadValue, `the simulator implements only the failCommand fail point, not ${name}`);
    const mode = plain(body.mode) as unknown;
    const data = plain(body.data ?? {}) as FailCommandData;
    const before = this.timesEntered;
    if (mode === 'off') this.mode = { kind: 'off' };
    else if (mode === 'alwaysOn') this.mode = { kind: 'alwaysOn' };
    else if (mode && typeof mode === 'object' && 'times' in mode)
      this.mode = { kind: 'times', left: Number(mode.times) };
    else if (mode && typeof mode === 'object' && 'skip' in mode) this.mode = { kind: 'skip', skip: Number(mode.skip) };
    else if (mode && typeof mode === 'object' && 'activationProbability' in mode)
      this.mode = { kind: 'probability', p: Number(mode.activationProbability) };
    else throw new CommandError(Codes.BadValue, `invalid fail point mode ${JSON.stringify(mode)}`);
    if (this.mode.kind !== 'off') {
      if (!Array.isArray(data.failCommands))
        throw new CommandError(Codes.BadValue, "'failCommands' must be an array of command names");
      this.data = data;
    }
    this.timesEntered = 0;
    return { count: before, ok: 1 };
  }

  /** Decides whether this command trips the fail point; consumes one activation if it does. */
  trip(command: string, appName: string | undefined): Fault | undefined {
    const d = this.data;
    if (this.mode.kind === 'off' || !d) return undefined;
    if (!d.failCommands.includes(command)) return undefined;
    if (d.appName !== undefined && d.appName !== appName) return undefined;
    switch (this.mode.kind) {
      case 'times':
        if (this.mode.left <= 0) return undefined;
        if (--this.mode.left === 0) this.mode = { kind: 'off' };
        break;
      case 'skip':
        if (this.mode.skip > 0) {
          this.mode.skip--;
          return undefined;
        }
        break;
      case 'probability':
        if (this.random() >= this.mode.p) return undefined;
        break;
    }
    this.timesEntered++;
    return { ...d, command };
  }
}
