import { defineConfig } from 'vitest/config';

/**
 * Run from this folder: every test on PGlite, and — when TEST_DATABASE_URL names a Postgres
 * server — the database tests (`*.db.test.ts`) again on Postgres. The app's root config picks up
 * the same files with the same TEST_DB switch.
 */
const postgresUrl = process.env.TEST_DATABASE_URL;

export default defineConfig({
  test: {
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    projects: [
      { extends: true as const, test: { name: 'pglite', include: ['test/**/*.test.ts'], env: { TEST_DB: 'pglite' } } },
      ...(postgresUrl
        ? [{ extends: true as const, test: { name: 'postgres', include: ['test/**/*.db.test.ts'], env: { TEST_DB: 'postgres' } } }]
        : []),
    ],
  },
});
