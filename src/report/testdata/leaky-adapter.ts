import { defineAdapter } from '../../adapter/contract.ts';
import reference from '../../adapter/reference-adapter.ts';

let uri = '';

// A wallet whose errors quote its connection string (with the password) and a proof secret: what careless
// wallet code does. No report, log or stdout line may carry either.
export default defineAdapter({
  ...reference,
  name: 'leaky',
  async setup(ctx) {
    uri = ctx.uri;
    await reference.setup(ctx);
  },
  async executeAtomicMelt(_ids, keep) {
    throw new Error(`cannot melt on ${uri}: proof ${keep[0]?.secret} rejected`);
  },
});
