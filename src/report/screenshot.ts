// Renders DIR/report.html in headless Chromium with the network off and writes DIR/report.png.
// Usage: npm run report:screenshot -- DIR   (needs Debian's chromium: apt-get install chromium)
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const dir = process.argv[2];
const chromium = process.env.CHROMIUM ?? '/usr/bin/chromium';
if (!dir || !existsSync(join(dir, 'report.html'))) {
  console.error('usage: npm run report:screenshot -- <report dir containing report.html>');
  process.exit(2);
}
if (!existsSync(chromium)) {
  console.error(`no Chromium at ${chromium}: apt-get install chromium, or set CHROMIUM`);
  process.exit(2);
}
const png = join(dir, 'report.png');
execFileSync(
  chromium,
  [
    '--headless',
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    `--user-data-dir=${mkdtempSync(join(tmpdir(), 'chromium-'))}`,
    // Any request leaving the machine fails: the page must render from its own bytes.
    '--proxy-server=127.0.0.1:9',
    '--proxy-bypass-list=<-loopback>',
    `--screenshot=${resolve(png)}`,
    '--window-size=1280,1600',
    `file://${resolve(dir, 'report.html')}`,
  ],
  { stdio: 'ignore', timeout: 60_000 },
);
if (!existsSync(png) || statSync(png).size < 10_000) {
  console.error('screenshot missing or empty');
  process.exit(1);
}
console.log(`${png} (${statSync(png).size} bytes)`);
