import { defineConfig } from 'vitest/config';

/**
 * The emulator's own tests, run from this folder (`npx vitest run`) or from the repository root,
 * where this file is one of the root config's projects.
 */
export default defineConfig({
  test: {
    name: 'plaid-emulator',
    root: import.meta.dirname,
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/global-setup.ts'],
    testTimeout: 30_000,
    pool: 'forks',
  },
});
