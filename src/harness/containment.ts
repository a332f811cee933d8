/**
 * Keeps adapter code from ending or wedging the harness: `process.exit` becomes a thrown `AdapterBroke`, uncaught
 * exceptions and unhandled rejections are recorded instead of killing the process, and `withTimeout` bounds every
 * call into the wallet. What happened is kept as incidents: a check with an incident ends `error`.
 */
export class AdapterBroke extends Error {
  /** Not a verdict on the wallet's invariants: the adapter (or the harness) broke. */
  readonly harnessError = true;
}

/** An operation that did not settle in time: its outcome is unknown. */
export class OpTimeout extends AdapterBroke {
  readonly indeterminate = true;
}

export class Containment {
  readonly incidents: string[] = [];
  private restore?: () => void;

  /** Installs the guards; idempotent. */
  install(): this {
    if (this.restore) return this;
    const exit = process.exit;
    const onError = (e: unknown) => this.incidents.push(`uncaught: ${firstLine(e)}`);
    const onRejection = (e: unknown) => this.incidents.push(`unhandled rejection: ${firstLine(e)}`);
    process.exit = ((code?: number) => {
      this.incidents.push(`the adapter called process.exit(${code ?? ''})`);
      throw new AdapterBroke(`the adapter called process.exit(${code ?? ''})`);
    }) as typeof process.exit;
    process.on('uncaughtException', onError);
    process.on('unhandledRejection', onRejection);
    this.restore = () => {
      process.exit = exit;
      process.off('uncaughtException', onError);
      process.off('unhandledRejection', onRejection);
    };
    return this;
  }

  uninstall(): void {
    this.restore?.();
    this.restore = undefined;
  }

  /** Incidents since `mark` (a length taken earlier). */
  since(mark: number): string[] {
    return this.incidents.slice(mark);
  }
}

export function firstLine(e: unknown): string {
  return String((e as Error)?.message ?? e)
    .split('\n')[0]
    .slice(0, 300);
}

/** Races a call into the wallet against a deadline; the late promise is left to settle on its own. */
export async function withTimeout<T>(what: string, p: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new OpTimeout(`${what} did not settle within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([p, deadline]);
  } finally {
    clearTimeout(timer);
  }
}
