import { defineConfig } from 'vitest/config';

/**
 * Two projects: every test on PGlite, and — when TEST_DATABASE_URL names a Postgres server —
 * the database tests (`*.db.test.ts`) again on Postgres.
 */
const exclude = ['node_modules/**', 'e2e/**', '.next/**', '.data/**'];
const postgresUrl = process.env.TEST_DATABASE_URL;

export default defineConfig({
  test: {
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    projects: [
      { extends: true as const, test: { name: 'pglite', include: ['**/*.test.ts'], exclude, env: { TEST_DB: 'pglite' } } },
      ...(postgresUrl
        ? [{ extends: true as const, test: { name: 'postgres', include: ['**/*.db.test.ts'], exclude, env: { TEST_DB: 'postgres' } } }]
        : []),
    ],
  },
});
