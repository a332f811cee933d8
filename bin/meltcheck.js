#!/usr/bin/env node
// Runs the TypeScript CLI through tsx, which also lets the harness load TypeScript adapters.
import { register } from 'tsx/esm/api';

register();
// A closed pipe (meltcheck ... | head) is not an error worth a stack trace.
process.stdout.on('error', (e) => process.exit(e.code === 'EPIPE' ? 0 : 2));
const { main } = await import('../src/cli/main.ts');
const code = await main(process.argv.slice(2));
if (process.env.MELTCHECK_PRINT_RSS) console.error(`maxRSS=${process.resourceUsage().maxRSS}`); // for npm run bench
process.exit(code);
