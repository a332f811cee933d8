import { Binary, type Document } from 'bson';
import { MECHANISMS, ScramConversation, type ScramCredential, ScramFailure, scramCredential } from './scram.ts';

/** Users of the simulator, `name:password` as given to `meltcheck sim --user`; all live in the admin database. */
export interface SimUser {
  user: string;
  password: string;
}

export function parseUser(spec: string): SimUser {
  const colon = spec.indexOf(':');
  if (colon <= 0 || colon === spec.length - 1)
    throw new Error(`--user must be name:password, got '${spec.slice(0, colon > 0 ? colon : 20)}:…'`);
  return { user: spec.slice(0, colon), password: spec.slice(colon + 1) };
}

/** Commands mongod runs before authentication (the handshake, monitoring and the SASL conversation itself). */
const OPEN = new Set([
  'hello',
  'isMaster',
  'ismaster',
  'saslStart',
  'saslContinue',
  'ping',
  'buildInfo',
  'buildinfo',
  'endSessions',
]);

const failed = () => ({ ok: 0, errmsg: 'Authentication failed.', code: 18, codeName: 'AuthenticationFailed' });

interface ConnectionAuth {
  user?: string;
  conversations: Map<number, ScramConversation>;
}

/**
 * SCRAM-SHA-256 and SCRAM-SHA-1 for the simulator, with mongod's replies: 18 AuthenticationFailed for a wrong
 * password or an unknown user, 13 Unauthorized for a command before authenticating. State is per connection.
 */
export class Authenticator {
  private readonly credentials = new Map<string, Map<string, ScramCredential>>();
  private readonly connections = new WeakMap<object, ConnectionAuth>();
  private nextConversation = 1;

  constructor(users: SimUser[]) {
    for (const { user, password } of users)
      this.credentials.set(user, new Map(MECHANISMS.map((m) => [m, scramCredential(m, user, password)])));
  }

  private state(conn: object): ConnectionAuth {
    let s = this.connections.get(conn);
    if (!s) this.connections.set(conn, (s = { conversations: new Map() }));
    return s;
  }

  /** Fields added to a hello reply: the mechanisms of the user the client asks about (`saslSupportedMechs`). */
  helloFields(body: Document): Document {
    const asked = typeof body.saslSupportedMechs === 'string' ? body.saslSupportedMechs : undefined;
    if (!asked) return {};
    const user = asked.slice(asked.indexOf('.') + 1);
    return asked.startsWith('admin.') && this.credentials.has(user) ? { saslSupportedMechs: [...MECHANISMS] } : {};
  }

  /** The reply to a SASL command or to a command refused before authentication; undefined lets it run. */
  intercept(name: string, body: Document, db: string, conn: object): Document | undefined {
    const s = this.state(conn);
    if (name === 'saslStart') return this.start(body, db, s);
    if (name === 'saslContinue') return this.continue(body, s);
    if (s.user || OPEN.has(name)) return undefined;
    return { ok: 0, errmsg: `Command ${name} requires authentication`, code: 13, codeName: 'Unauthorized' };
  }

  private start(body: Document, db: string, s: ConnectionAuth): Document {
    const mechanism = MECHANISMS.find((m) => m === body.mechanism);
    if (!mechanism)
      return {
        ok: 0,
        errmsg: `Received authentication for mechanism ${body.mechanism} which is unknown or not enabled`,
        code: 334,
        codeName: 'MechanismUnavailable',
      };
    const conversation = new ScramConversation(mechanism, (user) =>
      db === 'admin' ? this.credentials.get(user)?.get(mechanism) : undefined,
    );
    try {
      const reply = conversation.first(payloadText(body.payload));
      const conversationId = this.nextConversation++;
      s.conversations.set(conversationId, conversation);
      return { conversationId, done: false, payload: new Binary(Buffer.from(reply)), ok: 1 };
    } catch (e) {
      if (e instanceof ScramFailure) return failed();
      throw e;
    }
  }

  private continue(body: Document, s: ConnectionAuth): Document {
    const id = Number(body.conversationId);
    const conversation = s.conversations.get(id);
    s.conversations.delete(id);
    if (!conversation) return { ok: 0, errmsg: 'No SASL session state found', code: 17, codeName: 'ProtocolError' };
    try {
      const reply = conversation.final(payloadText(body.payload));
      s.user = conversation.user;
      return { conversationId: id, done: true, payload: new Binary(Buffer.from(reply)), ok: 1 };
    } catch (e) {
      if (e instanceof ScramFailure) return failed();
      throw e;
    }
  }
}

function payloadText(p: unknown): string {
  if (p instanceof Binary) return Buffer.from(p.buffer.subarray(0, p.position)).toString('utf8');
  if (p instanceof Uint8Array) return Buffer.from(p).toString('utf8');
  return String(p ?? '');
}
