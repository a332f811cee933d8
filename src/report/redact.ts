import { SEEN_SECRETS } from '../harness/secrets.ts';

/**
 * Credentials and proof secrets never reach a report, a log line or stdout. Three nets, each cheap:
 * the user-info of any MongoDB connection string in a text; secret-bearing URI options; and every string
 * registered here (passwords of the run's URIs) or handed out as a proof secret (SEEN_SECRETS).
 */
const REDACTED = '[redacted]';
const USERINFO = /(mongodb(?:\+srv)?:\/\/)[^@/\s?#"'`<>]*@/gi;
const SECRET_OPTIONS = /((?:tlsCertificateKeyFilePassword|authMechanismProperties|password|secret)=)[^&\s"'`<>]*/gi;
const HEX_RUN = /[0-9a-f]{64,}/gi;

/** Passwords found in connection strings this process was given. */
const registered = new Set<string>();

/** Registers the credentials of a connection string so that they are redacted wherever they show up. */
export function registerUriSecrets(uri: string | undefined): void {
  if (!uri) return;
  const m = /^mongodb(?:\+srv)?:\/\/([^@/]*)@/i.exec(uri);
  if (!m) return;
  const colon = m[1].indexOf(':');
  if (colon < 0) return; // a user name alone (x.509, Kerberos) is not a secret; its URI user-info is still redacted
  const password = m[1].slice(colon + 1);
  if (password.length < 3) return; // too short to redact without mangling ordinary text
  registered.add(password);
  try {
    registered.add(decodeURIComponent(password));
  } catch {
    // a malformed escape stays as written
  }
}

/**
 * The `--uri` argument of a printed replay command: a URI with credentials is never written out; the command
 * reads it from the environment instead.
 */
export function uriForReplay(uri: string): string {
  return /^mongodb(?:\+srv)?:\/\/[^@/]*@/i.test(uri) || new RegExp(SECRET_OPTIONS.source, 'i').test(uri)
    ? '"$MELTCHECK_MONGODB_URI"'
    : `'${uri}'`;
}

/** A connection string fit to print: user-info and secret options replaced. */
export function redactUri(uri: string): string {
  return redactText(uri);
}

function hexSecret(run: string): boolean {
  const lower = run.toLowerCase();
  if (SEEN_SECRETS.has(lower) || SEEN_SECRETS.has(run)) return true;
  for (let i = 1; i + 64 <= lower.length; i++) if (SEEN_SECRETS.has(lower.slice(i, i + 64))) return true;
  return false;
}

/** Redacts one text. Proof secrets that are 64+ hex characters are found by lookup, others by search. */
export function redactText(text: string): string {
  let out = text.replace(USERINFO, `$1${REDACTED}@`).replace(SECRET_OPTIONS, `$1${REDACTED}`);
  for (const s of registered) if (out.includes(s)) out = out.split(s).join(REDACTED);
  if (SEEN_SECRETS.size) {
    out = out.replace(HEX_RUN, (run) => (hexSecret(run) ? REDACTED : run));
    for (const s of otherSecrets()) if (out.includes(s)) out = out.split(s).join(REDACTED);
  }
  return out;
}

let cachedSize = -1;
let cachedOthers: string[] = [];
/** Secrets that are not plain 64-hex (NUT-10 secrets, an adapter's own format): searched for literally. */
function otherSecrets(): string[] {
  if (cachedSize !== SEEN_SECRETS.size) {
    cachedOthers = [...SEEN_SECRETS].filter((s) => s.length >= 8 && !/^[0-9a-f]{64}$/i.test(s));
    cachedSize = SEEN_SECRETS.size;
  }
  return cachedOthers;
}

/** Every string in a JSON-like value redacted (keys included); the shape is kept. */
export function redactDeep<T>(value: T): T {
  if (typeof value === 'string') return redactText(value) as T;
  if (Array.isArray(value)) return value.map((v) => redactDeep(v)) as T;
  if (value && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[redactText(k)] = redactDeep(v);
    return out as T;
  }
  return value;
}
