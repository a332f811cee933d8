import { redactText } from '../report/redact.ts';
import type { CheckResult } from '../report/types.ts';

const MARKS: Record<CheckResult['status'], string> = {
  pass: 'ok  ',
  skip: 'skip',
  fail: 'FAIL',
  error: 'ERROR',
  'not-exercised': 'NOT EXERCISED',
};

const consoleLog = console.log;

/**
 * A progress bar on a terminal, plain lines in CI (or when output is piped); nothing at all without a sink
 * (the programmatic API is silent unless asked). The bar is drawn only when the sink is console.log.
 */
export function progress(total: number, sink?: (line: string) => void) {
  const log = sink ?? (() => {});
  const tty = sink === consoleLog && Boolean(process.stdout.isTTY) && !process.env.CI;
  let n = 0;
  const bar = (label: string) => {
    const width = 24;
    const filled = Math.round((n / total) * width);
    process.stdout.write(
      `\r[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${n}/${total} ${label.padEnd(40).slice(0, 40)}`,
    );
  };
  return {
    start(name: string) {
      if (tty) bar(name);
    },
    done(r: CheckResult) {
      n++;
      if (tty) process.stdout.write('\r\x1b[2K');
      const mark = MARKS[r.status];
      const extra =
        r.status === 'skip'
          ? ` — ${redactText(r.skipReason ?? '')}`
          : r.status === 'error' || r.status === 'not-exercised'
            ? ` — ${redactText(String(r.reason))}`
            : r.runs > 1
              ? `, ${r.runs} runs`
              : '';
      log(`${mark} ${r.kind} ${r.name} (${r.durationMs} ms${extra})`);
      if (r.exercised?.note) log(`     note: ${redactText(r.exercised.note)}`);
      for (const f of r.failures.slice(0, 5)) log(`     [${f.invariant}] ${redactText(f.message)}`);
      if (r.failures.length > 5) log(`     … ${r.failures.length - 5} more`);
    },
    end() {
      if (tty) process.stdout.write('\r\x1b[2K');
    },
  };
}
