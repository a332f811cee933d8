import { createHash, createHmac, pbkdf2Sync, randomBytes, timingSafeEqual } from 'node:crypto';

/** SCRAM (RFC 5802/7677) as mongod runs it: SCRAM-SHA-1 hashes md5("user:mongo:password") first. */
export type ScramMechanism = 'SCRAM-SHA-1' | 'SCRAM-SHA-256';
export const MECHANISMS: ScramMechanism[] = ['SCRAM-SHA-256', 'SCRAM-SHA-1'];

const HASH = { 'SCRAM-SHA-1': 'sha1', 'SCRAM-SHA-256': 'sha256' } as const;
const ITERATIONS = { 'SCRAM-SHA-1': 10_000, 'SCRAM-SHA-256': 15_000 } as const;

/** What a server keeps for a user and mechanism: never the password. */
export interface ScramCredential {
  salt: Buffer;
  iterations: number;
  storedKey: Buffer;
  serverKey: Buffer;
}

const hmac = (alg: string, key: Buffer, text: string) => createHmac(alg, key).update(text, 'utf8').digest();

export function scramCredential(mechanism: ScramMechanism, user: string, password: string): ScramCredential {
  const alg = HASH[mechanism];
  const prepared =
    mechanism === 'SCRAM-SHA-1'
      ? createHash('md5').update(`${user}:mongo:${password}`, 'utf8').digest('hex')
      : password.normalize('NFKC'); // SASLprep, for the passwords a test uses
  const salt = randomBytes(mechanism === 'SCRAM-SHA-1' ? 16 : 28);
  const iterations = ITERATIONS[mechanism];
  const salted = pbkdf2Sync(prepared, salt, iterations, alg === 'sha1' ? 20 : 32, alg);
  return {
    salt,
    iterations,
    storedKey: createHash(alg)
      .update(hmac(alg, salted, 'Client Key'))
      .digest(),
    serverKey: hmac(alg, salted, 'Server Key'),
  };
}

function fields(message: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of message.split(',')) {
    const eq = part.indexOf('=');
    if (eq > 0) out[part.slice(0, eq)] = part.slice(eq + 1);
  }
  return out;
}

const unescapeName = (n: string) => n.replace(/=2C/g, ',').replace(/=3D/g, '=');

/** Thrown for anything that is not a valid proof of the password: mongod answers 18 AuthenticationFailed. */
export class ScramFailure extends Error {}

/** One server-side conversation: `first` answers the client-first message, `final` checks the proof. */
export class ScramConversation {
  private clientFirstBare = '';
  private serverFirst = '';
  private nonce = '';
  private credential?: ScramCredential;
  user = '';

  constructor(
    readonly mechanism: ScramMechanism,
    private readonly lookup: (user: string) => ScramCredential | undefined,
  ) {}

  first(clientFirst: string): string {
    if (!clientFirst.startsWith('n,')) throw new ScramFailure('channel binding is not supported');
    this.clientFirstBare = clientFirst.slice(clientFirst.indexOf(',', 2) + 1);
    const f = fields(this.clientFirstBare);
    if (!f.n || !f.r) throw new ScramFailure('malformed client-first message');
    this.user = unescapeName(f.n);
    this.credential = this.lookup(this.user);
    this.nonce = f.r + randomBytes(24).toString('base64');
    // An unknown user gets a well-formed challenge too (a fake salt): the failure comes at the proof, as in mongod.
    const c = this.credential ?? { salt: randomBytes(16), iterations: ITERATIONS[this.mechanism] };
    this.serverFirst = `r=${this.nonce},s=${c.salt.toString('base64')},i=${c.iterations}`;
    return this.serverFirst;
  }

  /** Returns the server-final message (`v=` signature) or throws ScramFailure. */
  final(clientFinal: string): string {
    const f = fields(clientFinal);
    if (!this.credential || f.r !== this.nonce || !f.p) throw new ScramFailure('authentication failed');
    const withoutProof = clientFinal.slice(0, clientFinal.lastIndexOf(',p='));
    const authMessage = `${this.clientFirstBare},${this.serverFirst},${withoutProof}`;
    const alg = HASH[this.mechanism];
    const signature = hmac(alg, this.credential.storedKey, authMessage);
    const proof = Buffer.from(f.p, 'base64');
    if (proof.length !== signature.length) throw new ScramFailure('authentication failed');
    const clientKey = Buffer.from(proof.map((b, i) => b ^ signature[i]));
    const stored = createHash(alg).update(clientKey).digest();
    if (!timingSafeEqual(stored, this.credential.storedKey)) throw new ScramFailure('authentication failed');
    return `v=${hmac(alg, this.credential.serverKey, authMessage).toString('base64')}`;
  }
}
