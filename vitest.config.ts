import { defineConfig } from 'vitest/config';

/**
 * Projects: every test on PGlite, and — when TEST_DATABASE_URL names a Postgres server —
 * the database tests (`*.db.test.ts`) again on Postgres; the workspace packages' tests under
 * their own configs (and only there).
 */
/** Files `npm run test:security` and `npm run test:faults` run (and print matrices for). */
export const securitySuite = [
  'server/security/**',
  'server/trpc/routers/leak-scan.db.test.ts',
  'server/webhooks/**',
  'server/plaid/webhook-verify.test.ts',
  'server/trpc/service-callers.db.test.ts',
];
export const faultSuite = ['test/faults/**'];
// `npm test` runs those two suites as stages of their own; CORE_ONLY keeps them out of the core stage.
const exclude = [
  'node_modules/**',
  'e2e/**',
  '.next/**',
  '.data/**',
  ...(process.env.TRIBUTARY_CORE_ONLY ? [...securitySuite, ...faultSuite] : []),
];
const postgresUrl = process.env.TEST_DATABASE_URL;

export default defineConfig({
  test: {
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    projects: [
      { extends: true as const, test: { name: 'pglite', include: ['**/*.test.ts'], exclude: [...exclude, 'packages/plaid-emulator/**'], env: { TEST_DB: 'pglite' } } },
      ...(postgresUrl
        ? [{ extends: true as const, test: { name: 'postgres', include: ['**/*.db.test.ts'], exclude, env: { TEST_DB: 'postgres' } } }]
        : []),
      'packages/plaid-emulator/vitest.config.ts',
    ],
  },
});
