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

/** mongod's test-only fail point on retryable (transactional) writes; closeConnection defaults to true. */
export interface TransactionalWriteFault {
  closeConnection?: boolean;
  failBeforeCommitExceptionCode?: number;
}

/** One named fail point's activation mode: times, skip, alwaysOn, off, activationProbability. */
class Activation {
  private mode: Mode = { kind: 'off' };
  timesEntered = 0;
  constructor(private readonly random: () => number) {}

  set(mode: unknown): void {
    if (mode === 'off') this.mode = { kind: 'off' };
    else if (mode === 'alwaysOn') this.mode = { kind: 'alwaysOn' };
    else if (mode && typeof mode === 'object' && 'times' in mode)
      this.mode = { kind: 'times', left: Number(mode.times) };
    else if (mode && typeof mode === 'object' && 'skip' in mode) this.mode = { kind: 'skip', skip: Number(mode.skip) };
    else if (mode && typeof mode === 'object' && 'activationProbability' in mode)
      this.mode = { kind: 'probability', p: Number(mode.activationProbability) };
    else throw new CommandError(Codes.BadValue, `invalid fail point mode ${JSON.stringify(mode)}`);
  }

  get on(): boolean {
    return this.mode.kind !== 'off';
  }

  /** Consumes one activation when the fail point fires now. */
  fire(): boolean {
    switch (this.mode.kind) {
      case 'off':
        return false;
      case 'times':
        if (this.mode.left <= 0) return false;
        if (--this.mode.left === 0) this.mode = { kind: 'off' };
        break;
      case 'skip':
        if (this.mode.skip > 0) {
          this.mode.skip--;
          return false;
        }
        break;
      case 'probability':
        if (this.random() >= this.mode.p) return false;
        break;
    }
    this.timesEntered++;
    return true;
  }
}

export class FailPoints {
  private readonly failCommand: Activation;
  private readonly transactionalWrite: Activation;
  private data?: FailCommandData;
  private writeData: TransactionalWriteFault = {};

  constructor(random: () => number) {
    this.failCommand = new Activation(random);
    this.transactionalWrite = new Activation(random);
  }

  get timesEntered(): number {
    return this.failCommand.timesEntered;
  }

  /** Handles {configureFailPoint, mode, data}; returns the reply mongod gives (count = times entered before). */
  configure(body: Document): Document {
    const name = body.configureFailPoint;
    const mode = plain(body.mode) as unknown;
    const data = plain(body.data ?? {}) as Document;
    const point =
      name === 'failCommand'
        ? this.failCommand
        : name === 'onPrimaryTransactionalWrite'
          ? this.transactionalWrite
          : undefined;
    if (!point)
      throw new CommandError(
        Codes.BadValue,
        `the simulator implements only the failCommand and onPrimaryTransactionalWrite fail points, not ${name}`,
      );
    const before = point.timesEntered;
    point.set(mode);
    if (point.on && point === this.failCommand) {
      if (!Array.isArray(data.failCommands))
        throw new CommandError(Codes.BadValue, "'failCommands' must be an array of command names");
      this.data = data as FailCommandData;
    }
    if (point.on && point === this.transactionalWrite) this.writeData = data as TransactionalWriteFault;
    point.timesEntered = 0;
    return { count: before, ok: 1 };
  }

  /** Decides whether this command trips failCommand; consumes one activation if it does. */
  trip(command: string, appName: string | undefined): Fault | undefined {
    const d = this.data;
    if (!this.failCommand.on || !d) return undefined;
    if (!d.failCommands.includes(command)) return undefined;
    if (d.appName !== undefined && d.appName !== appName) return undefined;
    if (!this.failCommand.fire()) return undefined;
    return { ...d, command };
  }

  /** Decides whether this retryable write trips onPrimaryTransactionalWrite. */
  tripTransactionalWrite(): TransactionalWriteFault | undefined {
    return this.transactionalWrite.fire() ? { ...this.writeData } : undefined;
  }
}
