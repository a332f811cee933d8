import { defineAdapter } from '../../adapter/contract.ts';
import reference from '../../adapter/reference-adapter.ts';

let teardowns = 0;

// The reference wallet whose teardown throws after closing (from the second call on: the first is the harness's
// adapter preflight): the harness must still drop its database and stop the proxy, and not count a pass.
export default defineAdapter({
  ...reference,
  name: 'throwing-teardown',
  async teardown() {
    await reference.teardown();
    if (++teardowns > 1) throw new Error('teardown exploded');
  },
});
