import { defineAdapter } from '../../adapter/contract.ts';
import reference from '../../adapter/reference-adapter.ts';

// The reference wallet whose teardown throws after closing: the harness must still drop its database and stop
// the proxy, and must not count the check as passed.
export default defineAdapter({
  ...reference,
  name: 'throwing-teardown',
  async teardown() {
    await reference.teardown();
    throw new Error('teardown exploded');
  },
});
