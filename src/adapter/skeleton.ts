export interface SkeletonStyle {
  level: 'repository' | 'service';
  lang: 'ts' | 'js';
  module: 'esm' | 'cjs';
}

const REPOSITORY_BODY = `  level: 'repository',
  name: 'my-wallet', // TODO: your wallet's name, as reports show it

  // The harness gives you a connection string, a database of the run's own, and an appName: use exactly
  // these (fail points target your wallet by appName, never the harness).
  async setup(ctx) {
    // TODO: connect your wallet's repository, e.g.
    //   client = await new MongoClient(ctx.uri, { appName: ctx.appName }).connect();
    //   db = client.db(ctx.dbName);
    // and create the indexes your wallet relies on (a unique transaction_id, say).
    throw new Error('TODO: setup');
  },

  // Creates a wallet document for an owner; returns its id (used as metadata.wallet_id).
  async createWallet(npub, mintUrl) {
    throw new Error('TODO: createWallet');
  },

  // Stores a source token { npub, wallet_id, mint_url, proofs, transaction_id } as unspent; returns its id.
  async createSourceToken(token) {
    throw new Error('TODO: createSourceToken');
  },

  // The seed's contract, exactly: spend the sources, store keep and change, write the audit, all or nothing.
  // Throw when nothing was applied; an error with indeterminate: true means "outcome unknown".
  async executeAtomicMelt(sourceTokenIds, keepProofs, meltChangeProofs, transactionId, metadata) {
    throw new Error('TODO: call your wallet\\'s executeAtomicMelt');
  },

  // Optional, when your schema differs from the reference (tokens with proofs[], status, transaction_type,
  // transaction_id; melt_audit with transaction_id): see the README, "Writing an adapter".
  // storage: { tokens: 'tokens', audit: 'melt_audit', toToken: (doc) => ({ ... }), auditTransactionId: (doc) => doc.transaction_id },

  async teardown() {
    // TODO: close your connections.
  },`;

const SERVICE_BODY = `  level: 'service',
  name: 'my-wallet-service', // TODO: your wallet's name, as reports show it

  // ctx.mintUrl is meltcheck's test mint; keep any state you like in ctx.dbName (connect with ctx.appName).
  async setup(ctx) {
    throw new Error('TODO: setup');
  },

  // Mint \`amount\` sats of ecash from the test mint into the wallet.
  async fund(amount) {
    throw new Error('TODO: fund');
  },

  // Pay the invoice with the wallet's proofs: your wallet's whole melt, mint calls and database writes.
  async melt(invoice) {
    throw new Error('TODO: melt');
  },

  // After a crash: settle whatever a melt left unfinished. Return an account of what you found and did.
  async recover() {
    throw new Error('TODO: recover');
  },

  // The proofs the wallet believes are live: [{ id, amount, secret, C }].
  async holdings() {
    throw new Error('TODO: holdings');
  },

  async teardown() {
    // TODO: close your connections.
  },`;

/** A commented adapter skeleton in the project's style; every TODO throws, so an unfinished adapter cannot pass. */
export function adapterSkeleton(s: SkeletonStyle): string {
  const header = `// meltcheck adapter: how meltcheck drives this wallet. Fill in the TODOs, then run
//   npx meltcheck certify --adapter <this file>
// Docs: the README of the meltcheck package, "Writing an adapter".
`;
  const body = s.level === 'repository' ? REPOSITORY_BODY : SERVICE_BODY;
  const importLine =
    s.lang === 'js' && s.module === 'cjs'
      ? "const { defineAdapter } = require('meltcheck');"
      : "import { defineAdapter } from 'meltcheck';";
  const exportOpen =
    s.lang === 'js' && s.module === 'cjs' ? 'module.exports = defineAdapter({' : 'export default defineAdapter({';
  return `${header}${importLine}\n\n${exportOpen}\n${body}\n});\n`;
}
