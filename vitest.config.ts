import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

// In this repository `import … from 'meltcheck'` (the README's adapter) means the sources; installed, the build.
const src = (p: string) => fileURLToPath(new URL(p, import.meta.url));

export default defineConfig({
  resolve: {
    alias: [
      { find: /^meltcheck\/vitest$/, replacement: src('./src/vitest/index.ts') },
      { find: /^meltcheck$/, replacement: src('./src/index.ts') },
    ],
  },
  test: {
    include: ['src/**/*.test.ts', 'properties/**/*.test.ts', 'scenarios/**/*.test.ts', 'fixtures/**/*.test.ts'],
    setupFiles: ['src/testing/no-network.ts'],
    testTimeout: 120_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // Two files at a time on the 2-core machines this runs on: most tests wait on child processes and servers.
    maxWorkers: 2,
  },
});
