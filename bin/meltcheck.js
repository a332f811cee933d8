#!/usr/bin/env node
// Runs the TypeScript CLI through tsx, which also lets the harness load TypeScript adapters.
import { register } from 'tsx/esm/api';

register();
// A closed pipe (meltcheck ... | head) is not an error worth a stack trace.
process.stdout.on('error', (e) => process.exit(e.code === 'EPIPE' ? 0 : 2));
// Only the CLI decides the exit code. If anything else ends the process first (an adapter calling process.exit
// while it loads, the event loop running dry under a wedged adapter), that is never a pass: exit 3, inconclusive.
let decided = false;
process.on('exit', (code) => {
  if (decided) return;
  process.stderr.write(
    `meltcheck: the process ended before meltcheck decided a verdict (exit ${code}): inconclusive\n`,
  );
  // 0 would read as a pass and 1 as a violation: neither was decided. Other codes (2, 130 on Ctrl-C) stand.
  process.exitCode = code === 0 || code === 1 ? 3 : code;
});
const { main } = await import('../src/cli/main.ts');
const code = await main(process.argv.slice(2));
if (process.env.MELTCHECK_PRINT_RSS) console.error(`maxRSS=${process.resourceUsage().maxRSS}`); // for npm run bench
decided = true;
process.exit(code);
