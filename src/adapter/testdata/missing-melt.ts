// A malformed adapter for tests: everything but executeAtomicMelt.
export default {
  level: 'repository',
  name: 'missing-melt',
  setup: async () => {},
  createWallet: async () => '',
  createSourceToken: async () => '',
  teardown: async () => {},
};
