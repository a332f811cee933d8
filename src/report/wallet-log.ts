import { createWriteStream } from 'node:fs';
import { Writable } from 'node:stream';
import { SEEN_SECRETS } from '../harness/secrets.ts';
import { redactText } from './redact.ts';

/** Anything shaped like a bare proof secret (64 hex digits not part of a longer run). */
const SECRET_SHAPED = /(?<![0-9a-fA-F])[0-9a-fA-F]{64}(?![0-9a-fA-F])/g;

/** Replaces every proof secret meltcheck handed out, and anything shaped like one, in a line of wallet output. */
export function redactSecrets(line: string): string {
  let out = line;
  for (const s of SEEN_SECRETS) if (out.includes(s)) out = out.split(s).join('<secret>');
  return out.replace(SECRET_SHAPED, '<secret?>');
}

/**
 * The report's wallet.log: the wallet's stdout and stderr, line by line, with proof secrets redacted (a wallet
 * that logs its proofs must not leak them through meltcheck's report directory).
 */
export function walletLogStream(path: string): Writable {
  const file = createWriteStream(path);
  let pending = '';
  return new Writable({
    write(chunk, _enc, done) {
      pending += String(chunk);
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      if (lines.length) file.write(`${lines.map((l) => redactText(redactSecrets(l))).join('\n')}\n`);
      done();
    },
    final(done) {
      if (pending) file.write(redactText(redactSecrets(pending)));
      file.end(done);
    },
  });
}
