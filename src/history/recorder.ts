import type { History, Op, OpType } from './op.ts';

/**
 * Records operations as they happen. The runner, not the wallet, decides the completion type: a thrown error
 * is `fail` only when the error proves nothing was applied; anything else is `info` (outcome unknown).
 */
export class Recorder {
  readonly history: History = [];
  private readonly t0 = Date.now();

  constructor(private readonly clock: () => number = () => Date.now() - this.t0) {}

  private push(op: Omit<Op, 'index' | 'time'>): Op {
    const full = { index: this.history.length, time: this.clock(), ...op } as Op;
    this.history.push(full);
    return full;
  }

  invoke(process: string, f: Op['f'], value: Op['value']): Op {
    return this.push({ process, type: 'invoke', f, value });
  }

  /** Completes an invocation; `value` may be refined (e.g. the id a fund produced). */
  complete(
    invoke: Op,
    type: Exclude<OpType, 'invoke'>,
    extra: Partial<Pick<Op, 'result' | 'error' | 'value'>> = {},
  ): Op {
    return this.push({ process: invoke.process, type, f: invoke.f, value: invoke.value, ...extra });
  }
}
