#!/usr/bin/env node
// The meltcheck command. In a checkout it runs the TypeScript sources through tsx; an installed package runs
// the build in dist/ (adapters written in TypeScript load through tsx's scoped loaders either way).
import { existsSync } from 'node:fs';

// A closed pipe (meltcheck ... | head) is not an error worth a stack trace.
process.stdout.on('error', (e) => process.exit(e.code === 'EPIPE' ? 0 : 2));
// Only the CLI decides the exit code. If anything else ends the process first (an adapter calling process.exit
// while it loads, the event loop running dry under a wedged adapter), that is never a pass: exit 3, inconclusive.
let decided = false;
process.on('exit', (code) => {
  if (decided || code === 130) return; // 130: Ctrl-C, handled (partial report written)
  process.stderr.write(
    `meltcheck: the process ended before meltcheck decided a verdict (exit ${code}): inconclusive\n`,
  );
  // 0 would read as a pass and 1 as a violation: neither was decided. Other codes (2, 130 on Ctrl-C) stand.
  process.exitCode = code === 0 || code === 1 ? 3 : code;
});
const sources = new URL('../src/cli/main.ts', import.meta.url);
let main;
if (existsSync(sources)) {
  const { register } = await import('tsx/esm/api');
  register();
  ({ main } = await import(sources.href));
} else {
  ({ main } = await import('../dist/src/cli/main.js'));
}
const code = await main(process.argv.slice(2));
// For npm run bench: peak memory, and (Linux) CPU seconds of meltcheck itself and of the child processes it reaped
// (wallet processes, mints started as processes), so a figure can say whose time it is.
if (process.env.MELTCHECK_PRINT_RSS) {
  console.error(`maxRSS=${process.resourceUsage().maxRSS}`);
  try {
    const { readFileSync } = await import('node:fs');
    const f = readFileSync('/proc/self/stat', 'utf8').split(') ')[1].split(' ');
    const hz = 100; // USER_HZ: 100 on every Linux that Node supports
    console.error(`cpuSelf=${(+f[11] + +f[12]) / hz} cpuChildren=${(+f[13] + +f[14]) / hz}`);
  } catch {} // not Linux: no split
}
decided = true;
process.exit(code);
